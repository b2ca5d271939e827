import { randomBytes } from "node:crypto";

/** Buyer order access tokens carry a prefix so the API never mistakes them for staff session tokens. */
export const ORDER_TOKEN_PREFIX = "oat_";

export function newOrderAccessToken(): string {
  return `${ORDER_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}
