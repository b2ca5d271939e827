import type { Executor } from "@coop/db";
import { stripeRefunds } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import Stripe from "stripe";

/** A refund owed at Stripe, recorded in the transaction that decided it. */
export interface OwedRefund {
  /** Stripe's Idempotency-Key, and the row's unique key: the same refund is never owed twice. */
  key: string;
  orderId: string;
  paymentId: string;
  paymentIntentId: string;
  amountFen: number;
  deliveryRunLineId?: string;
}

/**
 * Records a refund owed at Stripe inside the caller's transaction, so it commits with the order's refund
 * and cannot be lost if the process dies before Stripe is asked. Recording the same key again is a no-op.
 */
export async function oweStripeRefund(tx: Executor, refund: OwedRefund): Promise<string> {
  if (refund.amountFen <= 0) return refund.key;
  await tx
    .insert(stripeRefunds)
    .values({
      id: newId("stripeRefund"),
      idempotencyKey: refund.key,
      orderId: refund.orderId,
      paymentId: refund.paymentId,
      paymentIntentId: refund.paymentIntentId,
      amountFen: refund.amountFen,
      deliveryRunLineId: refund.deliveryRunLineId ?? null,
    })
    .onConflictDoNothing({ target: stripeRefunds.idempotencyKey });
  return refund.key;
}

/** Minutes before the next try after `attempts` failed ones: 1, 2, 4 … capped at an hour. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1));
}

/** Errors where asking again cannot help (Stripe refused the request itself); everything else is retried. */
function isPermanent(err: unknown): boolean {
  return (
    err instanceof Stripe.errors.StripeInvalidRequestError ||
    err instanceof Stripe.errors.StripeIdempotencyError ||
    err instanceof Stripe.errors.StripeCardError ||
    err instanceof Stripe.errors.StripePermissionError
  );
}

export interface SendOutcome {
  sent: string[];
  /** Still owed: Stripe could not be reached or answered with an error worth retrying. */
  retrying: string[];
  /** Refused by Stripe for good: staff must look. */
  failed: string[];
}

interface ClaimedRow {
  id: string;
  idempotency_key: string;
  order_id: string;
  payment_intent_id: string;
  delivery_run_line_id: string | null;
  amount_fen: string | number;
  attempts: number;
}

/**
 * Sends owed refunds to Stripe: those named by `keys` (right after the commit that owed them), or every
 * one that is due (the sweep). Each row is claimed first by moving its next attempt forward, in one
 * statement that skips rows another process holds, so two processes never send the same refund at the same
 * moment; and because every try uses the row's idempotency key, even a try whose answer was lost is
 * answered by Stripe with the first refund instead of a second one.
 */
export async function sendOwedRefunds(
  deps: { db: Executor; stripe: Stripe | null; logger: Logger },
  keys?: readonly string[],
): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: [], retrying: [], failed: [] };
  if (!deps.stripe || (keys && keys.length === 0)) return outcome;
  const only = keys
    ? sql`AND idempotency_key IN (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`
    : sql``;
  const claimed = (await deps.db.execute(sql`
    UPDATE stripe_refunds r
       SET attempts = r.attempts + 1,
           next_attempt_at = now() + make_interval(mins => LEAST(60, power(2, r.attempts)::int)),
           updated_at = now()
     WHERE r.id IN (
       SELECT id FROM stripe_refunds
        WHERE status = 'pending' AND next_attempt_at <= now() ${only}
        ORDER BY next_attempt_at
        LIMIT 100
        FOR UPDATE SKIP LOCKED)
    RETURNING r.id, r.idempotency_key, r.order_id, r.payment_intent_id, r.delivery_run_line_id, r.amount_fen,
              r.attempts`)) as unknown as ClaimedRow[] | { rows: ClaimedRow[] };
  const rows = Array.isArray(claimed) ? claimed : claimed.rows;
  for (const row of rows) {
    const metadata: Record<string, string> = { orderId: row.order_id };
    if (row.delivery_run_line_id) metadata.deliveryRunLineId = row.delivery_run_line_id;
    try {
      const refund = await deps.stripe.refunds.create(
        { payment_intent: row.payment_intent_id, amount: Number(row.amount_fen), metadata },
        { idempotencyKey: row.idempotency_key },
      );
      await deps.db.execute(sql`
        UPDATE stripe_refunds
           SET status = 'sent', stripe_refund_id = ${refund.id}, sent_at = now(), last_error = NULL,
               updated_at = now()
         WHERE id = ${row.id} AND status = 'pending'`);
      outcome.sent.push(row.idempotency_key);
    } catch (err) {
      const permanent = isPermanent(err);
      const message = err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500);
      await deps.db.execute(sql`
        UPDATE stripe_refunds
           SET last_error = ${message}, updated_at = now()
               ${permanent ? sql`, status = 'failed'` : sql``}
         WHERE id = ${row.id} AND status = 'pending'`);
      const log = { err, orderId: row.order_id, refundKey: row.idempotency_key, attempts: row.attempts };
      if (permanent) {
        deps.logger.error(log, "Stripe refused a refund: staff must refund this buyer by hand");
        outcome.failed.push(row.idempotency_key);
      } else {
        deps.logger.warn(
          { ...log, retryInMinutes: retryDelayMinutes(row.attempts) },
          "Stripe refund not sent yet; it will be retried",
        );
        outcome.retrying.push(row.idempotency_key);
      }
    }
  }
  return outcome;
}
