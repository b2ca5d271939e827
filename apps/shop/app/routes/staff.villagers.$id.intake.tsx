import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireRole } from "../lib/staff.server";

/**
 * A villager's "收货" leads to the one intake flow, which works offline and numbers the lot on the phone
 * (docs/decisions/0022); the old server form, which lost what was typed when the line dropped, is gone.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireRole(request, context, ["agent"]);
  return redirect(`/staff/intake?${new URLSearchParams({ villager: params.id ?? "" })}`);
}
