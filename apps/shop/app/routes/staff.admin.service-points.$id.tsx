import { UpdateServicePoint } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackLink, FieldError, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  formProblem,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const FIELDS = ["nameZh", "nameEn", "village", "address", "phone", "openingHours"] as const;
type Field = (typeof FIELDS)[number];
const OPTIONAL: readonly Field[] = ["address", "phone", "openingHours"];
const MAX: Record<Field, number> = {
  nameZh: 60,
  nameEn: 80,
  village: 60,
  address: 200,
  phone: 30,
  openingHours: 100,
};

/** The API's field paths (UpdateServicePoint) as this form's fields. */
function fieldOf(path: string): Field | null {
  if (path === "name.zh") return "nameZh";
  if (path === "name.en") return "nameEn";
  return (FIELDS as readonly string[]).includes(path) ? (path as Field) : null;
}

async function loadPoint(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const point = await api.getServicePoint(token, id).catch(staffFailure(request));
  return { token, api, point };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const [{ point }, t] = await Promise.all([
    loadPoint(request, context, params.id ?? ""),
    getT(request, "staff"),
  ]);
  return { title: `${t("adminPoints.edit")} · ${point.name.zh}`, point };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token, api, point } = await loadPoint(request, context, params.id ?? "");
  const form = await request.formData();
  const intent = text(form, "intent", 10);
  if (intent === "close" || intent === "reopen") {
    try {
      await api.updateServicePoint(token, point.id, { active: intent === "reopen" });
    } catch (error) {
      return apiProblem<Field>(error);
    }
    return data({ ok: true as const, notice: intent, problem: null, fields: {}, idempotencyKey: "" });
  }
  const typed = Object.fromEntries(FIELDS.map((f) => [f, text(form, f, MAX[f])])) as Record<Field, string>;
  const body = UpdateServicePoint.safeParse({
    name: { zh: typed.nameZh, en: typed.nameEn },
    village: typed.village,
    address: typed.address,
    phone: typed.phone,
    openingHours: typed.openingHours,
  });
  if (!body.success) {
    const fields: Partial<Record<Field, FieldProblem>> = {};
    for (const issue of body.error.issues) {
      const field = fieldOf(issue.path.join("."));
      if (field) fields[field] = typed[field] ? "invalid" : "required";
    }
    return formProblem("checkFields", 400, fields, { typed });
  }
  try {
    await api.updateServicePoint(token, point.id, body.data);
  } catch (error) {
    const problem = apiProblem<Field>(error, fieldOf);
    return data({ ...problem.data, typed }, problem.init ?? undefined);
  }
  return data({ ok: true as const, notice: "saved", problem: null, fields: {}, idempotencyKey: "" });
}

export default function EditServicePoint() {
  const { point } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const current: Record<Field, string> = {
    nameZh: point.name.zh,
    nameEn: point.name.en,
    village: point.village ?? "",
    address: point.address ?? "",
    phone: point.phone ?? "",
    openingHours: point.openingHours ?? "",
  };
  const notice = result && "notice" in result ? result.notice : null;
  return (
    <>
      <BackLink to="/staff/admin/service-points">{t("adminPoints.title")}</BackLink>
      <h1>{localized(point.name, i18n.language)}</h1>
      <p className="muted">
        {point.code}
        {point.active ? null : (
          <>
            {" "}
            <span className="badge badge-warn">{t("adminPoints.closed")}</span>
          </>
        )}
      </p>
      <FormAlert problem={result?.problem} />
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice === "close"
            ? t("adminPoints.closedNotice")
            : notice === "reopen"
              ? t("adminPoints.reopenedNotice")
              : t("staffCommon.saved")}
        </p>
      ) : null}
      <Form method="post" className="form">
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
              maxLength={MAX[field]}
              autoComplete="off"
              defaultValue={typed?.[field] ?? current[field]}
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
          {t("staffCommon.save")}
        </button>
      </Form>

      <Form method="post" className="form">
        <input type="hidden" name="intent" value={point.active ? "close" : "reopen"} />
        <p className="field-hint">{t("adminPoints.closeHint")}</p>
        <button
          type="submit"
          className={
            point.active ? "button button-secondary button-block" : "button button-primary button-block"
          }
          disabled={navigation.state === "submitting"}
        >
          {point.active ? t("adminPoints.close") : t("adminPoints.reopen")}
        </button>
      </Form>
    </>
  );
}
