import type { Order } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import { buyerCanCancel, cashDue, mergePickLots, nextStep, spacedCode, staffActions } from "./orders";

type Shape = Pick<Order, "status" | "fulfilment" | "payment">;

const order = (
  status: Order["status"],
  over: { type?: "pickup" | "delivery"; method?: Order["payment"]["method"]; paidFen?: number } = {},
): Shape => ({
  status,
  fulfilment: {
    type: over.type ?? "pickup",
    servicePointId: "loc_1",
    servicePointName: null,
    address: null,
    trackingNumber: null,
  },
  payment: {
    method: over.method ?? "cash_on_pickup",
    status: "unpaid",
    paidFen: over.paidFen ?? 0,
    refundedFen: 0,
  },
});

describe("what the buyer reads next", () => {
  it("follows the status, the way of fulfilment and the payment", () => {
    expect(nextStep(order("confirmed"))).toBe("pickupCash");
    expect(nextStep(order("paid", { method: "alipay" }))).toBe("pickupPaid");
    expect(nextStep(order("paid", { type: "delivery", method: "card" }))).toBe("deliveryPaid");
    expect(nextStep(order("ready_for_pickup"))).toBe("readyCash");
    expect(nextStep(order("ready_for_pickup", { method: "card" }))).toBe("readyPaid");
    expect(nextStep(order("pending_payment", { method: "card" }))).toBe("pendingPayment");
    expect(nextStep(order("picked_up"))).toBe("done");
    expect(nextStep(order("refunded"))).toBe("refunded");
  });

  it("asks for cash only while a cash order is still to be collected", () => {
    expect(cashDue(order("ready_for_pickup"))).toBe(true);
    expect(cashDue(order("picked_up"))).toBe(false);
    expect(cashDue(order("ready_for_pickup", { method: "card" }))).toBe(false);
  });

  it("lets the buyer cancel only what is unpaid", () => {
    expect(buyerCanCancel(order("confirmed"))).toBe(true);
    expect(buyerCanCancel(order("pending_payment"))).toBe(true);
    expect(buyerCanCancel(order("paid"))).toBe(false);
    expect(buyerCanCancel(order("ready_for_pickup"))).toBe(false);
  });
});

describe("the steps a staff screen offers", () => {
  it("has the warehouse pack, send to the point on a delivery run or ship, and mark delivered", () => {
    expect(staffActions(order("confirmed"), "warehouse")).toEqual(["pack", "deliveryRun", "cancel"]);
    expect(staffActions(order("packed"), "warehouse")).toEqual(["deliveryRun", "cancel"]);
    expect(
      staffActions(order("packed", { type: "delivery", method: "card", paidFen: 900 }), "warehouse"),
    ).toEqual(["ship", "refund"]);
    expect(staffActions(order("shipped", { type: "delivery" }), "warehouse")).toEqual(["deliver"]);
  });

  it("has the agent hand over, never pack", () => {
    // "Ready now" is for goods already on the point's own shelf (the API refuses it for warehouse goods).
    expect(staffActions(order("confirmed"), "agent")).toEqual(["dispatch", "cancel"]);
    expect(staffActions(order("ready_for_pickup"), "agent")).toEqual(["handOver", "cancel"]);
    expect(staffActions(order("ready_for_pickup"), "warehouse")).toEqual(["cancel"]);
    expect(staffActions(order("ready_for_pickup"), "admin")).toEqual(["handOver", "cancel"]);
  });

  it("offers nothing on finished orders", () => {
    for (const status of ["picked_up", "delivered", "cancelled", "refunded"] as const) {
      expect(staffActions(order(status), "admin")).toEqual([]);
    }
  });
});

describe("reading a pickup code out", () => {
  it("splits it in two halves", () => {
    expect(spacedCode("012345")).toBe("012 345");
  });
});

describe("a pick list line's lots", () => {
  it("has one row per lot, first-expiring first, undated last", () => {
    const merged = mergePickLots([
      { lotId: "l2", lotNo: "B", bestBefore: "2026-12-21", take: 50 },
      { lotId: "l3", lotNo: "C", bestBefore: null, take: 1 },
      { lotId: "l1", lotNo: "A", bestBefore: "2026-11-24", take: 6 },
      { lotId: "l2", lotNo: "B", bestBefore: "2026-12-21", take: 20 },
    ]);
    expect(merged.map((lot) => [lot.lotNo, lot.take])).toEqual([
      ["A", 6],
      ["B", 70],
      ["C", 1],
    ]);
  });
});
