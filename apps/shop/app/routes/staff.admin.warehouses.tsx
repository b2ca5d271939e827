import { CreateWarehouse, UpdateWarehouse } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const FIELDS = ["code", "nameZh", "nameEn", "address", "phone"] as const;
type Field = (typeof FIELDS)[number];
const OPTIONAL: readonly Field[] = ["address", "phone"];

function fieldOf(path: string): Field | null {
  if (path === "name.zh") return "nameZh";
  if (path === "name.en") return "nameEn";
  return (FIELDS as readonly string[]).includes(path) ? (path as Field) : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const [t, warehouses] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).listWarehouses(token).catch(staffFailure(request)),
  ]);
  return {
    title: t("adminWarehouses.title"),
    warehouse: warehouses[0] ?? null,
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const typed = Object.fromEntries(FIELDS.map((f) => [f, text(form, f, 200)])) as Record<Field, string>;
  const editId = text(form, "warehouseId", 64);
  const parsed = editId
    ? UpdateWarehouse.safeParse({
        name: { zh: typed.nameZh, en: typed.nameEn },
        address: typed.address,
        phone: typed.phone,
      })
    : CreateWarehouse.safeParse({
        code: typed.code.toUpperCase(),
        name: { zh: typed.nameZh, en: typed.nameEn },
        address: typed.address || undefined,
        phone: typed.phone || undefined,
      });
  if (!parsed.success) {
    const fields: Partial<Record<Field, FieldProblem>> = {};
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path.join("."));
      if (field) fields[field] = !typed[field] ? "required" : field === "code" ? "pointCode" : "invalid";
    }
    return formProblem("checkFields", 400, fields, { typed });
  }
  try {
    if (editId) {
      await api.updateWarehouse(token, editId, parsed.data as UpdateWarehouse);
      return data({ ok: true as const, problem: null, fields: {}, idempotencyKey: newFormKey() });
    }
    await api.createWarehouse(token, parsed.data as CreateWarehouse, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && error.code === "ALREADY_EXISTS") {
      // Either the code is taken by another place, or the co-op has its warehouse already.
      if (error.fields.some((f) => f.path === "code"))
        return formProblem("checkFields", 409, { code: "taken" }, { typed });
      return formProblem("checkFields", 409, {}, { typed, onlyOne: true });
    }
    const problem = apiProblem<Field>(error, fieldOf);
    return data({ ...problem.data, typed }, problem.init ?? undefined);
  }
  return redirect("/staff/admin/warehouses?created=1");
}

export default function AdminWarehouses() {
  const { warehouse, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const onlyOne = Boolean(result && "onlyOne" in result && result.onlyOne);
  const current: Record<Field, string> = {
    code: warehouse?.code ?? "",
    nameZh: warehouse?.name.zh ?? "",
    nameEn: warehouse?.name.en ?? "",
    address: warehouse?.address ?? "",
    phone: warehouse?.phone ?? "",
  };
  const shown = warehouse ? FIELDS.filter((f) => f !== "code") : FIELDS;
  return (
    <>
      <BackLink to="/staff/admin/service-points">{t("adminPoints.title")}</BackLink>
      <h1>{warehouse ? localized(warehouse.name, i18n.language) : t("adminWarehouses.title")}</h1>
      <p className="lead">{t("adminWarehouses.intro")}</p>
      {warehouse ? (
        <p className="muted">{warehouse.code}</p>
      ) : (
        <p className="notice">{t("adminWarehouses.none")}</p>
      )}
      {searchParams.get("created") ? (
        <p className="notice notice-info" role="status">
          {t("adminWarehouses.created")}
        </p>
      ) : null}
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <FormAlert problem={result?.problem} />
      {onlyOne ? (
        <p className="alert" role="alert">
          {t("adminWarehouses.onlyOne")}
        </p>
      ) : null}
      {warehouse ? null : <h2>{t("adminWarehouses.create")}</h2>}
      <Form method="post" className="form">
        <FormKey value={result?.idempotencyKey || idempotencyKey} />
        {warehouse ? <input type="hidden" name="warehouseId" value={warehouse.id} /> : null}
        {shown.map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`wh-${field}`} className="field-label">
              {t(`adminWarehouses.fields.${field}`)}
            </label>
            <input
              id={`wh-${field}`}
              name={field}
              type={field === "phone" ? "tel" : "text"}
              required={!OPTIONAL.includes(field)}
              maxLength={field === "address" ? 200 : 80}
              autoComplete="off"
              placeholder={field === "code" ? "WH-HY" : undefined}
              defaultValue={typed?.[field] ?? current[field]}
              aria-invalid={fields[field] ? true : undefined}
              aria-describedby={`wh-${field}-error`}
            />
            <FieldError id={`wh-${field}-error`} problem={fields[field]} />
          </div>
        ))}
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {warehouse ? t("staffCommon.save") : t("adminWarehouses.createButton")}
        </button>
      </Form>
    </>
  );
}
