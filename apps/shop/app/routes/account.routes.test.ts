import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError } from "../lib/api.server";
import { readBuyer } from "../lib/buyer-session.server";
import { readCart, saveCart } from "../lib/cart.server";
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
      await saveCart({ lines: [{ productId: "prd_oil", quantity: 500 }], lastKey: null }),
    );
    const form = { idempotencyKey: "shop-reorder-key-1", item: ["prd_eggs:2", "prd_rice:3"] };
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
      { productId: "prd_oil", quantity: 500 },
      { productId: "prd_eggs", quantity: 2 },
      { productId: "prd_rice", quantity: 3 },
    ]);
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
