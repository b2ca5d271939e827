import type { Database, Executor } from "@coop/db";
import { type OrderStatus, orderLines, orders, payments } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { ApiError } from "../../lib/errors";
import { PROGRESS_TEXT, STATEMENT_TEXT } from "../line-codes";
import { oweStripeRefund, type SendOutcome, sendOwedRefunds } from "../payments/stripe-refunds";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { recordSale } from "../settlement/record-sale";
import { lockOrder, orderPayment, releaseReservations, reverseSale } from "./cancel-order";
import { queueSms } from "./notify";
import { transition } from "./order-status";

/** The sale of a paid order: every line drawn FEFO from its reserved stock, villagers credited. */
export async function recordOrderSale(tx: Executor, orderId: string, actorUserId?: string | null) {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  for (const l of lines) {
    await recordSale(tx, {
      productId: l.productId,
      locationId: l.locationId,
      quantity: l.quantity,
      grossFen: l.lineTotalFen,
      fromReserved: true,
      orderId,
      orderLineId: l.id,
      actorUserId,
    });
  }
}

/**
 * Online payment arrived for a waiting order: it is paid and its sale is recorded, once. A pre-order is
 * paid but has no goods yet: it waits in `preordered` and its sale is recorded when the harvest reaches it.
 */
export async function markOrderPaid(tx: Executor, orderId: string) {
  const [order] = await tx
    .select({ campaignId: orders.campaignId, contactPhone: orders.contactPhone })
    .from(orders)
    .where(eq(orders.id, orderId));
  // The transition checks the status; a missing order fails there with 404.
  const to = order?.campaignId ? "preordered" : "paid";
  await transition(tx, orderId, ["pending_payment"], to, { note: PROGRESS_TEXT.online_payment_received });
  if (to === "paid") await recordOrderSale(tx, orderId);
  await queueSms(tx, { to: order!.contactPhone, template: "order_paid", data: { orderId }, orderId });
}

/** States in which the goods have not yet left the co-op (so they can go back on the shelf). */
export const BEFORE_HAND_OVER: OrderStatus[] = [
  "pending_payment",
  "confirmed",
  "paid",
  "preordered",
  "packed",
  "ready_for_pickup",
];

/**
 * What must happen at Stripe once the transaction commits. Refunds are already owed in the database
 * (stripe_refunds, written in the same transaction); these are their keys, sent at once and retried by the
 * sweep if that fails.
 */
export type AfterCommit = { cancelIntent?: string; refundKeys?: string[] };

/**
 * Cancels an order. Unpaid: its stock is released. Paid but not yet handed over or shipped: the money goes
 * back (Stripe refund after commit, or a credit back to the villager's balance), the goods return to their
 * lots and villagers' credits are reversed. Returns what must be done at Stripe once the transaction commits.
 */
export async function cancelOrder(
  tx: Executor,
  orderId: string,
  info: {
    actorUserId?: string | null | undefined;
    reason: string;
    byBuyer: boolean;
    /** The caller tells the buyer itself (a recall sends its own SMS). */
    silent?: boolean;
  },
): Promise<AfterCommit> {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
  const payment = await orderPayment(tx, orderId);
  // Nothing paid yet (online still pending, or cash due at pickup — even if already packed): the stock is
  // only held, so it is released and the order is simply cancelled.
  const paid = payment?.status === "succeeded" || payment?.status === "partially_refunded";
  if (!paid && BEFORE_HAND_OVER.includes(order.status) && order.status !== "paid") {
    await releaseReservations(tx, orderId);
    await transition(tx, orderId, BEFORE_HAND_OVER, "cancelled", {
      actorUserId: info.actorUserId,
      note: info.reason,
    });
    if (payment && payment.status !== "succeeded") {
      await tx.update(payments).set({ status: "canceled" }).where(eq(payments.id, payment.id));
    }
    if (!info.silent)
      await queueSms(tx, { to: order.contactPhone, template: "order_cancelled", data: { orderId }, orderId });
    return payment?.provider === "stripe" && payment.providerRef ? { cancelIntent: payment.providerRef } : {};
  }
  if (info.byBuyer)
    throw new ApiError(
      "INVALID_STATE",
      "A paid order can only be cancelled by the co-op. Please call the co-op.",
    );
  const PAID_NOT_HANDED_OVER: OrderStatus[] = ["paid", "preordered", "packed", "ready_for_pickup"];
  if (!PAID_NOT_HANDED_OVER.includes(order.status)) {
    throw new ApiError("INVALID_STATE", `The order is ${order.status}; it can no longer be cancelled.`);
  }
  // A paid pre-order the harvest has not reached has no sale to undo, only its campaign units to give back.
  if (order.status === "preordered") await releaseReservations(tx, orderId);
  else await reverseSale(tx, orderId, { restock: true, actorUserId: info.actorUserId });
  await transition(tx, orderId, PAID_NOT_HANDED_OVER, "refunded", {
    actorUserId: info.actorUserId,
    note: info.reason,
  });
  if (!info.silent)
    await queueSms(tx, {
      to: order.contactPhone,
      template: "order_refunded",
      data: { orderId, totalFen: order.totalFen },
      orderId,
    });
  if (!payment) return {};
  await tx
    .update(payments)
    .set({ status: "refunded", refundedFen: payment.amountFen })
    .where(eq(payments.id, payment.id));
  if (payment.provider === "consignor_balance" && order.onBehalfOfConsignorId) {
    await postConsignorEntry(tx, {
      consignorId: order.onBehalfOfConsignorId,
      kind: "adjustment",
      amountFen: payment.amountFen,
      orderId,
      note: STATEMENT_TEXT.farm_supply_refunded,
      actorUserId: info.actorUserId,
    });
  }
  if (payment.provider !== "stripe" || !payment.providerRef) return {};
  const key = await oweStripeRefund(tx, {
    key: `refund-${orderId}`,
    orderId,
    paymentId: payment.id,
    paymentIntentId: payment.providerRef,
    amountFen: payment.amountFen - payment.refundedFen,
  });
  return { refundKeys: [key] };
}

/**
 * Stripe side effects decided inside a transaction, carried out after it commits. Never throws for a refund:
 * the refund is owed in the database already, and what Stripe could not take now the sweep sends later
 * (the answer says which refunds are still owed).
 */
export async function applyAtStripe(
  deps: { db: Executor; stripe: Stripe | null; logger: Logger },
  after: AfterCommit,
): Promise<SendOutcome> {
  if (deps.stripe && after.cancelIntent) {
    // Already succeeded or cancelled at Stripe: the webhook for it settles the order.
    await deps.stripe.paymentIntents.cancel(after.cancelIntent).catch(() => undefined);
  }
  return sendOwedRefunds(deps, after.refundKeys ?? []);
}

/**
 * Cancel as asked by the order's buyer (while unpaid) or by staff (also after payment, with a refund): one
 * transaction, then what is owed at Stripe is sent; a refund Stripe cannot take now stays owed for the sweep.
 */
export async function cancelAsAsked(
  deps: { db: Database; stripe: Stripe | null; logger: Logger },
  orderId: string,
  by: { staffId?: string | undefined; reason?: string | undefined },
): Promise<void> {
  const after = await deps.db.transaction((tx) =>
    cancelOrder(tx, orderId, {
      actorUserId: by.staffId,
      reason: by.reason ?? (by.staffId ? "cancelled by staff" : "cancelled by the buyer"),
      byBuyer: !by.staffId,
    }),
  );
  await applyAtStripe(deps, after);
}

/** The expiry job: an order still unpaid at its expiry releases its stock and its PaymentIntent. */
export async function expireOrder(
  tx: Executor,
  orderId: string,
  now = new Date(),
): Promise<AfterCommit | null> {
  const order = await lockOrder(tx, orderId);
  if (order?.status !== "pending_payment" || !order.expiresAt || order.expiresAt > now) return null;
  return cancelOrder(tx, orderId, { reason: PROGRESS_TEXT.not_paid_in_time, byBuyer: false });
}
