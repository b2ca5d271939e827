import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError } from "../lib/api.server";
import { readBuyer, saveBuyer } from "../lib/buyer-session.server";
import { readCart, saveCart } from "../lib/cart.server";
import { saveMyOrders } from "../lib/my-orders.server";
import type { Order } from "../lib/orders-api.server";
import { action as reorderAction } from "./account.reorder";
import { action as signInAction } from "./account.sign-in";
import { loader as ordersLoader } from "./orders._index";

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;
const BUYER_TOKEN = `bst_${"b".repeat(43)}`;

function order(id: string, over: Partial<Order> = {}): Order {
  return {
    id,
    status: "confirmed",
    subtotalFen: 400,
    deliveryFeeFen: 0,
    totalFen: 400,
    items: [
      {
        id: `oln_${id}`,
        productId: "prd_eggs",
        name: { zh: "土鸡蛋", en: "Eggs" },
        unit: "piece",
        quantity: 2,
        saleUnit: { id: "sun_piece", label: { zh: "个", en: "piece" } },
        units: 2,
        unitSize: 1,
        unitPriceFen: 200,
        lineTotalFen: 400,
        locationId: "loc_hs01",
      },
    ],
    payment: { method: "cash_on_pickup", status: "unpaid", paidFen: 0, refundedFen: 0 },
    fulfilment: {
      type: "pickup",
      servicePointId: "loc_hs01",
      servicePointName: { zh: "竹山村服务点", en: "Zhushan" },
      address: null,
      trackingNumber: null,
    },
    contact: { name: "李阿姨", phone: "13912345678" },
    pickupCode: null,
    onBehalfOfConsignorId: null,
    pickupLocked: false,
    history: [],
    expiresAt: null,
    createdAt: "2026-11-23T00:00:00.000Z",
    ...over,
  };
}

function request(url: string, init: { form?: Record<string, string | string[]>; cookies?: string[] } = {}) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(init.form ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return new Request(`http://shop.test${url}`, {
    method: init.form ? "POST" : "GET",
    body: init.form ? body : undefined,
    headers: { cookie: (init.cookies ?? []).join("; ") },
  });
}

const context = (api: Partial<ApiClient>) => ({ api: api as ApiClient }) as AppLoadContext;

async function asResponse(run: () => Promise<unknown>): Promise<Response> {
  const result = await run().catch((thrown: unknown) => thrown);
  if (!(result instanceof Response)) throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
  return result;
}

describe("再买一次 (reorder)", () => {
  it("adds the order's goods to the cart once and opens the cart", async () => {
    const cart = cookiePair(
      await saveCart({
        lines: [{ productId: "prd_oil", saleUnitId: "sun_bottle", units: 1 }],
        old: [],
        lastKey: null,
      }),
    );
    // A line bought in a sale unit comes back in it; a line from before sale units as base units to convert.
    const form = { idempotencyKey: "shop-reorder-key-1", item: ["prd_eggs:sun_box:2", "prd_rice:3"] };
    const res = await asResponse(() =>
      reorderAction({
        request: request("/account/reorder", { form, cookies: [cart] }),
        context: context({}),
        params: {},
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/cart");
    const saved = cookiePair(res.headers.getSetCookie()[0]!);
    const after = await readCart(request("/cart", { cookies: [saved] }));
    expect(after.lines).toEqual([
      { productId: "prd_oil", saleUnitId: "sun_bottle", units: 1 },
      { productId: "prd_eggs", saleUnitId: "sun_box", units: 2 },
    ]);
    expect(after.old).toEqual([{ productId: "prd_rice", quantity: 3 }]);
    // The same form again (a double tap) adds nothing.
    const again = await asResponse(() =>
      reorderAction({
        request: request("/account/reorder", { form, cookies: [saved] }),
        context: context({}),
        params: {},
      }),
    );
    const twice = await readCart(
      request("/cart", { cookies: [cookiePair(again.headers.getSetCookie()[0]!)] }),
    );
    expect(twice.lines).toEqual(after.lines);
  });
});

describe("action-only routes refuse a form from another site", () => {
  it("answers 403 and changes no cookie for a cross-site reorder", async () => {
    const body = new URLSearchParams({ idempotencyKey: "shop-reorder-key-x", item: "prd_eggs:999" });
    const res = await asResponse(() =>
      reorderAction({
        request: new Request("http://shop.test/account/reorder", {
          method: "POST",
          body,
          headers: { origin: "https://evil.example", host: "shop.test" },
        }),
        context: context({}),
        params: {},
      }),
    );
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe("sign-in by phone", () => {
  it("texts a code, then exchanges it for a buyer cookie and opens the orders", async () => {
    const asked: string[] = [];
    const api = {
      requestBuyerCode: async (phone: string) => {
        asked.push(phone);
        return { expiresInSeconds: 600, resendAfterSeconds: 60 };
      },
      signInBuyer: async (phone: string, code: string) => {
        expect(code).toBe("123456");
        return { token: BUYER_TOKEN, phone, expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
      },
    };
    const first = (await signInAction({
      request: request("/account/sign-in", { form: { intent: "send", phone: "139 1234 5678" } }),
      context: context(api),
      params: {},
    })) as unknown as { data: { step: string; phone: string; problem: null } };
    expect(asked).toEqual(["13912345678"]);
    expect(first.data).toMatchObject({ step: "code", phone: "13912345678", problem: null });

    const res = await asResponse(() =>
      signInAction({
        request: request("/account/sign-in", {
          form: { intent: "verify", phone: "13912345678", code: "123 456" },
        }),
        context: context(api),
        params: {},
      }),
    );
    expect(res.headers.get("location")).toBe("/orders");
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^coop_buyer=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(await readBuyer(request("/orders", { cookies: [cookiePair(cookie)] }))).toEqual({
      token: BUYER_TOKEN,
      phone: "13912345678",
    });
  });

  it("says how many tries are left for a wrong code, and how long to wait when limited", async () => {
    const wrong = {
      signInBuyer: async () => {
        throw new ApiError(401, "INVALID_CREDENTIALS", "not right", "req", [], {
          reason: "wrong",
          attemptsLeft: 3,
        });
      },
    };
    const result = (await signInAction({
      request: request("/account/sign-in", {
        form: { intent: "verify", phone: "13912345678", code: "000000" },
      }),
      context: context(wrong),
      params: {},
    })) as unknown as { data: Record<string, unknown>; init: { status: number } };
    expect(result.init.status).toBe(401);
    expect(result.data).toMatchObject({ step: "code", problem: "wrongCode", attemptsLeft: 3 });

    const limited = {
      requestBuyerCode: async () => {
        throw new ApiError(429, "RATE_LIMITED", "wait", "req", [], { retryAfterSeconds: 125 });
      },
    };
    const waiting = (await signInAction({
      request: request("/account/sign-in", { form: { intent: "send", phone: "13912345678" } }),
      context: context(limited),
      params: {},
    })) as unknown as { data: Record<string, unknown>; init: { status: number } };
    expect(waiting.init.status).toBe(429);
    expect(waiting.data).toMatchObject({ step: "code", problem: "waitPhone", minutes: 3 });
  });
});

describe("my orders (我的订单)", () => {
  async function buyerCookie() {
    return cookiePair(
      await saveBuyer({ token: BUYER_TOKEN, phone: "13912345678" }, new Date(Date.now() + 86_400_000)),
    );
  }

  it("signed in: lists the phone's orders from the API, each once, with its goods for 再买一次", async () => {
    const calls: string[] = [];
    const api = {
      buyerOrders: async (token: string) => {
        calls.push(token);
        return { items: [order("ord_2"), order("ord_1")], nextCursor: null };
      },
      getOrder: async (_token: string, id: string) => order(id, { pickupCode: "654321" }),
    };
    const device = cookiePair(await saveMyOrders([{ id: "ord_1", token: `oat_${"a".repeat(43)}` }]));
    const result = (await ordersLoader({
      request: request("/orders", { cookies: [await buyerCookie(), device] }),
      context: context(api),
      params: {},
    })) as unknown as {
      data: {
        history: { rows: Array<{ id: string; href: string; items: unknown[]; pickupCode: string | null }> };
        device: unknown[];
      };
    };
    expect(calls).toEqual([BUYER_TOKEN]);
    expect(result.data.history.rows.map((r) => r.id)).toEqual(["ord_2", "ord_1"]);
    expect(result.data.history.rows[0]!.href).toBe("/account/orders/ord_2");
    // Each line keeps the unit it was bought in, for 再买一次.
    expect(result.data.history.rows[0]!.items).toEqual([
      { productId: "prd_eggs", quantity: 2, saleUnit: { id: "sun_piece" }, units: 2 },
    ]);
    // ord_1 was placed on this phone too: shown once, in the history, with its code and its own page.
    expect(result.data.device).toEqual([]);
    const local = result.data.history.rows[1]!;
    expect(local.href).toBe("/orders/ord_1");
    expect(local.pickupCode).toBe("654321");
    expect(result.data.history.rows[0]!.pickupCode).toBeNull();
  });

  it("a session the API refuses is dropped: the phone's own list shows, with the prompt", async () => {
    const api = {
      buyerOrders: async () => {
        throw new ApiError(401, "SESSION_EXPIRED", "expired", "req");
      },
      getOrder: async (_token: string, id: string) => order(id),
    };
    const result = (await ordersLoader({
      request: request("/orders", { cookies: [await buyerCookie()] }),
      context: context(api),
      params: {},
    })) as unknown as { data: { history: unknown }; init: { headers: Headers } };
    expect(result.data.history).toBeNull();
    const cleared = new Headers(result.init.headers).getSetCookie().find((c) => c.startsWith("coop_buyer="));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });
});
