import { check, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, oneOf } from "./_columns";
import { ORDER_STATUSES, orders } from "./orders";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export const RECALL_ORDER_ACTIONS = [
  /** Held stock of the lot (or stock that could no longer be covered after the block): cancelled. */
  "cancelled",
  /** Paid and drawn from the lot, not yet handed over: refunded. */
  "refunded",
  /** Already with the buyer: listed for follow-up (call them back). */
  "handed_over",
] as const;
export type RecallOrderAction = (typeof RECALL_ORDER_ACTIONS)[number];

/** A food-safety recall of a lot: who stopped it, when and why. One per lot. */
export const lotRecalls = pgTable("lot_recalls", {
  lotId: text()
    .primaryKey()
    .references(() => lots.id),
  reason: text().notNull(),
  recalledByUserId: text()
    .notNull()
    .references(() => staffUsers.id),
  createdAt: createdAt(),
});

/**
 * Every order a recall touched and what it did to it, so the trace still names the buyers of cash orders
 * that were cancelled (they never drew from a lot, so order_line_lots knows nothing of them).
 */
export const lotRecallOrders = pgTable(
  "lot_recall_orders",
  {
    lotId: text()
      .notNull()
      .references(() => lotRecalls.lotId),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    action: text({ enum: RECALL_ORDER_ACTIONS }).notNull(),
    statusBefore: text({ enum: ORDER_STATUSES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.orderId] }),
    check("lot_recall_orders_action_check", oneOf("action", RECALL_ORDER_ACTIONS)),
    index("lot_recall_orders_order_idx").on(t.orderId),
  ],
);
