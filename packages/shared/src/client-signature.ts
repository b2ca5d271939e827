import { createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/**
 * The shop calls the API from its own server, so the API sees the shop's address for every person. The shop
 * says who it is calling for in this header, signed with a secret both share (CLIENT_ADDRESS_SECRET); the API
 * believes it only when the signature holds (docs/decisions/0015-login-throttle.md). Node only: never import
 * this from code that reaches the browser.
 */
export const CLIENT_HEADER = "x-coop-client";

/** Used only outside production by both apps, so `pnpm dev` works out of the box. Never accepted in production. */
export const DEV_CLIENT_ADDRESS_SECRET = "dev-only-client-address-secret-not-for-production";

/** A signed header older (or further in the future) than this is ignored: a captured one soon goes stale. */
export const CLIENT_HEADER_MAX_AGE_SECONDS = 120;

export interface ClientIdentity {
  /** The person's IP address as the shop saw it; null when the shop cannot know it (no trusted proxy). */
  address: string | null;
  /** The shop's random id for the person's browser (a signed cookie); null when the browser has none yet. */
  browser: string | null;
}

const BROWSER_ID = /^[A-Za-z0-9_-]{16,64}$/;
const VERSION = "v1";

/** True for a value the shop may send as a browser id (what `newBrowserId` makes). */
export function isBrowserId(value: unknown): value is string {
  return typeof value === "string" && BROWSER_ID.test(value);
}

function signature(secret: string, address: string, browser: string, timestamp: string): string {
  return createHmac("sha256", secret)
    .update(`${VERSION}\n${address}\n${browser}\n${timestamp}`)
    .digest("base64url");
}

/** The header value for `identity`, signed now. Fields the header cannot carry safely are left out. */
export function signClientIdentity(identity: ClientIdentity, secret: string, now = Date.now()): string {
  const address = identity.address && isIP(identity.address) ? identity.address : "";
  const browser = isBrowserId(identity.browser) ? identity.browser : "";
  const timestamp = String(Math.floor(now / 1000));
  const params = new URLSearchParams({ a: address, b: browser, t: timestamp });
  params.set("s", signature(secret, address, browser, timestamp));
  return `${VERSION};${params.toString()}`;
}

/**
 * The identity in a header value, or null when there is none, it is malformed, stale, or its signature does
 * not verify with `secret`: an unsigned claim must count for nothing.
 */
export function verifyClientIdentity(
  header: string | null | undefined,
  secret: string,
  now = Date.now(),
): ClientIdentity | null {
  if (!header || header.length > 512 || !header.startsWith(`${VERSION};`)) return null;
  const params = new URLSearchParams(header.slice(VERSION.length + 1));
  const address = params.get("a") ?? "";
  const browser = params.get("b") ?? "";
  const timestamp = params.get("t") ?? "";
  const given = params.get("s") ?? "";
  if (!/^\d{1,12}$/.test(timestamp)) return null;
  if (Math.abs(now / 1000 - Number(timestamp)) > CLIENT_HEADER_MAX_AGE_SECONDS) return null;
  const expected = Buffer.from(signature(secret, address, browser, timestamp));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  if (address && !isIP(address)) return null;
  if (browser && !isBrowserId(browser)) return null;
  return { address: address || null, browser: browser || null };
}
