import type { Executor } from "@coop/db";
import {
  consignorEntries,
  lots,
  orderLineLots,
  orderLines,
  orders,
  payments,
  stockLevels,
} from "@coop/db/schema";
import { and, eq, sql } from "drizzle-orm";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { recordMovement } from "../stock/ledger";

/** Gives back the stock an unsold order was holding. */
export async function releaseReservations(tx: Executor, orderId: string) {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  for (const l of lines) {
    await tx
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} - ${l.quantity}` })
      .where(and(eq(stockLevels.productId, l.productId), eq(stockLevels.locationId, l.locationId)));
  }
}

/**
 * Undoes a recorded sale after a refund: the goods go back into the lots they came from (a customer_return
 * ledger line each) when they never left the co-op, and each villager's credit for them is reversed.
 */
export async function reverseSale(
  tx: Executor,
  orderId: string,
  options: { restock: boolean; actorUserId?: string | null | undefined },
) {
  const allocations = await tx
    .select({ a: orderLineLots, line: orderLines, lot: lots })
    .from(orderLineLots)
    .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
    .innerJoin(lots, eq(lots.id, orderLineLots.lotId))
    .where(eq(orderLines.orderId, orderId));
  for (const { a, line, lot } of allocations) {
    if (options.restock && lot.status !== "blocked") {
      // Back to the lot, at the place the line was sold from (the lot may have moved on since).
      await recordMovement(tx, {
        productId: line.productId,
        locationId: lot.locationId,
        lotId: lot.id,
        kind: "customer_return",
        quantityDelta: a.quantity,
        reason: "order refunded before it left the co-op",
        actorUserId: options.actorUserId,
        orderId,
      });
      if (lot.status === "depleted")
        await tx.update(lots).set({ status: "in_stock" }).where(eq(lots.id, lot.id));
    }
  }
  const credits = await tx
    .select()
    .from(consignorEntries)
    .where(and(eq(consignorEntries.orderId, orderId), eq(consignorEntries.kind, "sale_credit")));
  for (const credit of credits) {
    await postConsignorEntry(tx, {
      consignorId: credit.consignorId,
      kind: "sale_reversal",
      amountFen: -credit.amountFen,
      grossFen: null,
      quantity: credit.quantity,
      lotId: credit.lotId,
      orderId,
      orderLineId: credit.orderLineId,
      note: "买家退款 / refunded to the buyer",
      actorUserId: options.actorUserId,
    });
  }
}

export async function orderPayment(tx: Executor, orderId: string) {
  const [payment] = await tx.select().from(payments).where(eq(payments.orderId, orderId));
  return payment;
}

export async function lockOrder(tx: Executor, orderId: string) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return order;
}
