import type { Database } from "@coop/db";
import { idempotencyKeys, orders, payments } from "@coop/db/schema";
import { and, eq, exists, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { PROGRESS_TEXT } from "../line-codes";
import { lockOrder, orderPayment } from "./cancel-order";
import { applyAtStripe, cancelOrder } from "./order-lifecycle";
import { intentAtStripe, type OnlineMethod } from "./payment-intent";

/**
 * An online order whose buyer never got a way to pay — the process placing it died before Stripe answered,
 * so the answer (with its client secret) never left — holds stock nobody can buy. After this long it is
 * released, instead of at its expiry half an hour later. A retry of its request after that places anew.
 */
export const STALLED_AFTER_MS = 2 * 60_000;

interface StalledDeps {
  db: Database;
  stripe: Stripe | null;
  logger: Logger;
}

/**
 * Releases stalled online orders: still pending payment after STALLED_AFTER_MS, and either no
 * PaymentIntent recorded or the request that placed them never answered (its idempotency key unfinished).
 * Safe with several processes: each order is locked and re-checked inside its own transaction.
 */
export async function releaseStalledOrders(deps: StalledDeps, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - STALLED_AFTER_MS);
  const stalled = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.status, "pending_payment"),
        isNotNull(orders.expiresAt),
        lt(orders.createdAt, before),
        or(
          exists(
            deps.db
              .select({ one: sql`1` })
              .from(payments)
              .where(
                and(
                  eq(payments.orderId, orders.id),
                  eq(payments.provider, "stripe"),
                  isNull(payments.providerRef),
                ),
              ),
          ),
          exists(
            deps.db
              .select({ one: sql`1` })
              .from(idempotencyKeys)
              .where(
                and(
                  eq(idempotencyKeys.resourceId, orders.id),
                  isNull(idempotencyKeys.responseStatus),
                  lt(idempotencyKeys.createdAt, before),
                ),
              ),
          ),
        ),
      ),
    )
    .orderBy(orders.createdAt)
    .limit(200);

  let released = 0;
  for (const { id: orderId } of stalled) {
    const after = await deps.db.transaction(async (tx) => {
      const order = await lockOrder(tx, orderId);
      if (order?.status !== "pending_payment") return null;
      const payment = await orderPayment(tx, orderId);
      const atStripe = await cancelOrder(tx, orderId, {
        reason: PROGRESS_TEXT.payment_never_started,
        byBuyer: false,
      });
      return { atStripe, order, payment };
    });
    if (!after) continue;
    released++;
    deps.logger.warn({ orderId }, "stalled online order released");
    try {
      // The intent may exist at Stripe though the order never recorded it (the process died in between):
      // asked for again under the order's own idempotency key, it is found (or made) and cancelled, so no
      // payable intent outlives the order.
      const intentId =
        after.atStripe.cancelIntent ??
        (deps.stripe && after.payment?.provider === "stripe"
          ? (
              await intentAtStripe(deps.stripe, {
                orderId,
                totalFen: after.order.totalFen,
                method: after.order.paymentMethod as OnlineMethod,
              })
            ).id
          : undefined);
      if (intentId) await applyAtStripe(deps, { cancelIntent: intentId });
    } catch (err) {
      deps.logger.warn({ err, orderId }, "could not cancel the stalled order's PaymentIntent");
    }
  }
  return released;
}
