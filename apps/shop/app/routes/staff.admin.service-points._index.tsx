import { CreateServicePoint } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminFilters } from "../components/staff/AdminFilters";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { readFilters, setOnly } from "../lib/admin-filters";
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

const FIELDS = ["code", "nameZh", "nameEn", "village", "address", "phone", "openingHours"] as const;
const OPTIONAL: readonly Field[] = ["address", "phone", "openingHours"];
type Field = (typeof FIELDS)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const filters = readFilters(request, {});
  const [t, points] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .searchPlaces(token, { ...setOnly(filters), kind: "service_point" })
      .catch(staffFailure(request)),
  ]);
  return { title: t("adminPoints.title"), points, filters, idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const typed = Object.fromEntries(FIELDS.map((field) => [field, text(form, field, 200)])) as Record<
    Field,
    string
  >;
  const body = CreateServicePoint.safeParse({
    code: typed.code.toUpperCase(),
    name: { zh: typed.nameZh, en: typed.nameEn },
    village: typed.village,
    address: typed.address || undefined,
    phone: typed.phone || undefined,
    openingHours: typed.openingHours || undefined,
  });
  if (!body.success) {
    const fields: Partial<Record<Field, FieldProblem>> = {};
    for (const issue of body.error.issues) {
      const [first, second] = issue.path;
      const field: Field | null =
        first === "name"
          ? second === "en"
            ? "nameEn"
            : "nameZh"
          : (FIELDS as readonly unknown[]).includes(first)
            ? (first as Field)
            : null;
      if (field) fields[field] = typed[field] ? (field === "code" ? "pointCode" : "invalid") : "required";
    }
    return formProblem("checkFields", 400, fields, { typed });
  }
  try {
    await getApi(context, request).createServicePoint(token, body.data, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return formProblem("checkFields", 409, { code: "taken" }, { typed });
    }
    const problem = apiProblem<Field>(error, (path) =>
      (FIELDS as readonly string[]).includes(path)
        ? (path as Field)
        : path === "name.zh"
          ? "nameZh"
          : path === "name.en"
            ? "nameEn"
            : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
  return redirect("/staff/admin/service-points?created=1");
}

export default function AdminServicePoints() {
  const { points, filters, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminPoints.title")}</h1>
      {searchParams.get("created") ? (
        <p className="notice notice-info" role="status">
          {t("adminPoints.created")}
        </p>
      ) : null}
      <p>
        <Link to="/staff/admin/warehouses" className="button button-secondary button-block">
          {t("adminPoints.warehouseLink")}
        </Link>
      </p>
      <AdminFilters
        q={filters.q}
        searchLabel={t("adminPoints.searchLabel")}
        searchButton={t("villagers.searchButton")}
        selects={[
          {
            name: "active",
            label: t("adminPoints.stateLabel"),
            value: filters.active,
            options: [
              { value: "", label: t("adminPoints.stateAll") },
              { value: "true", label: t("adminPoints.stateOn") },
              { value: "false", label: t("adminPoints.stateOff") },
            ],
          },
        ]}
      />
      {points.length === 0 ? <p className="notice">{t("adminPoints.none")}</p> : null}
      <ul className="card-list">
        {points.map((point) => (
          <li key={point.id} className={point.active ? undefined : "card-off"}>
            <Link to={`/staff/admin/service-points/${encodeURIComponent(point.id)}`} className="card-link">
              <span className="card-title">{localized(point.name, i18n.language)}</span>
              <span className="muted">
                {point.code} · {point.village}
                {point.openingHours ? ` · ${point.openingHours}` : ""}
              </span>
              {point.active ? null : (
                <span>
                  <span className="badge badge-warn">{t("adminPoints.closed")}</span>
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>

      <h2>{t("adminPoints.add")}</h2>
      <FormAlert problem={result?.problem} />
      <Form method="post" className="form">
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        {FIELDS.map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`sp-${field}`} className="field-label">
              {t(`adminPoints.fields.${field}`)}
            </label>
            <input
              id={`sp-${field}`}
              name={field}
              type={field === "phone" ? "tel" : "text"}
              required={!OPTIONAL.includes(field)}
              autoComplete="off"
              defaultValue={typed?.[field] ?? ""}
              placeholder={field === "code" ? "SP-HS07" : undefined}
              maxLength={field === "address" ? 200 : field === "openingHours" ? 100 : 80}
              aria-invalid={fields[field] ? true : undefined}
              aria-describedby={`sp-${field}-error`}
            />
            {field === "openingHours" ? (
              <p className="field-hint">{t("adminPoints.openingHoursHint")}</p>
            ) : null}
            <FieldError id={`sp-${field}-error`} problem={fields[field]} />
          </div>
        ))}
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("adminPoints.create")}
        </button>
      </Form>
    </>
  );
}
