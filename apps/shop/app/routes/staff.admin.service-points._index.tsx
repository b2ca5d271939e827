import { CreateServicePoint } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const FIELDS = ["code", "nameZh", "nameEn", "village", "address", "phone"] as const;
type Field = (typeof FIELDS)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const [t, points] = await Promise.all([
    getT(request),
    getApi(context, request).listServicePoints().catch(staffFailure(request)),
  ]);
  return { title: t("adminPoints.title"), points, idempotencyKey: newFormKey() };
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
    const problem = apiProblem<Field>(error, (path) => (path === "code" || path === "village" ? path : null));
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
  return redirect("/staff/admin/service-points?created=1");
}

export default function AdminServicePoints() {
  const { points, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
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
      <ul className="card-list">
        {points.map((point) => (
          <li key={point.id} className="card">
            <span className="card-title">{localized(point.name, i18n.language)}</span>
            <span className="muted">
              {point.code} · {point.village}
            </span>
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
              required={field !== "address" && field !== "phone"}
              autoComplete="off"
              defaultValue={typed?.[field] ?? ""}
              placeholder={field === "code" ? "SP-HS07" : undefined}
              aria-invalid={fields[field] ? true : undefined}
              aria-describedby={`sp-${field}-error`}
            />
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
