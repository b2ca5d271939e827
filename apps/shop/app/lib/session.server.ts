import { type AppLoadContext, createCookieSessionStorage, redirect } from "@remix-run/node";
import { env } from "../env.server";
import type { StaffUser } from "./api.server";
import { apiFailure, getApi } from "./context.server";

interface StaffSessionData {
  /** The API's bearer token; it never reaches the browser's JavaScript (httpOnly). */
  token: string;
}

export const staffSessions = createCookieSessionStorage<StaffSessionData>({
  cookie: {
    name: "coop_staff",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [env.SESSION_SECRET],
    secure: env.NODE_ENV === "production",
  },
});

export function getStaffSession(request: Request) {
  return staffSessions.getSession(request.headers.get("Cookie"));
}

/** Only paths inside the staff area may be returned to after login (no open redirect). */
export function safeStaffPath(value: unknown): string {
  if (typeof value !== "string") return "/staff";
  if (!/^\/staff(?:[/?#]|$)/.test(value) || /^\/staff\/(login|password)/.test(value)) return "/staff";
  return value;
}

/**
 * The logged-in staff member, checked with the API on every request (a token revoked or expired there
 * is refused here at once). Without a valid session: a redirect to the login page, clearing the cookie.
 * An account whose password an admin set is sent to the change-password page (except that page itself).
 */
export async function requireStaff(
  request: Request,
  context: AppLoadContext,
  options: { passwordChangePage?: boolean } = {},
): Promise<{ user: StaffUser; token: string }> {
  const session = await getStaffSession(request);
  const token = session.get("token");
  // An unreachable API is a 503 ("try again in a moment"), not a reason to log the person out.
  const user = token ? await getApi(context, request).me(token).catch(apiFailure) : null;
  if (!token || !user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    throw redirect(`/staff/login?${params}`, {
      headers: token ? { "Set-Cookie": await staffSessions.destroySession(session) } : undefined,
    });
  }
  // A password set by an admin: the person chooses their own before any other staff page (decision 0034).
  if (user.mustChangePassword && !options.passwordChangePage) {
    const url = new URL(request.url);
    throw redirect(passwordChangePath(`${url.pathname}${url.search}`));
  }
  return { user, token };
}

/** The change-password page, returning to `redirectTo` (a staff path) once the password is changed. */
export function passwordChangePath(redirectTo: string): string {
  const back = safeStaffPath(redirectTo);
  return back === "/staff"
    ? "/staff/password"
    : `/staff/password?${new URLSearchParams({ redirectTo: back })}`;
}
