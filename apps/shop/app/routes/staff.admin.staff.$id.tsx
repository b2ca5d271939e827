import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token, api, account } = await loadAccount(request, context, params.id ?? "");
  const form = await request.formData();
  const intent = text(form, "intent", 20);
  try {
    if (intent === "disable" || intent === "enable") {
      await api.updateStaff(token, account.id, { active: intent === "enable" });
      return done(intent === "enable" ? "enabled" : "disabled");
    }
    if (intent === "password") {
      const password = typeof form.get("password") === "string" ? String(form.get("password")) : "";
      if (password.length < 8 || password.length > 200)
        return formProblem<Field>("checkFields", 400, { password: "password" });
      await api.resetStaffPassword(token, account.id, password, formKey(form));
      return done("passwordReset");
    }
    const displayName = text(form, "displayName", 60);
    const servicePointCode = text(form, "servicePointCode", 20);
    // An empty name keeps the one the account has.
    await api.updateStaff(token, account.id, {
      ...(displayName ? { displayName } : {}),
      ...(account.role === "agent" && servicePointCode ? { servicePointCode } : {}),
    });
    return done("saved");
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === "INVALID_STATE" &&
      error.fields.some((f) => f.path === "active")
    ) {
      return formProblem<Field, { ownAccount: true }>("checkFields", 409, {}, { ownAccount: true });
    }
    return apiProblem<Field>(error, (path) =>
      path === "displayName" || path === "servicePointCode" || path === "password" ? path : null,
    );
  }
}

export default function EditStaffAccount() {
  const { account, points, isSelf, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const notice = result && "notice" in result ? result.notice : null;
  const ownAccount = Boolean(result && "ownAccount" in result && result.ownAccount);
  const busy = navigation.state === "submitting";
  const pointCode = points.find((p) => p.id === account.servicePointId)?.code ?? "";
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

      <Form method="post" className="form">
        <input type="hidden" name="intent" value="details" />
        <div className="field">
          <label htmlFor="displayName" className="field-label">
            {t("adminStaff.displayName")}
          </label>
          <input
            id="displayName"
            name="displayName"
            type="text"
            maxLength={60}
            defaultValue={account.displayName}
            aria-describedby="displayName-error"
          />
          <FieldError id="displayName-error" problem={fields.displayName} />
        </div>
        {account.role === "agent" ? (
          <div className="field">
            <label htmlFor="servicePointCode" className="field-label">
              {t("adminStaff.movePoint")}
            </label>
            <select id="servicePointCode" name="servicePointCode" defaultValue={pointCode}>
              {points.map((point) => (
                <option key={point.id} value={point.code}>
                  {localized(point.name, i18n.language)} ({point.code})
                </option>
              ))}
            </select>
            <p className="field-hint">{t("adminStaff.moveHint")}</p>
            <FieldError id="servicePointCode-error" problem={fields.servicePointCode} />
          </div>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {t("staffCommon.save")}
        </button>
      </Form>

      <h2>{t("adminStaff.resetTitle")}</h2>
      <Form method="post" className="form" autoComplete="off">
        <input type="hidden" name="intent" value="password" />
        <FormKey value={result?.idempotencyKey || idempotencyKey} />
        <p className="field-hint">{t("adminStaff.resetHint")}</p>
        <div className="field">
          <label htmlFor="password" className="field-label">
            {t("adminStaff.newPassword")}
          </label>
          <input
            id="password"
            name="password"
            type="text"
            required
            minLength={8}
            maxLength={200}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby="password-error"
          />
          <FieldError id="password-error" problem={fields.password} />
        </div>
        <button type="submit" className="button button-secondary button-block" disabled={busy}>
          {t("adminStaff.resetButton")}
        </button>
      </Form>

      {isSelf ? null : (
        <Form method="post" className="form">
          <input type="hidden" name="intent" value={account.active ? "disable" : "enable"} />
          {account.active ? <p className="field-hint">{t("adminStaff.disableHint")}</p> : null}
          <button
            type="submit"
            className={
              account.active ? "button button-secondary button-block" : "button button-primary button-block"
            }
            disabled={busy}
          >
            {account.active ? t("adminStaff.disable") : t("adminStaff.enable")}
          </button>
        </Form>
      )}
    </>
  );
}
