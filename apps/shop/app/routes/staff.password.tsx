import { STAFF_PASSWORD_MIN_LENGTH } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormKey } from "../components/staff/FormBits";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { requireStaff, safeStaffPath } from "../lib/session.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/**
 * 设置您自己的密码: where a staff member whose password an admin set (reset, or a new account) is sent until
 * they choose their own, and where anyone may change theirs. Current password + the new one twice; the API
 * checks the current one (counted like a failed login) and ends the account's other sessions.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, context, { passwordChangePage: true });
  const t = await getT(request, "staff");
  return {
    title: t("staff.password.title"),
    forced: Boolean(user.mustChangePassword),
    redirectTo: safeStaffPath(new URL(request.url).searchParams.get("redirectTo")),
    idempotencyKey: newFormKey(),
  };
}

type PasswordProblem =
  | "currentWrong"
  | "tooShort"
  | "mismatch"
  | "same"
  | "missingFields"
  | "rateLimited"
  | "unavailable";

/** A password as typed: never trimmed (a space may be part of it), at most 200 characters. */
function password(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.slice(0, 200) : "";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireStaff(request, context, { passwordChangePage: true });
  const form = await request.formData();
  const problem = (kind: PasswordProblem, status: number) =>
    data({ problem: kind, idempotencyKey: newFormKey() }, { status });
  const currentPassword = password(form, "currentPassword");
  const newPassword = password(form, "newPassword");
  const confirm = password(form, "confirmPassword");
  if (!currentPassword || !newPassword || !confirm) return problem("missingFields", 400);
  if (newPassword.length < STAFF_PASSWORD_MIN_LENGTH) return problem("tooShort", 400);
  if (newPassword !== confirm) return problem("mismatch", 400);
  if (newPassword === currentPassword) return problem("same", 400);
  try {
    await getApi(context, request).changePassword(token, { currentPassword, newPassword }, formKey(form));
  } catch (error) {
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503);
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "CURRENT_PASSWORD_WRONG") return problem("currentWrong", 400);
    if (error.code === "RATE_LIMITED") return problem("rateLimited", 429);
    if (error.code === "VALIDATION_FAILED") {
      return problem(error.fields.some((f) => f.path === "newPassword") ? "tooShort" : "missingFields", 400);
    }
    throw error;
  }
  const back = safeStaffPath(text(form.get("redirectTo")));
  return redirect(`${back}${back.includes("?") ? "&" : "?"}passwordChanged=1`);
}

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export default function StaffPassword() {
  const { forced, redirectTo, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  const min = STAFF_PASSWORD_MIN_LENGTH;
  const field = (problem: PasswordProblem[]) =>
    result && problem.includes(result.problem) ? true : undefined;

  return (
    <section className="narrow" aria-labelledby="password-title">
      <h1 id="password-title">{t("staff.password.title")}</h1>
      <p className={forced ? "notice" : "lead"} data-testid="password-intro">
        {t(forced ? "staff.password.forced" : "staff.password.voluntary")}
      </p>
      {result ? (
        <p className="alert" role="alert" id="password-problem">
          {t(`staff.password.errors.${result.problem}`, { min })}
        </p>
      ) : null}
      <Form method="post" className="form" aria-describedby={result ? "password-problem" : undefined}>
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="currentPassword" className="field-label">
            {t("staff.password.currentLabel")}
          </label>
          <input
            id="currentPassword"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            aria-invalid={field(["currentWrong", "same"])}
            aria-describedby={forced ? "current-hint" : undefined}
          />
          {forced ? (
            <p className="field-hint" id="current-hint">
              {t("staff.password.currentHint")}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="newPassword" className="field-label">
            {t("staff.password.newLabel")}
          </label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={min}
            maxLength={200}
            aria-invalid={field(["tooShort", "same", "mismatch"])}
            aria-describedby="new-hint"
          />
          <p className="field-hint" id="new-hint">
            {t("staff.password.newHint", { min })}
          </p>
        </div>
        <div className="field">
          <label htmlFor="confirmPassword" className="field-label">
            {t("staff.password.confirmLabel")}
          </label>
          <input
            id="confirmPassword"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={min}
            maxLength={200}
            aria-invalid={field(["mismatch"])}
          />
        </div>
        <button
          type="submit"
          className="button button-primary button-block button-big"
          disabled={navigation.state === "submitting"}
        >
          {t("staff.password.submit")}
        </button>
      </Form>
    </section>
  );
}
