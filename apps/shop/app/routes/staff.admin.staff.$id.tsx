import { ResetPassword, UpdateStaff } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SelectField, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { apiProblem, formKey, formProblem, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "displayName" | "servicePointCode" | "password";
type Notice = "saved" | "disabled" | "enabled" | "passwordReset";

async function loadAccount(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const { token, user } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const [account, points] = await Promise.all([
    api.getStaff(token, id).catch(fail),
    api.searchPlaces(token, { kind: "service_point" }).catch(fail),
  ]);
  return { token, api, user, account, points };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const [{ account, points, user }, t] = await Promise.all([
    loadAccount(request, context, params.id ?? ""),
    getT(request, "staff"),
  ]);
  return {
    title: `${t("adminStaff.edit")} · ${account.displayName}`,
    account,
    points,
    isSelf: user.id === account.id,
    idempotencyKey: newFormKey(),
  };
}

const done = (notice: Notice) =>
  data({ ok: true as const, notice, problem: null, fields: {}, idempotencyKey: "" });

// The contract's account change: an empty name keeps the one the account has.
const AccountDetails = UpdateStaff.pick({ displayName: true, servicePointCode: true });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token, api, account } = await loadAccount(request, context, params.id ?? "");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "disable" || intent === "enable") {
    try {
      await api.updateStaff(token, account.id, { active: intent === "enable" });
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.code === "INVALID_STATE" &&
        error.fields.some((f) => f.path === "active")
      )
        return formProblem<Field, { ownAccount: true }>("checkFields", 409, {}, { ownAccount: true });
      return apiProblem(error);
    }
    return done(intent === "enable" ? "enabled" : "disabled");
  }
  if (intent === "password") {
    const submission = parseStaffForm(form, ResetPassword, { password: "password" });
    if (submission.status !== "success") return staffReply(submission);
    try {
      await api.resetStaffPassword(token, account.id, submission.value.password, formKey(form));
    } catch (error) {
      return staffReply(submission, apiErrorToReply(error, ["password"]));
    }
    return done("passwordReset");
  }
  const submission = parseStaffForm(form, AccountDetails);
  if (submission.status !== "success") return staffReply(submission);
  const { displayName, servicePointCode } = submission.value;
  try {
    await api.updateStaff(token, account.id, {
      ...(displayName ? { displayName } : {}),
      ...(account.role === "agent" && servicePointCode ? { servicePointCode } : {}),
    });
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, ["displayName", "servicePointCode"]));
  }
  return done("saved");
}

export default function EditStaffAccount() {
  const { account, points, isSelf, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const notice = result && "notice" in result ? result.notice : null;
  const ownAccount = Boolean(result && "ownAccount" in result && result.ownAccount);
  const pointCode = points.find((p) => p.id === account.servicePointId)?.code ?? "";
  const [details, fields] = useStaffForm<"displayName" | "servicePointCode">(result, {
    intent: "details",
    defaultValue: { displayName: account.displayName, servicePointCode: pointCode },
  });
  const [reset, resetFields] = useStaffForm<"password">(result, { intent: "password" });
  return (
    <>
      <BackLink to="/staff/admin/staff">{t("adminStaff.title")}</BackLink>
      <h1>{account.displayName}</h1>
      <p className="muted">
        {t(`staff.roles.${account.role}`)} · {t("adminStaff.loginIs", { login: account.login })}
        {account.active ? null : (
          <>
            {" "}
            <span className="badge badge-warn">{t("adminStaff.inactive")}</span>
          </>
        )}
      </p>
      <FormAlert problem={result?.problem} />
      {ownAccount ? (
        <p className="alert" role="alert">
          {t("adminStaff.ownAccount")}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice === "disabled"
            ? t("adminStaff.disabledNotice")
            : notice === "enabled"
              ? t("adminStaff.enabledNotice")
              : notice === "passwordReset"
                ? t("adminStaff.resetDone")
                : t("staffCommon.saved")}
        </p>
      ) : null}

      <StaffForm form={details}>
        <input type="hidden" name="intent" value="details" />
        <TextField field={fields.displayName} label={t("adminStaff.displayName")} maxLength={60} />
        {account.role === "agent" ? (
          <SelectField
            field={fields.servicePointCode}
            label={t("adminStaff.movePoint")}
            hint={t("adminStaff.moveHint")}
            options={points.map((point) => ({
              value: point.code,
              label: `${localized(point.name, i18n.language)} (${point.code})`,
            }))}
          />
        ) : null}
        <SubmitButton>{t("staffCommon.save")}</SubmitButton>
      </StaffForm>

      <h2>{t("adminStaff.resetTitle")}</h2>
      <StaffForm form={reset} idempotencyKey={result?.idempotencyKey || idempotencyKey} autoComplete="off">
        <input type="hidden" name="intent" value="password" />
        <p className="field-hint">{t("adminStaff.resetHint")}</p>
        <TextField
          field={resetFields.password}
          label={t("adminStaff.newPassword")}
          required
          minLength={8}
          maxLength={200}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <SubmitButton className="button button-secondary button-block">
          {t("adminStaff.resetButton")}
        </SubmitButton>
      </StaffForm>

      {isSelf ? null : (
        <Form method="post" className="form">
          <input type="hidden" name="intent" value={account.active ? "disable" : "enable"} />
          {account.active ? <p className="field-hint">{t("adminStaff.disableHint")}</p> : null}
          <SubmitButton
            className={
              account.active ? "button button-secondary button-block" : "button button-primary button-block"
            }
          >
            {account.active ? t("adminStaff.disable") : t("adminStaff.enable")}
          </SubmitButton>
        </Form>
      )}
    </>
  );
}
