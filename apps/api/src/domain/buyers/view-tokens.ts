import { sameHex } from "../orders/pickup-codes";
import type { BuyerSecrets } from "./secrets";

/**
 * A short-lived token that opens ONE order, given to a buyer who looked it up by phone + pickup code on a
 * device that holds neither its access token nor a session for the phone. Stateless: the order id and the
 * expiry, signed with the API's secret (label "buyer-order-view"); nothing to store or purge.
 */
export const VIEW_TOKEN_PREFIX = "ovt_";
export const VIEW_TOKEN_TTL_SECONDS = 30 * 60;

export function issueViewToken(secrets: BuyerSecrets, orderId: string, now = Date.now()) {
  const expiresAt = new Date(now + VIEW_TOKEN_TTL_SECONDS * 1000);
  const payload = Buffer.from(`${orderId}|${expiresAt.getTime()}`).toString("base64url");
  return { token: `${VIEW_TOKEN_PREFIX}${payload}.${secrets.viewMac(payload)}`, expiresAt };
}

/** The order a view token opens, or null when it is altered, not ours or expired. */
export function readViewToken(
  secrets: BuyerSecrets,
  token: string,
  now = Date.now(),
): { orderId: string; expiresAt: Date } | null {
  if (!token.startsWith(VIEW_TOKEN_PREFIX)) return null;
  const [payload, mac, ...rest] = token.slice(VIEW_TOKEN_PREFIX.length).split(".");
  if (!payload || !mac || rest.length > 0 || !sameHex(secrets.viewMac(payload), mac)) return null;
  const [orderId, expires] = Buffer.from(payload, "base64url").toString("utf8").split("|");
  const expiresAt = Number(expires);
  if (!orderId || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  return { orderId, expiresAt: new Date(expiresAt) };
}
