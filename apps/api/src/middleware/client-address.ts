import { CLIENT_HEADER, verifyClientIdentity } from "@coop/shared/client-signature";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AppEnv } from "../lib/context";

/** Who a request is from, as far as the API can tell (docs/decisions/0015-login-throttle.md). */
export interface Caller {
  /** The person's address: the one the shop signed, else the socket's (or the proxy's, with TRUST_PROXY). */
  address: string;
  /**
   * False when the shop vouched for the request but could not see the person's address: `address` is then
   * the shop's own, shared by everyone who comes through it, and must not be used to tell people apart.
   */
  addressIsPersonal: boolean;
  /** The shop's stable id for the person's browser, when the shop signed one. */
  browser: string | null;
}

const callers = new WeakMap<Request, Caller>();

/**
 * The caller of this request. The shop's X-Coop-Client header is believed only when its signature verifies
 * with CLIENT_ADDRESS_SECRET; anything else claimed in it counts for nothing.
 */
export function callerOf(c: Context<AppEnv>): Caller {
  const cached = callers.get(c.req.raw);
  if (cached) return cached;
  const network = networkAddress(c);
  const header = c.req.header(CLIENT_HEADER);
  const signed = header ? verifyClientIdentity(header, c.get("deps").env.CLIENT_ADDRESS_SECRET) : null;
  if (header && !signed)
    c.get("logger")?.warn("X-Coop-Client header ignored: stale or not signed with our secret");
  const caller: Caller = signed
    ? {
        address: signed.address ?? network,
        addressIsPersonal: signed.address !== null,
        browser: signed.browser,
      }
    : { address: network, addressIsPersonal: true, browser: null };
  callers.set(c.req.raw, caller);
  return caller;
}

/** The caller's address, for rate limits and audit. */
export function clientAddress(c: Context<AppEnv>): string {
  return callerOf(c).address;
}

/**
 * The address the request came from. X-Forwarded-For is believed only when TRUST_PROXY is set, and then only
 * its last entry, the one our own proxy appended: the entries before it are whatever the client sent.
 */
function networkAddress(c: Context<AppEnv>): string {
  if (c.get("deps").env.TRUST_PROXY) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // In-process requests (tests, app.request) have no socket.
    return "local";
  }
}

/**
 * Whose Idempotency-Keys an anonymous request shares: the browser the shop signed for (a buyer whose phone
 * changed address after the line dropped still gets their first answer), else the address. Never one scope
 * for everyone: another caller sending the same key and body must not receive this caller's order.
 */
export function anonymousScope(c: Context<AppEnv>): string {
  const caller = callerOf(c);
  return caller.browser ? `public:browser:${caller.browser}` : `public:address:${caller.address}`;
}
