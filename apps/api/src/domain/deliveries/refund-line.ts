import type { Executor } from "@coop/db";
import {
  consignorEntries,
  deliveryRunLines,
  locations,
  orderLineLots,
  orderLines,
  orders,
  payments,
} from "@coop/db/schema";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { STATEMENT_TEXT } from "../line-codes";
import { splitLine } from "../orders/line-parts";
import { queueSms } from "../orders/notify";
import { oweStripeRefund } from "../payments/stripe-refunds";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { reverseLineSaleEntries } from "../settlement/sale-ledger";
import { WAITING_FOR_DELIVERY } from "./build-runs";
import { markReadyIfComplete } from "./receive-run";
import { lockShortLine } from "./short-line";

export interface LineRefund {
  orderId: string;
  amountFen: number;
  /** The refund owed at Stripe (stripe_refunds), sent after commit; null when the money went back another way. */
  refundKey: string | null;
  ready: boolean;
}

/**
 * Staff give back the money for the missing part of a paid order's short line. The missing units were sold
 * at payment and broke or went missing on the way (written off at the count), so nothing goes back on a
 * shelf: the order line keeps only what arrived, the order's total drops by the missing part, the villager's
 * credit for exactly those units is reversed, and the payment records the refund. If nothing else of the
 * order is still on its way, it is ready for pickup. The Stripe refund is the caller's, after commit.
 */
export async function refundShortLine(
  db: Executor,
  input: { runId: string; lineId: string; actorUserId: string; requestId?: string },
): Promise<LineRefund> {
  return db.transaction(async (tx) => {
    const { line, run, missing } = await lockShortLine(tx, input.runId, input.lineId);
    if (line.resolution)
      throw new ApiError("INVALID_STATE", `The missing part was already dealt with (${line.resolution}).`);
    if (line.goods === "reserved")
      throw new ApiError("INVALID_STATE", "This order is not paid yet: there is nothing to refund.");
    const [order] = await tx.select().from(orders).where(eq(orders.id, line.orderId)).for("update");
    if (!order || !(WAITING_FOR_DELIVERY as readonly string[]).includes(order.status)) {
      throw new ApiError("INVALID_STATE", `The order is ${order?.status}; refund it as a whole instead.`);
    }
    const [payment] = await tx.select().from(payments).where(eq(payments.orderId, order.id)).for("update");
    if (!payment || (payment.status !== "succeeded" && payment.status !== "partially_refunded")) {
      throw new ApiError("INVALID_STATE", "This order has no payment to refund.");
    }
    const [orderLine] = await tx
      .select()
      .from(orderLines)
      .where(eq(orderLines.id, line.orderLineId))
      .for("update");
    if (!orderLine) throw new Error(`order line ${line.orderLineId} is gone`);
    if (orderLine.quantity <= missing) {
      // An order line cannot drop to nothing; the whole order's refund covers that case.
      throw new ApiError(
        "INVALID_STATE",
        "Nothing of this line arrived: re-send it, or refund the whole order.",
      );
    }
    // What stays on the line and what is refunded split the line's money to the fen (line-parts.ts).
    const [kept, refunded] = splitLine(orderLine, orderLine.quantity - missing);
    const amountFen = refunded.lineTotalFen;
    if (payment.refundedFen + amountFen > payment.amountFen) {
      throw new ApiError("INVALID_STATE", "This is more than is left of the payment.");
    }

    const settled = await tx
      .update(deliveryRunLines)
      .set({ resolution: "refunded", resolvedByUserId: input.actorUserId, resolvedAt: new Date() })
      .where(and(eq(deliveryRunLines.id, line.id), isNull(deliveryRunLines.resolution)))
      .returning({ id: deliveryRunLines.id });
    if (settled.length === 0) throw new ApiError("INVALID_STATE", "The missing part was already dealt with.");
    await tx
      .update(orderLines)
      .set({
        quantity: kept.quantity,
        units: kept.units,
        lineTotalFen: kept.lineTotalFen,
      })
      .where(eq(orderLines.id, orderLine.id));
    await tx
      .update(orders)
      .set({
        subtotalFen: sql`${orders.subtotalFen} - ${amountFen}`,
        totalFen: sql`${orders.totalFen} - ${amountFen}`,
      })
      .where(eq(orders.id, order.id));
    const villagerFenByLot = await reverseCreditForUnits(
      tx,
      { orderId: order.id, orderLineId: orderLine.id, units: missing },
      input,
    );
    await reverseLineSaleEntries(tx, {
      orderLineId: orderLine.id,
      units: missing,
      grossFen: amountFen,
      villagerFenByLot,
    });
    await tx
      .update(payments)
      .set({ status: "partially_refunded", refundedFen: payment.refundedFen + amountFen })
      .where(eq(payments.id, payment.id));
    if (payment.provider === "consignor_balance" && order.onBehalfOfConsignorId) {
      await postConsignorEntry(tx, {
        consignorId: order.onBehalfOfConsignorId,
        kind: "adjustment",
        amountFen,
        orderId: order.id,
        orderLineId: orderLine.id,
        note: STATEMENT_TEXT.farm_supply_missing_refunded,
        actorUserId: input.actorUserId,
      });
    }
    await queueSms(tx, {
      to: order.contactPhone,
      template: "order_part_refunded",
      data: { orderId: order.id, amountFen, productId: line.productId, quantity: missing },
      orderId: order.id,
    });
    const [point] = await tx.select().from(locations).where(eq(locations.id, run.toLocationId));
    const ready = await markReadyIfComplete(tx, order.id, {
      actorUserId: input.actorUserId,
      servicePointName: point!.nameZh,
    });
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "delivery_run.refund_line",
      entityType: "delivery_run_line",
      entityId: line.id,
      data: { runId: run.id, orderId: order.id, quantity: missing, amountFen, ready },
    });
    const refundKey =
      payment.provider === "stripe" && payment.providerRef
        ? await oweStripeRefund(tx, {
            key: `refund-line-${line.id}`,
            orderId: order.id,
            paymentId: payment.id,
            paymentIntentId: payment.providerRef,
            amountFen,
            deliveryRunLineId: line.id,
          })
        : null;
    return { orderId: order.id, amountFen, refundKey, ready };
  });
}

/**
 * Reverses the villagers' credit for `units` of a sold order line, taken from its last-drawn lots first (the
 * order reverseSale restocks in, so a later whole-order refund reverses only what is left). A lot's credit is
 * reversed pro rata; its last units take whatever of the credit is left, so the parts add up to the whole.
 * Returns what it reversed per lot, for the sales ledger.
 */
async function reverseCreditForUnits(
  tx: Executor,
  target: { orderId: string; orderLineId: string; units: number },
  input: { actorUserId: string },
): Promise<Map<string, number>> {
  const reversed = new Map<string, number>();
  const drawn = await tx
    .select()
    .from(orderLineLots)
    .where(eq(orderLineLots.orderLineId, target.orderLineId))
    .orderBy(desc(orderLineLots.lotId));
  const entries = await tx
    .select()
    .from(consignorEntries)
    .where(eq(consignorEntries.orderLineId, target.orderLineId));
  let left = target.units;
  for (const a of drawn) {
    if (left === 0) break;
    const ofLot = entries.filter((e) => e.lotId === a.lotId);
    const reversedUnits = ofLot
      .filter((e) => e.kind === "sale_reversal")
      .reduce((s, e) => s + (e.quantity ?? 0), 0);
    const take = Math.min(left, a.quantity - reversedUnits);
    if (take <= 0) continue;
    left -= take;
    const credit = ofLot.find((e) => e.kind === "sale_credit");
    if (!credit?.quantity) continue; // the co-op's own goods: no villager to debit
    const reversedFen = -ofLot
      .filter((e) => e.kind === "sale_reversal")
      .reduce((s, e) => s + Number(e.amountFen), 0);
    const creditFen = Number(credit.amountFen);
    const amount =
      take >= credit.quantity - reversedUnits
        ? creditFen - reversedFen
        : Math.min(Math.round((creditFen * take) / credit.quantity), creditFen - reversedFen);
    if (amount === 0) continue;
    await postConsignorEntry(tx, {
      consignorId: credit.consignorId,
      kind: "sale_reversal",
      amountFen: -amount,
      grossFen: null,
      quantity: take,
      lotId: credit.lotId,
      orderId: target.orderId,
      orderLineId: target.orderLineId,
      note: STATEMENT_TEXT.delivery_missing_refunded,
      actorUserId: input.actorUserId,
    });
    reversed.set(credit.lotId!, amount);
  }
  return reversed;
}
