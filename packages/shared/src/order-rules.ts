/**
 * The order rules every side needs to agree on, defined once (decision 0035): which payment methods are
 * online, which are offered, and the delivery fee. The API passes them to the database function that
 * writes every order (place_order: `online`, `delivery_fees`), the shop shows them at checkout, the bench
 * builds its data and its orders with them.
 */
import type { OrderStatus, SaleChannel } from "./closed-sets";

/** Paid through Stripe before the goods are handed over; the order waits in pending_payment. */
export const ONLINE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"] as const;
export type OnlinePaymentMethod = (typeof ONLINE_PAYMENT_METHODS)[number];

export function isOnlinePayment(method: string): method is OnlinePaymentMethod {
  return (ONLINE_PAYMENT_METHODS as readonly string[]).includes(method);
}

/** What a buyer may choose: cash on pickup always, the online methods only when online payment works. */
export function paymentMethodsOffered(onlineAvailable: boolean) {
  return onlineAvailable
    ? (["cash_on_pickup", ...ONLINE_PAYMENT_METHODS] as const)
    : (["cash_on_pickup"] as const);
}

/** Delivery needs an online payment: cash is only taken at a service point. */
export function deliveryPossible(methods: readonly string[]): boolean {
  return methods.some(isOnlinePayment);
}

/** A co-op's delivery settings (coops.delivery_fee_fen, coops.free_delivery_over_fen). */
export interface DeliveryFeeRule {
  deliveryFeeFen: number;
  /** Orders of at least this subtotal are delivered free; null: never free. */
  freeDeliveryOverFen: number | null;
}

/** One step of the fee: from this subtotal on (inclusive), until the next step, the fee is feeFen. */
export interface FeeStep {
  fromFen: number;
  feeFen: number;
}

/**
 * THE delivery fee rule, as steps over the subtotal: pickup is free; delivery costs the co-op's fee, and
 * nothing from the free-delivery threshold on (a subtotal equal to it is free). place_order receives these
 * steps and only looks the subtotal up in them, so the rule exists here alone.
 */
export function deliveryFeeSteps(rule: DeliveryFeeRule, fulfilment: "pickup" | "delivery"): FeeStep[] {
  if (fulfilment === "pickup") return [{ fromFen: 0, feeFen: 0 }];
  const steps: FeeStep[] = [{ fromFen: 0, feeFen: rule.deliveryFeeFen }];
  if (rule.freeDeliveryOverFen !== null) steps.push({ fromFen: rule.freeDeliveryOverFen, feeFen: 0 });
  return steps;
}

/** The fee of the last step at or below the subtotal: what place_order does with the steps. */
export function feeOfSteps(steps: readonly FeeStep[], subtotalFen: number): number {
  let fee = 0;
  for (const step of steps) if (subtotalFen >= step.fromFen) fee = step.feeFen;
  return fee;
}

/** The delivery fee an order of this subtotal is charged. */
export function deliveryFeeFen(
  rule: DeliveryFeeRule,
  fulfilment: "pickup" | "delivery",
  subtotalFen: number,
): number {
  return feeOfSteps(deliveryFeeSteps(rule, fulfilment), subtotalFen);
}

/**
 * The statuses of an order still to be collected at its point: ready, or paid/confirmed/packed with its goods
 * already on that point's shelf. The pickup lookup finds these, the hand-over screen offers them.
 */
export const AWAITING_PICKUP_STATUSES = [
  "ready_for_pickup",
  "confirmed",
  "paid",
  "packed",
] as const satisfies readonly OrderStatus[];

export function awaitingPickup(status: string): boolean {
  return (AWAITING_PICKUP_STATUSES as readonly string[]).includes(status);
}

/**
 * The statuses an order may be handed over from: all of AWAITING_PICKUP_STATUSES when every line is on the
 * point's own shelf, otherwise only ready_for_pickup (its goods come by a delivery run and the agent must
 * have received them).
 */
export function handOverStatuses(allGoodsAtPoint: boolean): readonly OrderStatus[] {
  return allGoodsAtPoint ? AWAITING_PICKUP_STATUSES : ["ready_for_pickup"];
}

/**
 * The order's channel in the sales reports (decision 0044); a flash sale or campaign wins over who placed it
 * and how it is paid. The API's sale ledger, the demo seed and the bench data all label sales with it.
 */
export function saleChannelOf(order: {
  flashSaleId?: string | null;
  campaignId?: string | null;
  placedByUserId?: string | null;
  paymentMethod: string;
}): SaleChannel {
  if (order.flashSaleId) return "flash_sale";
  if (order.campaignId) return "campaign";
  if (order.placedByUserId) return "assisted";
  return order.paymentMethod === "cash_on_pickup" ? "cash" : "online";
}
