import { UpdateServicePoint } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { apiProblem, requireRole, staffFailure } from "../lib/staff.server";
import {
  apiErrorToReply,
  apiFields,
  clearable,
  nameBoxes,
  parseStaffForm,
  staffReply,
  withName,
} from "../lib/staff-form.server";
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

// The contract's edit, the name typed in two boxes; an emptied optional box clears what was there.
const EditedPoint = z
  .object({
    ...nameBoxes(UpdateServicePoint.shape.name.unwrap()),
    village: UpdateServicePoint.shape.village.unwrap(),
    address: clearable(UpdateServicePoint.shape.address),
    phone: clearable(UpdateServicePoint.shape.phone),
    openingHours: clearable(UpdateServicePoint.shape.openingHours),
  })
  .transform(withName);
/** The API's field paths (UpdateServicePoint) as this form's fields. */
const API_FIELDS = apiFields(FIELDS);

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
  const intent = form.get("intent");
  if (intent === "close" || intent === "reopen") {
    try {
      await api.updateServicePoint(token, point.id, { active: intent === "reopen" });
    } catch (error) {
      return apiProblem(error);
    }
    return data({ ok: true as const, notice: intent, problem: null });
  }
  const submission = parseStaffForm(form, EditedPoint);
  if (submission.status !== "success") return staffReply(submission);
  try {
    await api.updateServicePoint(token, point.id, submission.value);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, API_FIELDS));
  }
  return data({ ok: true as const, notice: "saved" as const, problem: null });
}

export default function EditServicePoint() {
  const { point } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const current: Record<Field, string> = {
    nameZh: point.name.zh,
    nameEn: point.name.en,
    village: point.village ?? "",
    address: point.address ?? "",
    phone: point.phone ?? "",
    openingHours: point.openingHours ?? "",
  };
  const [form, fields] = useStaffForm<Field>(result, { defaultValue: current });
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
      <StaffForm form={form}>
        {FIELDS.map((field) => (
          <TextField
            key={field}
            field={fields[field]}
            id={`sp-${field}`}
            label={t(`adminPoints.fields.${field}`)}
            hint={field === "openingHours" ? t("adminPoints.openingHoursHint") : undefined}
            type={field === "phone" ? "tel" : "text"}
            required={!OPTIONAL.includes(field)}
            maxLength={MAX[field]}
            autoComplete="off"
          />
        ))}
        <SubmitButton>{t("staffCommon.save")}</SubmitButton>
      </StaffForm>

      <Form method="post" className="form">
        <input type="hidden" name="intent" value={point.active ? "close" : "reopen"} />
        <p className="field-hint">{t("adminPoints.closeHint")}</p>
        <SubmitButton
          className={
            point.active ? "button button-secondary button-block" : "button button-primary button-block"
          }
        >
          {point.active ? t("adminPoints.close") : t("adminPoints.reopen")}
        </SubmitButton>
      </Form>
    </>
  );
}
