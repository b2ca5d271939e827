import { ChangePassword, STAFF_PASSWORD_MIN_LENGTH } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { requireStaff, safeStaffPath } from "../lib/session.server";
import type { FieldProblem } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm } from "../lib/staff-form.server";
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

// The contract's change, the new password typed twice; the API checks the current one.
const PasswordForm = ChangePassword.extend({
  confirmPassword: ChangePassword.shape.newPassword,
  redirectTo: z.string().optional(),
})
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"] })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["currentPassword"] });

/** The one sentence for what the schema refused, in the order a person fixes it. */
function problemOf(error: Record<string, FieldProblem[] | null>): PasswordProblem {
  if (Object.values(error).some((keys) => keys?.includes("required"))) return "missingFields";
  if (error.newPassword) return "tooShort";
  if (error.confirmPassword) return "mismatch";
  return "same";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireStaff(request, context, { passwordChangePage: true });
  const form = await request.formData();
  const problem = (kind: PasswordProblem, status: number) =>
    data({ problem: kind, idempotencyKey: newFormKey() }, { status });
  const submission = parseStaffForm(form, PasswordForm);
  if (submission.status !== "success") return problem(problemOf(submission.error ?? {}), 400);
  const { currentPassword, newPassword, redirectTo } = submission.value;
  try {
    await getApi(context, request).changePassword(token, { currentPassword, newPassword }, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && error.code === "CURRENT_PASSWORD_WRONG")
      return problem("currentWrong", 400);
    const { problem: said, status, fields } = apiErrorToReply(error, ["newPassword"]);
    if (said === "checkFields") return problem(fields?.newPassword ? "tooShort" : "missingFields", 400);
    if (said === "rateLimited" || said === "unavailable") return problem(said, status);
    throw error;
  }
  const back = safeStaffPath(redirectTo);
  return redirect(`${back}${back.includes("?") ? "&" : "?"}passwordChanged=1`);
}

export default function StaffPassword() {
  const { forced, redirectTo, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useStaffTranslation();
  // The page says what is wrong in one sentence; the fields it concerns are marked invalid.
  const [form, fields] = useStaffForm<"currentPassword" | "newPassword" | "confirmPassword">(result);
  const min = STAFF_PASSWORD_MIN_LENGTH;
  const invalid = (problem: PasswordProblem[]) =>
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
      <StaffForm
        form={form}
        idempotencyKey={result?.idempotencyKey ?? idempotencyKey}
        aria-describedby={result ? "password-problem" : undefined}
      >
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          field={fields.currentPassword}
          label={t("staff.password.currentLabel")}
          hint={forced ? t("staff.password.currentHint") : undefined}
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
          aria-invalid={invalid(["currentWrong", "same"])}
        />
        <TextField
          field={fields.newPassword}
          label={t("staff.password.newLabel")}
          hint={t("staff.password.newHint", { min })}
          type="password"
          autoComplete="new-password"
          required
          minLength={min}
          maxLength={200}
          aria-invalid={invalid(["tooShort", "same", "mismatch"])}
        />
        <TextField
          field={fields.confirmPassword}
          label={t("staff.password.confirmLabel")}
          type="password"
          autoComplete="new-password"
          required
          minLength={min}
          maxLength={200}
          aria-invalid={invalid(["mismatch"])}
        />
        <SubmitButton className="button button-primary button-block button-big">
          {t("staff.password.submit")}
        </SubmitButton>
      </StaffForm>
    </section>
  );
}
