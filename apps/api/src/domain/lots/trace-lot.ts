import type { Executor } from "@coop/db";
import { lots, orderLineLots, orderLines, orders, stockMovements } from "@coop/db/schema";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { familyView, lotFamily } from "./lot-family";
import { projectMovement } from "./lot-views";
import { recallOf } from "./recall-lot";

/**
 * Where a lot's units went: every ledger line of the lot, its family (the intake lot and every lot split off
 * it by a delivery run, with where each is now) and every order, with its buyer, that received units of any
 * lot of the family — a recall follows the goods, so the trace does too.
 */
export async function traceLot(db: Executor, lot: typeof lots.$inferSelect) {
  const movements = await db
    .select()
    .from(stockMovements)
    .where(eq(stockMovements.lotId, lot.id))
    .orderBy(asc(stockMovements.createdAt), asc(stockMovements.id));
  const family = await lotFamily(db, lot.id);
  const drawn = await db
    .select({
      orderId: orders.id,
      status: orders.status,
      lotId: lots.id,
      lotNo: lots.lotNo,
      quantity: sql<number>`sum(${orderLineLots.quantity})::integer`.mapWith(Number),
      contactName: orders.contactName,
      contactPhone: orders.contactPhone,
      at: orders.createdAt,
    })
    .from(orderLineLots)
    .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(lots, eq(lots.id, orderLineLots.lotId))
    .where(
      inArray(
        orderLineLots.lotId,
        family.map((l) => l.id),
      ),
    )
    .groupBy(orders.id, lots.id)
    .orderBy(asc(orders.createdAt), asc(orders.id), asc(lots.lotNo));
  const received: Array<
    Omit<(typeof drawn)[number], "lotId" | "lotNo"> & {
      lots: Array<{ lotId: string; lotNo: string; quantity: number }>;
    }
  > = [];
  for (const { lotId, lotNo, ...row } of drawn) {
    const seen = received.find((r) => r.orderId === row.orderId);
    if (seen) {
      seen.quantity += row.quantity;
      seen.lots.push({ lotId, lotNo, quantity: row.quantity });
    } else received.push({ ...row, lots: [{ lotId, lotNo, quantity: row.quantity }] });
  }
  return {
    lotId: lot.id,
    lotNo: lot.lotNo,
    status: lot.status,
    consignorId: lot.consignorId,
    quantityReceived: lot.quantityReceived,
    onHand: lot.onHand,
    movements: movements.map(projectMovement),
    family: await familyView(db, family),
    orders: received.map((o) => ({ ...o, at: o.at.toISOString() })),
    recall: await recallOf(db, lot.id),
  };
}
