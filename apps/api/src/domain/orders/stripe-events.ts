import type { Database, Executor } from "@coop/db";
import { type OrderStatus, payments, webhookEvents } from "@coop/db/schema";
import { and, eq } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { PROGRESS_TEXT } from "../line-codes";
import { oweStripeRefund } from "../payments/stripe-refunds";
import { lockOrder, releaseReservations, reverseSale } from "./cancel-order";
import { type AfterCommit, applyAtStripe, cancelOrder, markOrderPaid } from "./order-lifecycle";
import { transition } from "./order-status";

/**
 * Takes one verified Stripe event: records its id and applies it in one transaction, so a concurrent or later
 * delivery of the same event finds the id and changes nothing; then sends what is owed at Stripe. Answers
 * whether this delivery was a duplicate.
 */
export async function receiveStripeEvent(
  deps: { db: Database; stripe: Stripe | null; logger: Logger },
  event: Stripe.Event,
): Promise<{ duplicate: boolean }> {
  const result = await deps.db.transaction(async (tx) => {
    const fresh = await tx
      .insert(webhookEvents)
      .values({ provider: "stripe", eventId: event.id, type: event.type, payload: event as never })
      .onConflictDoNothing()
      .returning({ eventId: webhookEvents.eventId });
    if (fresh.length === 0) return { duplicate: true as const };
    const after = await applyStripeEvent(tx, event);
    await tx
      .update(webhookEvents)
      .set({ processedAt: new Date() })
      .where(and(eq(webhookEvents.provider, "stripe"), eq(webhookEvents.eventId, event.id)));
    return { duplicate: false as const, after };
  });
  if (!result.duplicate) await applyAtStripe(deps, result.after);
  return { duplicate: result.duplicate };
}

/**
 * Applies one verified Stripe event, in the caller's transaction (which also records the event id, so each
 * event has its effect once). Every branch checks the current state, so events may arrive in any order and
 * any number of times: a failure after a success changes nothing, a refund before the success leaves the
 * order refunded and the late success is ignored, a success for an order that already expired is refunded.
 */
export async function applyStripeEvent(tx: Executor, event: Stripe.Event): Promise<AfterCommit> {
  const intentId = intentOf(event);
  if (!intentId) return {};
  const [payment] = await tx.select().from(payments).where(eq(payments.providerRef, intentId)).for("update");
  if (!payment) return {};
  const order = await lockOrder(tx, payment.orderId);
  if (!order) return {};

  switch (event.type) {
    case "payment_intent.succeeded": {
      if (payment.status === "refunded" || payment.status === "succeeded") return {};
      await tx.update(payments).set({ status: "succeeded" }).where(eq(payments.id, payment.id));
      if (order.status === "pending_payment") {
        await markOrderPaid(tx, order.id);
        return {};
      }
      // Paid after the order was cancelled (expired): give the money back.
      await tx
        .update(payments)
        .set({ status: "refunded", refundedFen: payment.amountFen })
        .where(eq(payments.id, payment.id));
      const key = await oweStripeRefund(tx, {
        key: `refund-${order.id}`,
        orderId: order.id,
        paymentId: payment.id,
        paymentIntentId: intentId,
        amountFen: payment.amountFen,
      });
      return { refundKeys: [key] };
    }
    case "payment_intent.payment_failed": {
      // The buyer may try again with the same intent until the order expires.
      if (payment.status === "pending" || payment.status === "requires_action") {
        await tx.update(payments).set({ status: "failed" }).where(eq(payments.id, payment.id));
      }
      return {};
    }
    case "payment_intent.canceled": {
      if (order.status === "pending_payment") {
        await cancelOrder(tx, order.id, { reason: PROGRESS_TEXT.payment_cancelled, byBuyer: false });
      }
      if (payment.status !== "succeeded" && payment.status !== "refunded") {
        await tx.update(payments).set({ status: "canceled" }).where(eq(payments.id, payment.id));
      }
      return {};
    }
    case "charge.refunded": {
      const charge = event.data.object as Stripe.Charge;
      const refunded = Math.min(charge.amount_refunded, payment.amountFen);
      if (refunded <= payment.refundedFen) return {};
      const full = refunded >= payment.amountFen;
      await tx
        .update(payments)
        .set({ refundedFen: refunded, status: full ? "refunded" : "partially_refunded" })
        .where(eq(payments.id, payment.id));
      if (!full) return {};
      const status: OrderStatus = order.status;
      if (status === "pending_payment" || status === "preordered") {
        await releaseReservations(tx, order.id);
        await transition(tx, order.id, [status], "refunded", {
          note: PROGRESS_TEXT.refunded_at_stripe_before_confirmed,
        });
      } else if (status === "paid" || status === "packed" || status === "ready_for_pickup") {
        await reverseSale(tx, order.id, { restock: true });
        await transition(tx, order.id, [status], "refunded", { note: PROGRESS_TEXT.refunded_at_stripe });
      } else if (status === "shipped" || status === "delivered" || status === "picked_up") {
        await reverseSale(tx, order.id, { restock: false });
        await transition(tx, order.id, [status], "refunded", {
          note: PROGRESS_TEXT.refunded_at_stripe_after_handover,
        });
      }
      return {};
    }
    default:
      return {};
  }
}

function intentOf(event: Stripe.Event): string | null {
  const object = event.data.object as {
    object?: string;
    id?: string;
    payment_intent?: string | { id: string } | null;
  };
  if (object.object === "payment_intent") return object.id ?? null;
  if (object.object === "charge") {
    const pi = object.payment_intent;
    return typeof pi === "string" ? pi : (pi?.id ?? null);
  }
  return null;
}
