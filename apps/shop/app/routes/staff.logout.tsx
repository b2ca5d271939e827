import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { getStaffSession, staffSessions } from "../lib/session.server";

/** Ends the session at the API (best effort) and always clears the cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getStaffSession(request);
  const token = session.get("token");
  if (token) {
    try {
      await getApi(context, request).logout(token);
    } catch (error) {
      // Already expired or revoked, or the API is down: the cookie goes anyway.
      if (!(error instanceof ApiError || error instanceof ApiUnavailableError)) throw error;
    }
  }
  return redirect("/staff/login", { headers: { "Set-Cookie": await staffSessions.destroySession(session) } });
}

/** Logging out is a POST (a link could be prefetched or followed by a crawler). */
export function loader() {
  return redirect("/staff");
}
