import { randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** Buyer order access tokens carry a prefix so the API never mistakes them for staff session tokens. */
export const ORDER_TOKEN_PREFIX = "oat_";

export function newOrderAccessToken(): string {
  return `${ORDER_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function newPickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
