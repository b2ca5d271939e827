import { truncateText } from "@coop/shared";
import { LoginRequest } from "@coop/shared/contract";
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
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { getStaffSession, passwordChangePath, safeStaffPath, staffSessions } from "../lib/session.server";
import type { FormProblem } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeStaffPath(url.searchParams.get("redirectTo"));
  const session = await getStaffSession(request);
  const token = session.get("token");
  // Already logged in: straight to the console.
  if (
    token &&
    (await getApi(context, request)
      .me(token)
      .catch(() => null))
  )
    throw redirect(redirectTo);
  const t = await getT(request, "staff");
  return { title: t("staff.login.title"), redirectTo };
}

const LoginForm = LoginRequest.extend({ redirectTo: z.string().optional() });

/** Which message the form shows; the text itself is in the catalogs (staff.login.errors.*). */
type LoginProblem = "invalidCredentials" | "rateLimited" | "missingFields" | "unavailable";

/** The login page's words for the usual answers to an API error; any other is a bug and is thrown. */
const LOGIN_PROBLEMS: Partial<Record<FormProblem, LoginProblem>> = {
  checkFields: "missingFields",
  loggedOut: "invalidCredentials",
  rateLimited: "rateLimited",
  unavailable: "unavailable",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseStaffForm(await request.formData(), LoginForm);
  // The login typed is shown again (never the password).
  const login =
    typeof submission.payload.login === "string" ? truncateText(submission.payload.login, 64) : "";
  if (submission.status !== "success")
    return data({ problem: "missingFields" as LoginProblem, login }, { status: 400 });
  try {
    const { redirectTo, ...credentials } = submission.value;
    const result = await getApi(context, request).login(credentials);
    const session = await getStaffSession(request);
    session.set("token", result.token);
    const next = safeStaffPath(redirectTo);
    // A password an admin set: first the person chooses their own.
    return redirect(result.user.mustChangePassword ? passwordChangePath(next) : next, {
      headers: {
        "Set-Cookie": await staffSessions.commitSession(session, { expires: new Date(result.expiresAt) }),
      },
    });
  } catch (error) {
    const { problem, status } = apiErrorToReply(error);
    const said = LOGIN_PROBLEMS[problem];
    if (!said) throw error;
    return data({ problem: said, login }, { status });
  }
}

export default function StaffLogin() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useStaffTranslation();
  const [form, fields] = useStaffForm<"login" | "password">(actionData, {
    defaultValue: { login: actionData?.login ?? "" },
  });

  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("staff.login.title")}</h1>
      <p className="lead">{t("staff.login.intro")}</p>

      {actionData?.problem ? (
        <p className="alert" role="alert" id="login-problem">
          {t(`staff.login.errors.${actionData.problem}`)}
        </p>
      ) : null}

      <StaffForm form={form} aria-describedby={actionData?.problem ? "login-problem" : undefined}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          field={fields.login}
          label={t("staff.login.loginLabel")}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={64}
        />
        <TextField
          field={fields.password}
          label={t("staff.login.passwordLabel")}
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
        />
        <SubmitButton>{t("staff.login.submit")}</SubmitButton>
      </StaffForm>
    </section>
  );
}
