import { CLIENT_HEADER, type ClientIdentity, verifyClientIdentity } from "@coop/shared/client-signature";
import { describe, expect, it } from "vitest";
import { ApiContractError, ApiError, ApiUnavailableError, createApiClient } from "./api.server";

const callerSecret = "a-test-client-address-secret-of-32-chars";
const caller = (identity: ClientIdentity) => ({ identity: async () => identity, secret: callerSecret });

const egg = {
  id: "prd_01jd7x2y3z4a5b6c7d8e9f0g1h",
  sku: "EGG-FREE-RANGE",
  name: { zh: "土鸡蛋", en: "Free-range eggs" },
  kind: "produce",
  unit: "piece",
  priceFen: 200,
  available: 1200,
};
const admin = { id: "usr_1", login: "admin", displayName: "王管理", role: "admin", servicePointId: null };

type Seen = { url: URL; init: RequestInit };

/** A fetch that answers from a function and records what it was asked. */
function fakeFetch(answer: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    seen.push({ url, init });
    return answer(url, init);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const apiError = (status: number, code: string) =>
  json(status, { error: { code, message: `${code} message`, requestId: "req_1" } });

describe("API client", () => {
  it("lists products, passing only the filters given", async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { items: [egg], nextCursor: "abc" }));
    const api = createApiClient({ baseUrl: "http://api.test/", fetch });
    const page = await api.listProducts({ q: "蛋", kind: "produce", limit: 12 });
    expect(page).toEqual({ items: [egg], nextCursor: "abc" });
    expect(seen[0]!.url.pathname).toBe("/v1/products");
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({ q: "蛋", kind: "produce", limit: "12" });
  });

  it("drops fields it does not know and rejects answers of the wrong shape", async () => {
    const extra = fakeFetch(() => json(200, { items: [{ ...egg, secret: "x" }], nextCursor: null }));
    const page = await createApiClient({ baseUrl: "http://api.test", fetch: extra.fetch }).listProducts();
    expect(page.items[0]).not.toHaveProperty("secret");

    const floatPrice = fakeFetch(() => json(200, { items: [{ ...egg, priceFen: 2.5 }], nextCursor: null }));
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch: floatPrice.fetch }).listProducts(),
    ).rejects.toBeInstanceOf(ApiContractError);

    const badUnit = fakeFetch(() => json(200, { items: [{ ...egg, unit: "jin" }], nextCursor: null }));
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch: badUnit.fetch }).listProducts(),
    ).rejects.toThrow(/unit/);
  });

  it("returns null for a product the API does not know", async () => {
    const { fetch, seen } = fakeFetch(() => apiError(404, "NOT_FOUND"));
    const api = createApiClient({ baseUrl: "http://api.test", fetch });
    expect(await api.getProduct("prd/../x")).toBeNull();
    expect(seen[0]!.url.pathname).toBe("/v1/products/prd%2F..%2Fx");
  });

  it("parses a product with its description", async () => {
    const detail = {
      ...egg,
      description: { zh: "散养", en: "Free range" },
      perishable: true,
      producers: [{ name: "刘桂英", village: "竹山村" }],
    };
    const { fetch } = fakeFetch(() => json(200, detail));
    expect(await createApiClient({ baseUrl: "http://api.test", fetch }).getProduct(egg.id)).toEqual(detail);
  });

  it("turns the API's error shape into an ApiError with its code", async () => {
    const { fetch } = fakeFetch(() => apiError(401, "INVALID_CREDENTIALS"));
    const api = createApiClient({ baseUrl: "http://api.test", fetch });
    const error = await api.login({ login: "admin", password: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: "INVALID_CREDENTIALS", requestId: "req_1" });
  });

  it("logs in with a JSON body, saying signed in X-Coop-Client whom it calls for", async () => {
    const { fetch, seen } = fakeFetch(() =>
      json(200, { token: "tok_1", expiresAt: "2026-11-23T20:00:00.000Z", user: admin }),
    );
    const person = { address: "203.0.113.9", browser: "browser_0123456789abcdef" };
    const api = createApiClient({ baseUrl: "http://api.test", fetch, caller: caller(person) });
    const result = await api.login({ login: "admin", password: "pw" });
    expect(result.user.role).toBe("admin");
    const { init } = seen[0]!;
    expect(init.method).toBe("POST");
    expect(JSON.parse(String(init.body))).toEqual({ login: "admin", password: "pw" });
    const headers = new Headers(init.headers);
    expect(headers.get("content-type")).toBe("application/json");
    expect(verifyClientIdentity(headers.get(CLIENT_HEADER), callerSecret)).toEqual(person);
    expect(
      verifyClientIdentity(headers.get(CLIENT_HEADER), "another-secret-of-at-least-32-chars!"),
    ).toBeNull();
  });

  it("sends the signed caller header with every call, file downloads too", async () => {
    const { fetch, seen } = fakeFetch((url) =>
      url.pathname.endsWith(".pdf") ? new Response("%PDF", { status: 200 }) : json(200, { items: [] }),
    );
    const person = { address: null, browser: "browser_fedcba9876543210" };
    const api = createApiClient({ baseUrl: "http://api.test", fetch, caller: caller(person) });
    await api.listServicePoints();
    await api.lotReceiptPdf("tok", "lot_1");
    expect(seen).toHaveLength(2);
    for (const { init } of seen) {
      expect(verifyClientIdentity(new Headers(init.headers).get(CLIENT_HEADER), callerSecret)).toEqual(
        person,
      );
    }
    expect(new Headers(seen[1]!.init.headers).get("authorization")).toBe("Bearer tok");
  });

  it("sends the bearer token, and reads a 401 from /me as 'no user'", async () => {
    const { fetch, seen } = fakeFetch((_url, init) =>
      new Headers(init.headers).get("authorization") === "Bearer good"
        ? json(200, { user: admin })
        : apiError(401, "UNAUTHENTICATED"),
    );
    const api = createApiClient({ baseUrl: "http://api.test", fetch });
    expect(await api.me("good")).toEqual(admin);
    expect(await api.me("stale")).toBeNull();
    expect(seen.map((s) => s.url.pathname)).toEqual(["/v1/auth/me", "/v1/auth/me"]);
  });

  it("accepts 204 from logout", async () => {
    const { fetch, seen } = fakeFetch(() => new Response(null, { status: 204 }));
    await createApiClient({ baseUrl: "http://api.test", fetch }).logout("tok");
    expect(seen[0]!.init.method).toBe("POST");
  });

  it("reports an API that cannot be reached as unavailable", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed");
    });
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch }).listProducts(),
    ).rejects.toBeInstanceOf(ApiUnavailableError);
  });

  it("reports a timeout as unavailable", async () => {
    const { fetch } = fakeFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const api = createApiClient({ baseUrl: "http://api.test", fetch, timeoutMs: 20 });
    await expect(api.listProducts()).rejects.toBeInstanceOf(ApiUnavailableError);
  });

  it("reports the API's 503 for a database outage as unavailable, but Stripe being down as a payment problem", async () => {
    const down = fakeFetch(() => apiError(503, "SERVICE_UNAVAILABLE"));
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch: down.fetch }).listProducts(),
    ).rejects.toBeInstanceOf(ApiUnavailableError);
    const stripeDown = fakeFetch(() => apiError(503, "PAYMENT_UNAVAILABLE"));
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch: stripeDown.fetch }).listProducts(),
    ).rejects.toMatchObject({ code: "PAYMENT_UNAVAILABLE", status: 503 });
  });

  it("reports a gateway error without the error shape as unavailable", async () => {
    const { fetch } = fakeFetch(() => new Response("Bad Gateway", { status: 502 }));
    await expect(
      createApiClient({ baseUrl: "http://api.test", fetch }).listProducts(),
    ).rejects.toBeInstanceOf(ApiUnavailableError);
  });
});
