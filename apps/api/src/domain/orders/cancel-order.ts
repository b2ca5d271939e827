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
import { LEDGER_TEXT, STATEMENT_TEXT } from "../line-codes";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { reverseOrderSaleEntries } from "../settlement/sale-ledger";
import { recordMovement } from "../stock/ledger";
import { holdsCampaignUnits, releaseCampaignHold } from "./campaign-holds";

/**
 * Gives back what an unsold order was holding: its stock, or — a pre-order the harvest has not reached yet —
 * its units of the campaign. Called before the order's status changes.
 */
export async function releaseReservations(tx: Executor, orderId: string) {
  const [order] = await tx
    .select({
      id: orders.id,
      campaignId: orders.campaignId,
      status: orders.status,
      contactPhone: orders.contactPhone,
    })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (order && holdsCampaignUnits(order)) {
    await releaseCampaignHold(tx, { ...order, campaignId: order.campaignId! });
    return;
  }
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
    .where(eq(orderLines.orderId, orderId))
    .orderBy(orderLineLots.orderLineId, orderLineLots.lotId);
  // A line whose missing part was refunded already (its units broke on the way) restocks only what is left.
  const restockable = new Map<string, number>();
  for (const { a, line, lot } of allocations) {
    const left = restockable.get(line.id) ?? line.quantity;
    const units = Math.min(a.quantity, left);
    restockable.set(line.id, left - units);
    if (units > 0 && options.restock && lot.status !== "blocked") {
      // Back to the lot, at the place the line was sold from (the lot may have moved on since).
      await recordMovement(tx, {
        productId: line.productId,
        locationId: lot.locationId,
        lotId: lot.id,
        kind: "customer_return",
        quantityDelta: units,
        reason: LEDGER_TEXT.order_refunded_before_dispatch,
        actorUserId: options.actorUserId,
        orderId,
      });
      if (lot.status === "depleted")
        await tx.update(lots).set({ status: "in_stock" }).where(eq(lots.id, lot.id));
    }
  }
  await reverseOrderSaleEntries(tx, orderId);
  const entries = await tx.select().from(consignorEntries).where(eq(consignorEntries.orderId, orderId));
  for (const credit of entries.filter((e) => e.kind === "sale_credit")) {
    // Part of it may be reversed already (a missing part refunded): reverse only the rest.
    const earlier = entries.filter(
      (e) => e.kind === "sale_reversal" && e.orderLineId === credit.orderLineId && e.lotId === credit.lotId,
    );
    const amountFen = Number(credit.amountFen) + earlier.reduce((s, e) => s + Number(e.amountFen), 0);
    const quantity =
      credit.quantity === null ? null : credit.quantity - earlier.reduce((s, e) => s + (e.quantity ?? 0), 0);
    if (amountFen <= 0) continue;
    await postConsignorEntry(tx, {
      consignorId: credit.consignorId,
      kind: "sale_reversal",
      amountFen: -amountFen,
      grossFen: null,
      quantity,
      lotId: credit.lotId,
      orderId,
      orderLineId: credit.orderLineId,
      note: STATEMENT_TEXT.buyer_refunded,
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
