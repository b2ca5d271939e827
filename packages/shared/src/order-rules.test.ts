import { describe, expect, it } from "vitest";
import {
  awaitingPickup,
  deliveryFeeFen,
  deliveryFeeSteps,
  deliveryPossible,
  feeOfSteps,
  handOverStatuses,
  isOnlinePayment,
  paymentMethodsOffered,
  saleChannelOf,
} from "./order-rules";

describe("order rules shared by the API, place_order, the shop and the bench", () => {
  const rule = { deliveryFeeFen: 1000, freeDeliveryOverFen: 19_900 };

  it("charges delivery below the free threshold and nothing at or above it; pickup is free", () => {
    expect(deliveryFeeFen(rule, "delivery", 19_899)).toBe(1000);
    expect(deliveryFeeFen(rule, "delivery", 19_900)).toBe(0);
    expect(deliveryFeeFen(rule, "delivery", 50_000)).toBe(0);
    expect(deliveryFeeFen(rule, "pickup", 100)).toBe(0);
    expect(deliveryFeeFen({ deliveryFeeFen: 1000, freeDeliveryOverFen: null }, "delivery", 10_000_000)).toBe(
      1000,
    );
    // A threshold of 0: every delivery is free (the later step wins at the same subtotal, as in place_order).
    expect(deliveryFeeFen({ deliveryFeeFen: 1000, freeDeliveryOverFen: 0 }, "delivery", 0)).toBe(0);
  });

  it("gives place_order the rule as steps over the subtotal", () => {
    expect(deliveryFeeSteps(rule, "delivery")).toEqual([
      { fromFen: 0, feeFen: 1000 },
      { fromFen: 19_900, feeFen: 0 },
    ]);
    expect(deliveryFeeSteps(rule, "pickup")).toEqual([{ fromFen: 0, feeFen: 0 }]);
    expect(feeOfSteps([], 500)).toBe(0);
  });

  it("offers online methods only when online payment works, and delivery only with one", () => {
    expect(paymentMethodsOffered(false)).toEqual(["cash_on_pickup"]);
    expect(paymentMethodsOffered(true)).toEqual(["cash_on_pickup", "card", "alipay", "wechat_pay"]);
    expect(isOnlinePayment("alipay")).toBe(true);
    expect(isOnlinePayment("cash_on_pickup")).toBe(false);
    expect(isOnlinePayment("consignor_balance")).toBe(false);
    expect(deliveryPossible(["cash_on_pickup"])).toBe(false);
    expect(deliveryPossible(["cash_on_pickup", "wechat_pay"])).toBe(true);
  });
});

describe("orders awaiting pickup", () => {
  it("are ready, or paid/confirmed/packed; never pending, collected, cancelled or on a delivery", () => {
    for (const s of ["ready_for_pickup", "confirmed", "paid", "packed"]) expect(awaitingPickup(s)).toBe(true);
    for (const s of ["pending_payment", "picked_up", "cancelled", "refunded", "shipped", "delivered"]) {
      expect(awaitingPickup(s)).toBe(false);
    }
  });

  it("are handed over before 'ready' only when every line is on the point's own shelf", () => {
    expect(handOverStatuses(true)).toEqual(["ready_for_pickup", "confirmed", "paid", "packed"]);
    expect(handOverStatuses(false)).toEqual(["ready_for_pickup"]);
  });
});

describe("the sales channel of an order", () => {
  it("names a flash sale first, then a campaign, then an agent's order, then how the buyer pays", () => {
    const base = { flashSaleId: null, campaignId: null, placedByUserId: null, paymentMethod: "wechat_pay" };
    expect(saleChannelOf(base)).toBe("online");
    expect(saleChannelOf({ ...base, paymentMethod: "cash_on_pickup" })).toBe("cash");
    expect(saleChannelOf({ ...base, paymentMethod: "cash_on_pickup", placedByUserId: "usr_1" })).toBe(
      "assisted",
    );
    expect(saleChannelOf({ ...base, placedByUserId: "usr_1", campaignId: "cmp_1" })).toBe("campaign");
    expect(saleChannelOf({ ...base, campaignId: "cmp_1", flashSaleId: "fls_1" })).toBe("flash_sale");
  });
});
