import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { forgetBuyer, readBuyer } from "../lib/buyer-session.server";
import { getApi } from "../lib/context.server";
import { crossSiteRefusal, isCrossSiteAction } from "../lib/cross-site.server";

/** Signing out ends the session at the API (it stops working on every device at once) and clears the cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  // An action-only route: Remix checks the Origin of pages' form posts, not of these, so this does.
  if (isCrossSiteAction(request)) return crossSiteRefusal(request);
  const buyer = await readBuyer(request);
  if (buyer) {
    await getApi(context, request)
      .signOutBuyer(buyer.token)
      .catch((error: unknown) => {
        // Already ended, or the API away for a moment: the cookie goes either way.
        if (error instanceof ApiError || error instanceof ApiUnavailableError) return;
        throw error;
      });
  }
  return redirect("/orders", { headers: { "Set-Cookie": await forgetBuyer(request) } });
}

export function loader() {
  return redirect("/orders");
}
