import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError } from "../lib/api.server";
import { saveCart } from "../lib/cart.server";
import { action as checkoutAction } from "./checkout";

const eggs = {
  id: "prd_eggs",
  sku: "EGG-TU",
  name: { zh: "土鸡蛋", en: "Free-range eggs" },
  description: { zh: "", en: "" },
  kind: "produce" as const,
  unit: "piece" as const,
  priceFen: 200,
  perishable: true,
  available: 40,
  producers: [],
};

/** Issue 11 item 6: a buyer whose pickup point was closed after the page loaded is told so, and keeps the cart. */
describe("checkout at a service point closed meanwhile", () => {
  it("says the point is closed, marks the point field and keeps the cart", async () => {
    const cart = (
      await saveCart({
        lines: [{ productId: "prd_eggs", saleUnitId: "sun_piece", units: 6 }],
        old: [],
        lastKey: null,
      })
    ).split(";")[0]!;
    const request = new Request("http://shop.test/checkout", {
      method: "POST",
      body: new URLSearchParams({
        idempotencyKey: "shop-checkout-closed-1",
        name: "王小明",
        phone: "139 1234 5678",
        fulfilment: "pickup",
        servicePointId: "loc_closed",
        paymentMethod: "cash_on_pickup",
      }),
      headers: { cookie: cart },
    });
    const api: Partial<ApiClient> = {
      checkoutOptions: async () => ({
        paymentMethods: ["cash_on_pickup" as const],
        deliveryFeeFen: 1000,
        freeDeliveryOverFen: null,
        stripePublishableKey: null,
        unpaidOrderSeconds: 1800,
      }),
      getProduct: async () => eggs,
      createOrder: async () => {
        throw new ApiError(409, "SERVICE_POINT_CLOSED", "closed", "req", [
          { path: "fulfilment.servicePointId", message: "closed for now" },
        ]);
      },
    };
    const context = { api: api as ApiClient } as AppLoadContext;
    const result = (await checkoutAction({ request, context, params: {} })) as unknown as {
      data: Record<string, unknown>;
      init: ResponseInit | null;
    };
    expect(result.init?.status).toBe(409);
    expect(result.data.problem).toBe("pointClosed");
    expect(result.data.fields).toEqual({ servicePointId: "servicePointId" });
    expect(new Headers(result.init?.headers).get("set-cookie")).toBeNull();
  });
});
