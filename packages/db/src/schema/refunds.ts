import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf, updatedAt } from "./_columns";
import { deliveryRunLines } from "./deliveries";
import { orders, payments } from "./orders";

/**
 * pending: owed to the buyer, not yet confirmed by Stripe (retried with backoff until it is);
 * sent: Stripe accepted it (refund id kept); failed: Stripe refused it for good (e.g. already refunded
 * in the dashboard) — staff must look, the money is recorded as refunded on our side.
 */
export const STRIPE_REFUND_STATUSES = ["pending", "sent", "failed"] as const;
export type StripeRefundStatus = (typeof STRIPE_REFUND_STATUSES)[number];

/**
 * Refunds owed at Stripe, written in the same transaction that records the refund on our side (an
 * outbox): a process that dies, or a Stripe that is down, between that commit and Stripe's answer leaves a
 * pending row that the sweep sends later, under the same idempotency key, so the buyer gets the money back
 * exactly once.
 */
export const stripeRefunds = pgTable(
  "stripe_refunds",
  {
    id: idColumn(),
    /** Also Stripe's Idempotency-Key: refund-<orderId> for a whole order, refund-line-<lineId> for a line. */
    idempotencyKey: text().notNull().unique(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    paymentId: text()
      .notNull()
      .references(() => payments.id),
    paymentIntentId: text().notNull(),
    deliveryRunLineId: text().references(() => deliveryRunLines.id),
    amountFen: bigint({ mode: "number" }).notNull(),
    status: text({ enum: STRIPE_REFUND_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** When the next attempt may run; a claim moves it forward first, so two processes never send at once. */
    nextAttemptAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastError: text(),
    stripeRefundId: text(),
    sentAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("stripe_refunds_status_check", oneOf("status", STRIPE_REFUND_STATUSES)),
    check("stripe_refunds_amount_positive", sql`amount_fen > 0`),
    check("stripe_refunds_attempts_check", sql`attempts >= 0`),
    check(
      "stripe_refunds_sent_has_ref",
      sql`(status = 'sent') = (stripe_refund_id IS NOT NULL AND sent_at IS NOT NULL)`,
    ),
    index("stripe_refunds_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("stripe_refunds_order_idx").on(t.orderId),
  ],
);
