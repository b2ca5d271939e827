import { ORDER_STATUSES, RECALL_ORDER_ACTIONS } from "@coop/shared";
import { check, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, oneOf } from "./_columns";
import { orders } from "./orders";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export { RECALL_ORDER_ACTIONS, type RecallOrderAction } from "@coop/shared";

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
