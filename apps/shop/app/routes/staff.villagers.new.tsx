import { truncateText } from "@coop/shared";
import { CreateConsignor } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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

type Field = "name" | "phone" | "village" | "servicePointId";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  // An agent registers in the intake flow, which works offline (docs/decisions/0022); an admin, who
  // registers for any point and has no phone of a point, keeps this form.
  if (user.role === "agent") {
    const prefill = new URLSearchParams({ view: "register" });
    for (const name of ["name", "phone"]) {
      const value = url.searchParams.get(name);
      if (value) prefill.set(name, value);
    }
    throw redirect(`/staff/intake?${prefill}`);
  }
  const t = await getT(request, "staff");
  // An agent registers at their own point; an admin chooses one.
  const points =
    user.role === "admin"
      ? await getApi(context, request).listServicePoints().catch(staffFailure(request))
      : [];
  return {
    title: t("register.title"),
    idempotencyKey: newFormKey(),
    points,
    prefill: {
      name: truncateText(url.searchParams.get("name") ?? "", 40),
      phone: (url.searchParams.get("phone") ?? "").replace(/[^\d]/g, "").slice(0, 11),
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const typed = {
    name: text(form, "name", 40),
    phone: text(form, "phone", 20),
    village: text(form, "village", 60),
    servicePointId: user.role === "agent" ? (user.servicePointId ?? "") : text(form, "servicePointId", 64),
  };
  const parsed = CreateConsignor.safeParse({
    ...typed,
    village: typed.village || undefined,
    showOnProductPages: form.get("showOnProductPages") === "yes",
  });
  if (!parsed.success) {
    const fields: Partial<Record<Field, FieldProblem>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "name" || field === "phone" || field === "village" || field === "servicePointId") {
        fields[field] =
          field === "name" && !typed.name ? "required" : field === "phone" ? "phone" : "invalid";
      }
    }
    return formProblem("checkFields", 400, fields, { typed });
  }

  const api = getApi(context, request);
  try {
    const created = await api.createConsignor(token, parsed.data, formKey(form));
    return redirect(`/staff/villagers/${encodeURIComponent(created.id)}?registered=1`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "ALREADY_EXISTS") {
      const consignorId = typeof error.details.consignorId === "string" ? error.details.consignorId : null;
      const pointId = typeof error.details.servicePointId === "string" ? error.details.servicePointId : null;
      const here = user.role === "admin" || pointId === user.servicePointId;
      const points = here ? [] : await api.listServicePoints().catch(() => []);
      const point = points.find((p) => p.id === pointId);
      return formProblem(
        here ? "alreadyRegisteredHere" : "alreadyRegisteredElsewhere",
        409,
        {},
        {
          typed,
          existingId: here ? consignorId : null,
          elsewhere: point ? point.name : null,
        },
      );
    }
    const problem = apiProblem<Field>(error, (path) =>
      path === "name" || path === "phone" || path === "village" ? path : null,
    );
    return problem;
  }
}

export default function RegisterVillager() {
  const { idempotencyKey, points, prefill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? (result.typed as Record<Field, string>) : null;
  const existingId = result && "existingId" in result ? (result.existingId as string | null) : null;
  const elsewhere =
    result && "elsewhere" in result ? (result.elsewhere as { zh: string; en: string } | null) : null;

  return (
    <section aria-labelledby="register-title">
      <BackLink to="/staff/villagers">{t("villagers.title")}</BackLink>
      <h1 id="register-title">{t("register.title")}</h1>
      <p className="lead">{t("register.intro")}</p>

      <FormAlert problem={result?.problem} id="register-problem" />
      {result?.problem === "alreadyRegisteredHere" && existingId ? (
        <p>
          <Link
            to={`/staff/villagers/${encodeURIComponent(existingId)}`}
            className="button button-primary button-block"
          >
            {t("register.openExisting")}
          </Link>
        </p>
      ) : null}
      {result?.problem === "alreadyRegisteredElsewhere" && elsewhere ? (
        <p className="notice">{t("register.elsewhereAt", { point: localized(elsewhere, i18n.language) })}</p>
      ) : null}

      <Form
        method="post"
        className="form"
        aria-describedby={result?.problem ? "register-problem" : undefined}
      >
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        <div className="field">
          <label htmlFor="name" className="field-label">
            {t("register.name")}
          </label>
          <input
            id="name"
            name="name"
            type="text"
            required
            maxLength={40}
            autoComplete="off"
            defaultValue={typed?.name ?? prefill.name}
            aria-invalid={fields.name ? true : undefined}
            aria-describedby={fields.name ? "name-error" : undefined}
          />
          <FieldError id="name-error" problem={fields.name} />
        </div>
        <div className="field">
          <label htmlFor="phone" className="field-label">
            {t("register.phone")}
          </label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputMode="numeric"
            required
            maxLength={20}
            autoComplete="off"
            placeholder={t("register.phonePlaceholder")}
            defaultValue={typed?.phone ?? prefill.phone}
            aria-invalid={fields.phone ? true : undefined}
            aria-describedby={fields.phone ? "phone-error" : undefined}
          />
          <FieldError id="phone-error" problem={fields.phone} />
        </div>
        <div className="field">
          <label htmlFor="village" className="field-label">
            {t("register.village")}
          </label>
          <input
            id="village"
            name="village"
            type="text"
            maxLength={60}
            autoComplete="off"
            defaultValue={typed?.village ?? ""}
            aria-describedby="village-hint"
          />
          <p className="field-hint" id="village-hint">
            {t("register.villageHint")}
          </p>
          <FieldError id="village-error" problem={fields.village} />
        </div>
        {points.length > 0 ? (
          <div className="field">
            <label htmlFor="servicePointId" className="field-label">
              {t("register.servicePoint")}
            </label>
            <select
              id="servicePointId"
              name="servicePointId"
              required
              defaultValue={typed?.servicePointId ?? ""}
            >
              <option value="" disabled>
                {t("staffCommon.choose")}
              </option>
              {points.map((point) => (
                <option key={point.id} value={point.id}>
                  {localized(point.name, i18n.language)}
                </option>
              ))}
            </select>
            <FieldError id="point-error" problem={fields.servicePointId} />
          </div>
        ) : null}
        <div className="field">
          <label className="check">
            <input type="checkbox" name="showOnProductPages" value="yes" />
            <span>{t("register.consent")}</span>
          </label>
          <p className="field-hint">{t("register.consentHint")}</p>
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("register.submit")}
        </button>
      </Form>
    </section>
  );
}
