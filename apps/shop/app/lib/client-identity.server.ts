import { randomBytes } from "node:crypto";
import { type ClientIdentity, isBrowserId } from "@coop/shared/client-signature";
import { createCookie } from "@remix-run/node";
import { env } from "../env.server";

/**
 * Who the shop calls the API for. The API sees only the shop's own address, so the shop tells it the person's
 * (signed, in X-Coop-Client: docs/decisions/0015-login-throttle.md): the browser's address when a proxy of ours
 * says it, and a random id for the browser kept in a signed cookie. The id is what keeps a buyer's retried
 * order theirs when their phone comes back on another address, and what tells staff apart at login when the
 * shop cannot see addresses.
 */

/** The browser's id: signed, so a changed value is thrown away; httpOnly, a year long. No personal data. */
export const browserCookie = createCookie("coop_browser", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: env.NODE_ENV === "production",
  secrets: [env.SESSION_SECRET],
  maxAge: 60 * 60 * 24 * 365,
});

export function newBrowserId(): string {
  return randomBytes(18).toString("base64url");
}

async function browserIdOf(request: Request): Promise<string | null> {
  const value: unknown = await browserCookie.parse(request.headers.get("Cookie")).catch(() => null);
  return isBrowserId(value) ? value : null;
}

/**
 * The person's address: the last X-Forwarded-For entry, the one our own proxy appended, and only with
 * TRUST_PROXY (remix-serve tells a loader nothing about the socket). Otherwise unknown.
 */
export function addressOf(request: Request, trustProxy = env.TRUST_PROXY): string | null {
  if (!trustProxy) return null;
  return request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || null;
}

export async function clientIdentityOf(request: Request): Promise<ClientIdentity> {
  return { address: addressOf(request), browser: await browserIdOf(request) };
}

/** A Set-Cookie value giving the browser its id, or null when it has one already. */
export async function browserCookieIfMissing(request: Request): Promise<string | null> {
  if (await browserIdOf(request)) return null;
  return browserCookie.serialize(newBrowserId());
}
