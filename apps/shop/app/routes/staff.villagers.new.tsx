import { truncateText } from "@coop/shared";
import { CreateConsignor } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import {
  CheckboxField,
  SelectField,
  StaffForm,
  SubmitButton,
  TextField,
  useStaffForm,
} from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, checkbox, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

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

type Field = "name" | "phone" | "village" | "servicePointId" | "showOnProductPages";
const RegisterForm = CreateConsignor.extend({ showOnProductPages: checkbox });

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, RegisterForm, { phone: "phone" });
  if (submission.status !== "success") return staffReply(submission);
  const api = getApi(context, request);
  try {
    const created = await api.createConsignor(token, submission.value, formKey(form));
    return redirect(`/staff/villagers/${encodeURIComponent(created.id)}?registered=1`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "ALREADY_EXISTS") {
      const consignorId = typeof error.details.consignorId === "string" ? error.details.consignorId : null;
      const pointId = typeof error.details.servicePointId === "string" ? error.details.servicePointId : null;
      const here = user.role === "admin" || pointId === user.servicePointId;
      const points = here ? [] : await api.listServicePoints().catch(() => []);
      const point = points.find((p) => p.id === pointId);
      return staffReply(
        submission,
        { problem: here ? "alreadyRegisteredHere" : "alreadyRegisteredElsewhere", status: 409 },
        { existingId: here ? consignorId : null, elsewhere: point ? point.name : null },
      );
    }
    return staffReply(submission, apiErrorToReply(error, ["name", "phone", "village"]));
  }
}

export default function RegisterVillager() {
  const { idempotencyKey, points, prefill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm<Field>(result, { defaultValue: prefill });
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

      <StaffForm
        form={form}
        idempotencyKey={result?.idempotencyKey ?? idempotencyKey}
        aria-describedby={result?.problem ? "register-problem" : undefined}
      >
        <TextField
          field={fields.name}
          label={t("register.name")}
          required
          maxLength={40}
          autoComplete="off"
        />
        <TextField
          field={fields.phone}
          label={t("register.phone")}
          type="tel"
          inputMode="numeric"
          required
          maxLength={20}
          autoComplete="off"
          placeholder={t("register.phonePlaceholder")}
        />
        <TextField
          field={fields.village}
          label={t("register.village")}
          hint={t("register.villageHint")}
          maxLength={60}
          autoComplete="off"
        />
        {points.length > 0 ? (
          <SelectField
            field={fields.servicePointId}
            label={t("register.servicePoint")}
            required
            options={[
              { value: "", label: t("staffCommon.choose") },
              ...points.map((point) => ({ value: point.id, label: localized(point.name, i18n.language) })),
            ]}
          />
        ) : null}
        <CheckboxField
          field={fields.showOnProductPages}
          label={<span>{t("register.consent")}</span>}
          hint={t("register.consentHint")}
          className="field"
        />
        <SubmitButton>{t("register.submit")}</SubmitButton>
      </StaffForm>
    </section>
  );
}
