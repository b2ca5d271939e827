import { UpdateCoopSettings } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { bpsToPercent } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, percentAsBps, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const [t, coop] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).getCoop(token).catch(staffFailure(request)),
  ]);
  return { title: t("commission.title"), percent: bpsToPercent(coop.defaultCommissionBps) };
}

// The co-op's commission as the contract bounds it, typed as a percent ("12", "8.5").
const CommissionForm = z.object({
  percent: percentAsBps(UpdateCoopSettings.shape.defaultCommissionBps.unwrap()),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const submission = parseStaffForm(await request.formData(), CommissionForm, { percent: "percent" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    const coop = await getApi(context, request).updateCoop(token, {
      defaultCommissionBps: submission.value.percent,
    });
    return data({ ok: true as const, problem: null, saved: bpsToPercent(coop.defaultCommissionBps) });
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, { defaultCommissionBps: "percent" }));
  }
}

/** The co-op's usual commission on consigned sales; a product may set its own. */
export default function CommissionRules() {
  const { percent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useStaffTranslation();
  const [form, fields] = useStaffForm<"percent">(result, { defaultValue: { percent } });
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("commission.title")}</h1>
      <p className="balance">
        <span>{t("commission.current")}</span> <span>{percent}%</span>
      </p>
      <p className="lead">{t("commission.explain")}</p>
      <FormAlert problem={result?.problem} />
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <StaffForm form={form}>
        <TextField
          field={fields.percent}
          label={t("commission.label")}
          unit="%"
          inputMode="decimal"
          required
          autoComplete="off"
        />
        <SubmitButton>{t("staffCommon.save")}</SubmitButton>
      </StaffForm>
      <p>
        <Link to="/staff/admin/products" className="button button-quiet button-block">
          {t("commission.perProduct")}
        </Link>
      </p>
    </>
  );
}
