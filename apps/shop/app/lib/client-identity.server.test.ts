import {
  CLIENT_HEADER,
  DEV_CLIENT_ADDRESS_SECRET,
  verifyClientIdentity,
} from "@coop/shared/client-signature";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressOf, browserCookie, browserCookieIfMissing, clientIdentityOf } from "./client-identity.server";
import { getApi } from "./context.server";

const withCookie = async (id: string, headers: Record<string, string> = {}) =>
  new Request("http://shop.test/checkout", {
    headers: { cookie: (await browserCookie.serialize(id)).split(";")[0] as string, ...headers },
  });

describe("whom the shop calls the API for", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("gives a browser an id once, and reads it back only when its signature holds", async () => {
    const fresh = new Request("http://shop.test/");
    const setCookie = await browserCookieIfMissing(fresh);
    expect(setCookie).toMatch(/^coop_browser=.+; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax/);
    const id = (await browserCookie.parse(setCookie)) as string;
    const returning = await withCookie(id);
    expect(await browserCookieIfMissing(returning)).toBeNull();
    expect((await clientIdentityOf(returning)).browser).toBe(id);

    const tampered = new Request("http://shop.test/", {
      headers: { cookie: `coop_browser=${btoa('"forged-browser-id-000"')}` },
    });
    expect((await clientIdentityOf(tampered)).browser).toBeNull();
    expect(await browserCookieIfMissing(tampered)).not.toBeNull();
  });

  it("takes the address from the last X-Forwarded-For entry, and only behind a trusted proxy", () => {
    const request = new Request("http://shop.test/", {
      headers: { "x-forwarded-for": "10.0.0.9, 203.0.113.5" },
    });
    expect(addressOf(request, true)).toBe("203.0.113.5");
    expect(addressOf(request, false)).toBeNull();
    expect(addressOf(new Request("http://shop.test/"), true)).toBeNull();
  });

  it("signs the person's browser id into every API call made for their request", async () => {
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", async (_url: URL, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return new Response(JSON.stringify({ items: [] }), { headers: { "content-type": "application/json" } });
    });
    const request = await withCookie("browser_abcdefghijklmnop", { "x-forwarded-for": "203.0.113.5" });
    const api = getApi({}, request);
    await api.listServicePoints();
    await api.listServicePoints();
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      // TRUST_PROXY is off here, so the forwarded address is not believed.
      expect(verifyClientIdentity(headers.get(CLIENT_HEADER), DEV_CLIENT_ADDRESS_SECRET)).toEqual({
        address: null,
        browser: "browser_abcdefghijklmnop",
      });
    }
  });
});
