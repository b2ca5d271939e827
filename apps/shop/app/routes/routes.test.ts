import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, ApiUnavailableError } from "../lib/api.server";
import { placeCookie } from "../lib/places.server";
import { staffSessions } from "../lib/session.server";
import { loader as productsLoader } from "./products._index";
import { loader as productLoader } from "./products.$id";
import { loader as consoleLoader } from "./staff._index";

/** A load context whose API client has only the methods a test gives it. */
function contextWith(api: Partial<ApiClient>): AppLoadContext {
  return { api: api as ApiClient };
}

const args = (url: string, context: AppLoadContext, params: Record<string, string> = {}) => ({
  request: new Request(`http://shop.test${url}`),
  context,
  params,
});

async function thrownBy(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (result instanceof Response) return result;
  // data() throws an ErrorResponse-like object with init.status under single fetch.
  if (result && typeof result === "object" && "init" in result) {
    const init = (result as { init: ResponseInit | null }).init;
    return new Response(null, { status: init?.status ?? 200, headers: init?.headers });
  }
  throw new Error(`expected a thrown response, got ${String(result)}`);
}

describe("product page loader", () => {
  it("answers 404 for a product the API does not know", async () => {
    const context = contextWith({ getProduct: async () => null });
    const response = await thrownBy(productLoader(args("/products/prd_x", context, { id: "prd_x" })));
    expect(response.status).toBe(404);
  });

  it("answers 503 when the API cannot be reached", async () => {
    const context = contextWith({
      getProduct: async () => {
        throw new ApiUnavailableError("down");
      },
    });
    const response = await thrownBy(productLoader(args("/products/prd_x", context, { id: "prd_x" })));
    expect(response.status).toBe(503);
  });

  it("titles the page with the product name in the request's language", async () => {
    const product = {
      id: "prd_1",
      sku: "EGG",
      name: { zh: "土鸡蛋", en: "Free-range eggs" },
      description: { zh: "", en: "" },
      kind: "produce" as const,
      unit: "piece" as const,
      priceFen: 200,
      perishable: true,
      available: 3,
      producers: [],
    };
    const context = contextWith({ getProduct: async () => product });
    expect((await productLoader(args("/products/prd_1", context, { id: "prd_1" }))).title).toBe("土鸡蛋");
    expect((await productLoader(args("/products/prd_1?lng=en", context, { id: "prd_1" }))).title).toBe(
      "Free-range eggs",
    );
  });
});

describe("product list loader", () => {
  it("passes search, a known kind and the cursor to the API, and ignores an unknown kind", async () => {
    const calls: unknown[] = [];
    const context = contextWith({
      listProducts: async (input) => {
        calls.push(input);
        return { items: [], nextCursor: null };
      },
    });
    await productsLoader(args("/products?q=%20蛋%20&kind=supply&cursor=c1", context));
    await productsLoader(args("/products?kind=weapons", context));
    expect(calls).toEqual([
      { q: "蛋", kind: "supply", cursor: "c1", limit: 12 },
      { q: undefined, kind: undefined, cursor: undefined, limit: 12 },
    ]);
  });
});

describe("the buyer's remembered place", () => {
  const point = {
    id: "loc_zhushan",
    code: "SP-ZS01",
    name: { zh: "竹山村服务点", en: "Zhushan point" },
    village: "竹山村",
    address: null,
    phone: null,
    openingHours: null,
  };
  const withPlace = async (url: string, value: string) => {
    const cookie = (await placeCookie.serialize(value)).split(";")[0]!;
    return { request: new Request(`http://shop.test${url}`, { headers: { cookie } }), params: {} };
  };

  it("counts the list for the remembered open point, and for delivery once that point has closed", async () => {
    const calls: unknown[] = [];
    const listProducts = async (input: unknown) => {
      calls.push(input);
      return { items: [], nextCursor: null };
    };
    const open = contextWith({ listProducts, listServicePoints: async () => [point] });
    const data = await productsLoader({
      ...(await withPlace("/products", "pickup:loc_zhushan")),
      context: open,
    });
    expect(data.place).toEqual({ type: "pickup", id: "loc_zhushan", name: point.name });
    const closed = contextWith({ listProducts, listServicePoints: async () => [] });
    const after = await productsLoader({
      ...(await withPlace("/products", "pickup:loc_zhushan")),
      context: closed,
    });
    expect(after.place).toBeNull();
    // Asked for the point at once (side by side with the points); counted again once it proved closed.
    expect(calls).toEqual([
      { limit: 12, servicePointId: "loc_zhushan" },
      { limit: 12, servicePointId: "loc_zhushan" },
      { limit: 12, servicePointId: undefined },
    ]);
  });

  it("counts for delivery when the API refuses a point the list still showed, and fails on other errors", async () => {
    const calls: unknown[] = [];
    const refusing = contextWith({
      listServicePoints: async () => [point],
      listProducts: async (input) => {
        calls.push(input?.servicePointId);
        if (input?.servicePointId) {
          throw new ApiError(400, "VALIDATION_FAILED", "closed", "req_1", [
            { path: "servicePointId", message: "no such open service point" },
          ]);
        }
        return { items: [], nextCursor: null };
      },
    });
    const data = await productsLoader({
      ...(await withPlace("/products", "pickup:loc_zhushan")),
      context: refusing,
    });
    expect(calls).toEqual(["loc_zhushan", undefined]);
    expect(data.page).toEqual({ items: [], nextCursor: null });
    const down = contextWith({
      listServicePoints: async () => [point],
      listProducts: async () => {
        throw new ApiUnavailableError("down");
      },
    });
    const response = await thrownBy(
      productsLoader({ ...(await withPlace("/products", "pickup:loc_zhushan")), context: down }),
    );
    expect(response.status).toBe(503);
  });
});

describe("staff console loader", () => {
  it("sends a visitor without a session to the login page", async () => {
    const context = contextWith({ me: async () => null });
    const response = await thrownBy(consoleLoader(args("/staff", context)));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/staff/login?redirectTo=%2Fstaff");
  });

  it("sends a staff member whose token the API refuses to the login page, clearing the cookie", async () => {
    const session = await staffSessions.getSession();
    session.set("token", "revoked");
    const cookie = (await staffSessions.commitSession(session)).split(";")[0]!;
    const context = contextWith({ me: async () => null });
    const response = await thrownBy(
      consoleLoader({
        request: new Request("http://shop.test/staff", { headers: { cookie } }),
        context,
        params: {},
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/coop_staff=;/);
  });

  it("answers 503, keeping the session, when the API cannot be reached", async () => {
    const session = await staffSessions.getSession();
    session.set("token", "good");
    const cookie = (await staffSessions.commitSession(session)).split(";")[0]!;
    const context = contextWith({
      me: async () => {
        throw new ApiUnavailableError("down");
      },
    });
    const response = await thrownBy(
      consoleLoader({
        request: new Request("http://shop.test/staff", { headers: { cookie } }),
        context,
        params: {},
      }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("shows each role its own tiles", async () => {
    const session = await staffSessions.getSession();
    session.set("token", "good");
    const cookie = (await staffSessions.commitSession(session)).split(";")[0]!;
    for (const [role, first] of [
      ["admin", "products"],
      ["warehouse", "receiveCollections"],
      ["agent", "registerVillager"],
    ] as const) {
      const context = contextWith({
        me: async (token) =>
          token === "good" ? { id: "usr_1", login: "x", displayName: "X", role, servicePointId: null } : null,
      });
      const data = await consoleLoader({
        request: new Request("http://shop.test/staff", { headers: { cookie } }),
        context,
        params: {},
      });
      expect(data.user.role).toBe(role);
      expect(data.tiles[0]?.key).toBe(first);
    }
  });
});
