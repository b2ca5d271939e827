import type { Order, PickList } from "@coop/shared/contract";
import type { z } from "zod";
import type { StaffRole } from "./domain";

/**
 * What can happen to an order next, for the buyer and for each staff role, and the words that say so.
 * The API decides in the end (it checks every transition); these only choose which buttons to show.
 */

type OrderStatus = Order["status"];

/** States the buyer may still cancel in themselves: nothing has been paid. */
const BUYER_CANCELLABLE: readonly OrderStatus[] = ["pending_payment", "confirmed"];
/** States staff may cancel in: unpaid (cancel) or paid and not yet handed over or shipped (refund). */
const STAFF_CANCELLABLE: readonly OrderStatus[] = [
  "pending_payment",
  "confirmed",
  "paid",
  "packed",
  "ready_for_pickup",
];

export function buyerCanCancel(order: Pick<Order, "status">): boolean {
  return BUYER_CANCELLABLE.includes(order.status);
}

/** Key of the sentence in the catalogs (order.next.*) that tells the buyer what happens now. */
export type NextStep =
  | "pendingPayment"
  | "preordered"
  | "pickupCash"
  | "pickupPaid"
  | "readyCash"
  | "readyPaid"
  | "deliveryPaid"
  | "shipped"
  | "done"
  | "cancelled"
  | "refunded";

export function nextStep(order: Pick<Order, "status" | "fulfilment" | "payment">): NextStep {
  const cash = order.payment.method === "cash_on_pickup";
  switch (order.status) {
    case "pending_payment":
      return "pendingPayment";
    case "preordered":
      return "preordered";
    case "confirmed":
    case "paid":
    case "packed":
      if (order.fulfilment.type === "delivery") return "deliveryPaid";
      return cash ? "pickupCash" : "pickupPaid";
    case "ready_for_pickup":
      return cash ? "readyCash" : "readyPaid";
    case "shipped":
      return "shipped";
    case "delivered":
    case "picked_up":
      return "done";
    case "cancelled":
      return "cancelled";
    case "refunded":
      return "refunded";
  }
}

/** Whether the buyer still has money to bring: cash on pickup, not yet handed over or cancelled. */
export function cashDue(order: Pick<Order, "status" | "payment">): boolean {
  return (
    order.payment.method === "cash_on_pickup" &&
    ["confirmed", "packed", "ready_for_pickup"].includes(order.status)
  );
}

/** The steps a staff screen offers for an order. */
export type StaffAction =
  | "pack"
  | "deliveryRun"
  | "dispatch"
  | "ship"
  | "deliver"
  | "handOver"
  | "cancel"
  | "refund";

/**
 * The buttons an order page shows a staff member. The warehouse packs, sends to the pickup point or
 * ships, and marks delivered; the agent of the pickup point hands over; admins can do all of it. Any of
 * them may cancel an unpaid order; a paid one is cancelled with a refund.
 */
export function staffActions(
  order: Pick<Order, "status" | "fulfilment" | "payment">,
  role: StaffRole,
): StaffAction[] {
  const actions: StaffAction[] = [];
  const fulfils = role === "warehouse" || role === "admin";
  const handsOver = role === "agent" || role === "admin";
  const pickup = order.fulfilment.type === "pickup";
  if (fulfils && (order.status === "paid" || order.status === "confirmed")) actions.push("pack");
  // Goods at the warehouse reach the point on a delivery run and are ready only once the agent has received
  // them; the agent may say "ready" at once only for an order served from the point's own shelf.
  const waiting = ["paid", "confirmed", "packed"].includes(order.status);
  if (fulfils && pickup && waiting) actions.push("deliveryRun");
  if (handsOver && pickup && waiting) actions.push("dispatch");
  if (fulfils && !pickup && order.status === "packed") actions.push("ship");
  if (fulfils && order.status === "shipped") actions.push("deliver");
  if (handsOver && pickup && order.status === "ready_for_pickup") actions.push("handOver");
  if (STAFF_CANCELLABLE.includes(order.status)) {
    actions.push(order.payment.paidFen > 0 ? "refund" : "cancel");
  }
  return actions;
}

/** "282961" → "282 961": a code read out in two halves is heard right. */
export function spacedCode(code: string): string {
  return /^\d{6}$/.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

type PickLot = z.infer<typeof PickList>["lines"][number]["lots"][number];

/**
 * The lots of one pick-list line, one row per lot (the API may name a lot twice: once for paid orders,
 * once for cash orders), first-expiring first, undated lots last.
 */
export function mergePickLots(lots: readonly PickLot[]): PickLot[] {
  const byLot = new Map<string, PickLot>();
  for (const lot of lots) {
    const known = byLot.get(lot.lotId);
    byLot.set(lot.lotId, known ? { ...known, take: known.take + lot.take } : { ...lot });
  }
  return [...byLot.values()].sort((a, b) =>
    (a.bestBefore ?? "9999-99-99").localeCompare(b.bestBefore ?? "9999-99-99"),
  );
}

/** The last 6 characters of an order id: enough to tell orders apart when read aloud. */
export function shortOrderId(id: string): string {
  return id.slice(-6).toUpperCase();
}
