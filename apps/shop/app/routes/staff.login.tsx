import { truncateText } from "@coop/shared";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { getStaffSession, passwordChangePath, safeStaffPath, staffSessions } from "../lib/session.server";
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

const LoginForm = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
  redirectTo: z.string().optional(),
});

/** Which message the form shows; the text itself is in the catalogs (staff.login.errors.*). */
type LoginProblem = "invalidCredentials" | "rateLimited" | "missingFields" | "unavailable";

function problem(kind: LoginProblem, status: number, login: string) {
  return data({ problem: kind, login }, { status });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = LoginForm.safeParse(form);
  const typedLogin = typeof form.login === "string" ? truncateText(form.login, 64) : "";
  if (!parsed.success) return problem("missingFields", 400, typedLogin);

  try {
    const result = await getApi(context, request).login({
      login: parsed.data.login,
      password: parsed.data.password,
    });
    const session = await getStaffSession(request);
    session.set("token", result.token);
    const next = safeStaffPath(parsed.data.redirectTo);
    // A password an admin set: first the person chooses their own.
    return redirect(result.user.mustChangePassword ? passwordChangePath(next) : next, {
      headers: {
        "Set-Cookie": await staffSessions.commitSession(session, { expires: new Date(result.expiresAt) }),
      },
    });
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.code === "RATE_LIMITED") return problem("rateLimited", 429, typedLogin);
      if (error.code === "VALIDATION_FAILED") return problem("missingFields", 400, typedLogin);
      if (error.status === 401) return problem("invalidCredentials", 401, typedLogin);
    }
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503, typedLogin);
    throw error;
  }
}

export default function StaffLogin() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  const submitting = navigation.state === "submitting";

  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("staff.login.title")}</h1>
      <p className="lead">{t("staff.login.intro")}</p>

      {actionData?.problem ? (
        <p className="alert" role="alert" id="login-problem">
          {t(`staff.login.errors.${actionData.problem}`)}
        </p>
      ) : null}

      <Form
        method="post"
        className="form"
        aria-describedby={actionData?.problem ? "login-problem" : undefined}
      >
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="login" className="field-label">
            {t("staff.login.loginLabel")}
          </label>
          <input
            id="login"
            name="login"
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
            defaultValue={actionData?.login ?? ""}
          />
        </div>
        <div className="field">
          <label htmlFor="password" className="field-label">
            {t("staff.login.passwordLabel")}
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
          />
        </div>
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {t("staff.login.submit")}
        </button>
      </Form>
    </section>
  );
}
