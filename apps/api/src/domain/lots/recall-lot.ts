import type { Executor } from "@coop/db";
import {
  lotRecallOrders,
  lotRecalls,
  lots,
  orderLineLots,
  orderLines,
  orders,
  payments,
  type RecallOrderAction,
  staffUsers,
  stockLevels,
} from "@coop/db/schema";
import { and, asc, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { queueSms } from "../orders/notify";
import { type AfterCommit, BEFORE_HAND_OVER, cancelOrder } from "../orders/order-lifecycle";
import { recordMovement } from "../stock/ledger";

/** Statuses in which an unpaid order may already have units of some lot in its bag (packed or later). */
const NOT_YET_PACKED = ["pending_payment", "confirmed"] as const;
const CLOSED = ["cancelled", "refunded"] as const;

export interface RecallOutcome {
  alreadyBlocked: boolean;
  /** Stripe work to do once the transaction has committed, per order. */
  atStripe: Array<{ orderId: string; after: AfterCommit }>;
}

/**
 * A food-safety recall. The rule, chosen for safety over keeping orders: it never refuses because orders hold
 * the lot's units; instead, in one transaction:
 *  1. every order drawn from the lot (order_line_lots) that has not been handed over is refunded (or, unpaid,
 *     cancelled) — its units come back to the lot first, so they are recalled with it;
 *  2. at the lot's place, every unpaid order of the product that is packed or further along is cancelled
 *     (cash orders are packed from the first-expiring lots without recording which, so its bag may hold the
 *     lot's units), and then the newest unpaid orders not yet packed are cancelled until what the other lots
 *     hold covers the reservations left (first come, first served);
 *  3. the lot's units leave sellable stock (a "block" ledger line) and the lot is blocked;
 *  4. the orders already handed over are listed for follow-up, and every affected buyer gets a recall SMS.
 * Blocking an already blocked lot answers its recall again (nothing changes).
 */
export async function recallLot(
  db: Executor,
  lotId: string,
  input: { reason: string; actorUserId: string; requestId?: string | undefined },
): Promise<RecallOutcome> {
  return db.transaction(async (tx) => {
    const [seen] = await tx.select().from(lots).where(eq(lots.id, lotId));
    if (!seen) throw new ApiError("NOT_FOUND", "There is no such lot.");
    if (seen.status === "rejected")
      throw new ApiError("INVALID_STATE", "This lot failed its quality check and was never stocked.");
    // The stock level first, then the lot: the order a hand-over takes them in, so the two never deadlock.
    await tx
      .select({ onHand: stockLevels.onHand })
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, seen.productId), eq(stockLevels.locationId, seen.locationId)))
      .for("update");
    const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
    if (lot!.status === "blocked") return { alreadyBlocked: true, atStripe: [] };

    await tx.insert(lotRecalls).values({ lotId, reason: input.reason, recalledByUserId: input.actorUserId });
    const note = `召回 / recall ${lot!.lotNo}: ${input.reason}`;
    const atStripe: RecallOutcome["atStripe"] = [];
    const touched: Array<{ orderId: string; action: RecallOrderAction; statusBefore: string }> = [];
    const stop = async (order: { id: string; status: string }) => {
      const after = await cancelOrder(tx, order.id, {
        actorUserId: input.actorUserId,
        reason: note,
        byBuyer: false,
        silent: true,
      });
      const [now] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
      touched.push({
        orderId: order.id,
        action: now!.status === "refunded" ? "refunded" : "cancelled",
        statusBefore: order.status,
      });
      atStripe.push({ orderId: order.id, after });
    };

    // 1. Drawn from the lot, not yet with the buyer.
    const drawn = await ordersDrawnFrom(tx, lotId);
    for (const order of drawn.filter((o) => BEFORE_HAND_OVER.includes(o.status))) await stop(order);

    // 2. Holding the product at the lot's place without being drawn from a lot (unpaid).
    const holding = await unpaidOrdersHolding(tx, lot!.productId, lot!.locationId);
    const packed = holding.filter((o) => !(NOT_YET_PACKED as readonly string[]).includes(o.status));
    for (const order of packed) await stop(order);
    const [fresh] = await tx.select().from(lots).where(eq(lots.id, lotId));
    const [level] = await tx
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, lot!.productId), eq(stockLevels.locationId, lot!.locationId)));
    let short = level ? level.reserved - (level.onHand - fresh!.onHand) : 0;
    for (const order of holding.filter((o) => !packed.includes(o))) {
      if (short <= 0) break;
      await stop(order);
      short -= order.quantity;
    }

    // 3. Off sale.
    if (fresh!.onHand > 0) {
      await recordMovement(tx, {
        productId: fresh!.productId,
        locationId: fresh!.locationId,
        lotId,
        kind: "block",
        quantityDelta: -fresh!.onHand,
        reason: input.reason,
        actorUserId: input.actorUserId,
      });
    }
    await tx
      .update(lots)
      .set({
        status: "blocked",
        blockedAt: new Date(),
        blockedReason: input.reason,
        blockedByUserId: input.actorUserId,
      })
      .where(eq(lots.id, lotId));

    // 4. Already with the buyer: follow them up.
    for (const order of drawn.filter((o) => !BEFORE_HAND_OVER.includes(o.status))) {
      touched.push({ orderId: order.id, action: "handed_over", statusBefore: order.status });
    }
    if (touched.length) {
      await tx.insert(lotRecallOrders).values(
        touched.map((t) => ({
          lotId,
          orderId: t.orderId,
          action: t.action,
          statusBefore: t.statusBefore as never,
        })),
      );
      const contacts = await tx
        .select({ id: orders.id, phone: orders.contactPhone })
        .from(orders)
        .where(
          inArray(
            orders.id,
            touched.map((t) => t.orderId),
          ),
        );
      for (const t of touched) {
        await queueSms(tx, {
          to: contacts.find((c) => c.id === t.orderId)!.phone,
          template: "lot_recall",
          data: { orderId: t.orderId, lotNo: lot!.lotNo, action: t.action },
          orderId: t.orderId,
        });
      }
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "lot.block",
      entityType: "lot",
      entityId: lotId,
      data: {
        reason: input.reason,
        blockedQuantity: fresh!.onHand,
        orders: touched.map((t) => ({ orderId: t.orderId, action: t.action })),
      },
    });
    return { alreadyBlocked: false, atStripe };
  });
}

/** Orders (not closed) that drew units from the lot, with their status. */
async function ordersDrawnFrom(tx: Executor, lotId: string) {
  return tx
    .selectDistinct({ id: orders.id, status: orders.status, createdAt: orders.createdAt })
    .from(orderLineLots)
    .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orderLineLots.lotId, lotId), notInArray(orders.status, [...CLOSED])))
    .orderBy(asc(orders.createdAt));
}

/**
 * Open orders still holding a reservation of the product at the place (nothing paid, no sale recorded), the
 * newest first, with how much of the product each holds there.
 */
async function unpaidOrdersHolding(tx: Executor, productId: string, locationId: string) {
  return tx
    .select({
      id: orders.id,
      status: orders.status,
      quantity: sql<number>`sum(${orderLines.quantity})::int`.mapWith(Number),
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        eq(orderLines.productId, productId),
        eq(orderLines.locationId, locationId),
        inArray(orders.status, BEFORE_HAND_OVER),
        sql`NOT EXISTS (SELECT 1 FROM ${payments} p WHERE p.order_id = ${orders.id} AND p.status IN ('succeeded', 'partially_refunded'))`,
      ),
    )
    .groupBy(orders.id)
    .orderBy(desc(orders.createdAt), desc(orders.id));
}

/** The recall of a lot with every order it touched and each buyer's contact, or null if never recalled. */
export async function recallOf(db: Executor, lotId: string) {
  const [recall] = await db
    .select({ r: lotRecalls, byName: staffUsers.displayName })
    .from(lotRecalls)
    .innerJoin(staffUsers, eq(staffUsers.id, lotRecalls.recalledByUserId))
    .where(eq(lotRecalls.lotId, lotId));
  if (!recall) return null;
  const touched = await db
    .select({
      orderId: lotRecallOrders.orderId,
      action: lotRecallOrders.action,
      statusBefore: lotRecallOrders.statusBefore,
      status: orders.status,
      contactName: orders.contactName,
      contactPhone: orders.contactPhone,
    })
    .from(lotRecallOrders)
    .innerJoin(orders, eq(orders.id, lotRecallOrders.orderId))
    .where(eq(lotRecallOrders.lotId, lotId))
    .orderBy(asc(lotRecallOrders.action), asc(orders.createdAt));
  return {
    reason: recall.r.reason,
    at: recall.r.createdAt.toISOString(),
    byName: recall.byName,
    orders: touched,
  };
}
