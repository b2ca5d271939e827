import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../lib/context";
import { buyerSecrets } from "./secrets";
import { type BuyerSessionRow, findBuyerSession } from "./sessions";
import { readViewToken } from "./view-tokens";

/**
 * What a buyer's bearer token grants, recognised by the authentication middleware: a session (every order
 * whose contact phone is the session's phone) or a view token (one order). Kept beside the request rather than
 * in the context type, so the staff routes' types are untouched.
 */
export type BuyerGrant =
  | ({ kind: "session" } & BuyerSessionRow)
  | { kind: "order-view"; orderId: string; expiresAt: Date };

/** `Bearer bst_…` (session) or `Bearer ovt_….…` (one order's view token). */
export const BUYER_BEARER = /^Bearer\s+((?:bst|ovt)_[A-Za-z0-9_.-]{20,300})$/;

const grants = new WeakMap<Request, BuyerGrant>();

export async function resolveBuyerGrant(deps: AppDeps, token: string): Promise<BuyerGrant | null> {
  if (token.startsWith("ovt_")) {
    const view = readViewToken(buyerSecrets(deps.env.PICKUP_CODE_SECRET), token);
    return view ? { kind: "order-view", ...view } : null;
  }
  const session = await findBuyerSession(deps.db, token);
  return session ? { kind: "session", ...session } : null;
}

export function setBuyerGrant(c: Context<AppEnv>, grant: BuyerGrant): void {
  grants.set(c.req.raw, grant);
}

// biome-ignore lint/suspicious/noExplicitAny: read from routes with and without requireStaff
export function buyerGrantOf(c: Context<any>): BuyerGrant | null {
  return grants.get(c.req.raw) ?? null;
}

/** Whether the grant opens an order with this id and contact phone. */
export function grantCovers(grant: BuyerGrant, order: { id: string; contactPhone: string }): boolean {
  return grant.kind === "session" ? grant.phone === order.contactPhone : grant.orderId === order.id;
}
