import type { Executor } from "@coop/db";
import { type lots, orderLineLots, orderLines, orders, stockMovements } from "@coop/db/schema";
import { asc, eq, sql } from "drizzle-orm";
import { projectMovement } from "./lot-views";
import { recallOf } from "./recall-lot";

/** Where a lot's units went: every ledger line, and every order (with its buyer) that received some. */
export async function traceLot(db: Executor, lot: typeof lots.$inferSelect) {
  const movements = await db
    .select()
    .from(stockMovements)
    .where(eq(stockMovements.lotId, lot.id))
    .orderBy(asc(stockMovements.createdAt), asc(stockMovements.id));
  const received = await db
    .select({
      orderId: orders.id,
      status: orders.status,
      quantity: sql<number>`sum(${orderLineLots.quantity})::integer`.mapWith(Number),
      contactName: orders.contactName,
      contactPhone: orders.contactPhone,
      at: orders.createdAt,
    })
    .from(orderLineLots)
    .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(eq(orderLineLots.lotId, lot.id))
    .groupBy(orders.id)
    .orderBy(asc(orders.createdAt));
  return {
    lotId: lot.id,
    lotNo: lot.lotNo,
    status: lot.status,
    consignorId: lot.consignorId,
    quantityReceived: lot.quantityReceived,
    onHand: lot.onHand,
    movements: movements.map(projectMovement),
    orders: received.map((o) => ({ ...o, at: o.at.toISOString() })),
    recall: await recallOf(db, lot.id),
  };
}
