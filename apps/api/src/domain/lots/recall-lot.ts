import type { Executor } from "@coop/db";
import {
  deliveryRunLineLots,
  deliveryRunLines,
  locations,
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
import { and, asc, desc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { queueSms } from "../orders/notify";
import { type AfterCommit, BEFORE_HAND_OVER, cancelOrder } from "../orders/order-lifecycle";
import { recordMovement } from "../stock/ledger";
import { familyView, type LotRow, lotFamily } from "./lot-family";

/** Statuses in which an unpaid order may already have units of some lot in its bag (packed or later). */
const NOT_YET_PACKED = ["pending_payment", "confirmed"] as const;
const CLOSED = ["cancelled", "refunded"] as const;

export interface RecallOutcome {
  alreadyBlocked: boolean;
  /** Stripe work to do once the transaction has committed, per order. */
  atStripe: Array<{ orderId: string; after: AfterCommit }>;
}

/**
 * A food-safety recall. It never refuses because orders hold the units, and it follows the goods: a delivery
 * run splits a lot when only part of it goes, so the recall takes the lot's whole family — the intake lot at
 * its root and every lot split off it, wherever each is now (warehouse, in transit, a point's shelf). Asking
 * for a child recalls its parent and siblings too: one intake, one villager, one best-before, so the whole
 * intake is suspect. The trace names the lot that was asked for. In one transaction:
 *  1. every order drawn from any lot of the family (order_line_lots) that has not been handed over is refunded
 *     (or, unpaid, cancelled) — its units come back to their lot first, so they are recalled with it;
 *  2. at each place where a lot of the family is, the unpaid orders whose bag may hold its units are
 *     cancelled: on the road, exactly the orders whose run lines carry a family lot (the run recorded which);
 *     elsewhere every unpaid order of the product there that is packed or further along (cash orders are
 *     packed from the first-expiring lots without recording which). Then the newest unpaid orders not yet
 *     packed are cancelled until what the other lots there hold covers the reservations left (first come,
 *     first served);
 *  3. every lot of the family leaves sellable stock (a "block" ledger line at its place) and is blocked; a
 *     blocked lot on a run stays blocked when the run is received (receive keeps a blocked lot's status and
 *     it holds nothing sellable);
 *  4. the orders already handed over are listed for follow-up, and every affected buyer gets one recall SMS
 *     (one per phone number, naming all their orders), not one per lot.
 * Blocking any lot of an already blocked family answers its recall again (nothing changes). There is no
 * unblock: a recalled lot's units are destroyed or handed back outside the system.
 */
export async function recallLot(
  db: Executor,
  lotId: string,
  input: { reason: string; actorUserId: string; requestId?: string | undefined },
): Promise<RecallOutcome> {
  return db.transaction(async (tx) => {
    const [asked] = await tx.select().from(lots).where(eq(lots.id, lotId));
    if (!asked) throw new ApiError("NOT_FOUND", "There is no such lot.");
    if (asked.status === "rejected")
      throw new ApiError("INVALID_STATE", "This lot failed its quality check and was never stocked.");
    const family = await lockFamily(tx, lotId, asked.productId);
    const open = family.filter((l) => l.status !== "blocked" && l.status !== "rejected");
    if (open.length === 0) return { alreadyBlocked: true, atStripe: [] };
    const familyIds = family.map((l) => l.id);

    // The recall is recorded under the lot asked for; a family half blocked before families were followed
    // (its asked lot already has a recall) is finished under its first lot still open.
    const [earlier] = await tx.select().from(lotRecalls).where(eq(lotRecalls.lotId, asked.id));
    const recallLotId = earlier ? open[0]!.id : asked.id;
    await tx
      .insert(lotRecalls)
      .values({ lotId: recallLotId, reason: input.reason, recalledByUserId: input.actorUserId });
    const note = `召回 / recall ${asked.lotNo}: ${input.reason}`;
    const atStripe: RecallOutcome["atStripe"] = [];
    const touched: Array<{ orderId: string; action: RecallOrderAction; statusBefore: string }> = [];
    const stop = async (order: { id: string; status: string }) => {
      if (touched.some((t) => t.orderId === order.id)) return;
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

    // 1. Drawn from the family, not yet with the buyer.
    const drawn = await ordersDrawnFrom(tx, familyIds);
    for (const order of drawn.filter((o) => BEFORE_HAND_OVER.includes(o.status))) await stop(order);

    // 2. Holding the product where a family lot is, without being drawn from a lot (unpaid).
    const places = await tx
      .select({ id: locations.id, kind: locations.kind })
      .from(locations)
      .where(inArray(locations.id, [...new Set(open.map((l) => l.locationId))]))
      .orderBy(asc(locations.id));
    for (const place of places) {
      const here = open.filter((l) => l.locationId === place.id).map((l) => l.id);
      const holding = await unpaidOrdersHolding(tx, asked.productId, place.id);
      const suspects =
        place.kind === "transit"
          ? await ordersCarrying(tx, here)
          : holding.filter((o) => !(NOT_YET_PACKED as readonly string[]).includes(o.status));
      for (const order of suspects) await stop(order);
      const fresh = await tx.select({ onHand: lots.onHand }).from(lots).where(inArray(lots.id, here));
      const familyOnHand = fresh.reduce((s, l) => s + l.onHand, 0);
      const [level] = await tx
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, asked.productId), eq(stockLevels.locationId, place.id)));
      let short = level ? level.reserved - (level.onHand - familyOnHand) : 0;
      for (const order of holding) {
        if (short <= 0) break;
        if (touched.some((t) => t.orderId === order.id)) continue;
        await stop(order);
        short -= order.quantity;
      }
    }

    // 3. Off sale, every lot of the family at its place.
    const blocked: Array<{ lotId: string; lotNo: string; locationId: string; quantity: number }> = [];
    for (const lot of open) {
      const [fresh] = await tx.select().from(lots).where(eq(lots.id, lot.id));
      if (fresh!.onHand > 0) {
        await recordMovement(tx, {
          productId: fresh!.productId,
          locationId: fresh!.locationId,
          lotId: lot.id,
          kind: "block",
          quantityDelta: -fresh!.onHand,
          reason: input.reason,
          actorUserId: input.actorUserId,
        });
      }
      blocked.push({
        lotId: lot.id,
        lotNo: lot.lotNo,
        locationId: fresh!.locationId,
        quantity: fresh!.onHand,
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
      .where(
        inArray(
          lots.id,
          open.map((l) => l.id),
        ),
      );

    // 4. Already with the buyer: follow them up.
    for (const order of drawn.filter((o) => !BEFORE_HAND_OVER.includes(o.status))) {
      touched.push({ orderId: order.id, action: "handed_over", statusBefore: order.status });
    }
    if (touched.length) {
      await tx.insert(lotRecallOrders).values(
        touched.map((t) => ({
          lotId: recallLotId,
          orderId: t.orderId,
          action: t.action,
          statusBefore: t.statusBefore as never,
        })),
      );
      await tellBuyers(tx, touched, asked.lotNo);
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "lot.block",
      entityType: "lot",
      entityId: asked.id,
      data: {
        reason: input.reason,
        rootLotId: family[0]!.id,
        blockedQuantity: blocked.reduce((s, b) => s + b.quantity, 0),
        lots: blocked,
        orders: touched.map((t) => ({ orderId: t.orderId, action: t.action })),
      },
    });
    return { alreadyBlocked: false, atStripe };
  });
}

/**
 * Locks the family for the recall: the stock levels of the places its lots are at first, then the lots (the
 * order a hand-over takes them in, so the two never deadlock). A dispatch may split a new child off or move a
 * lot while we wait, so the family is read again under the locks until it stands still.
 */
async function lockFamily(tx: Executor, lotId: string, productId: string): Promise<LotRow[]> {
  let family = await lotFamily(tx, lotId);
  for (let round = 0; ; round++) {
    const placeIds = [...new Set(family.map((l) => l.locationId))].sort();
    await tx
      .select({ onHand: stockLevels.onHand })
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, productId), inArray(stockLevels.locationId, placeIds)))
      .orderBy(asc(stockLevels.locationId))
      .for("update");
    await tx
      .select({ id: lots.id })
      .from(lots)
      .where(
        inArray(
          lots.id,
          family.map((l) => l.id),
        ),
      )
      .orderBy(asc(lots.id))
      .for("update");
    const again = await lotFamily(tx, lotId);
    const key = (f: LotRow[]) =>
      f
        .map((l) => `${l.id}@${l.locationId}`)
        .sort()
        .join();
    if (key(again) === key(family) || round >= 5) return again;
    family = again;
  }
}

/** One recall SMS per buyer's phone number, naming every order of theirs the recall touched. */
async function tellBuyers(
  tx: Executor,
  touched: Array<{ orderId: string; action: RecallOrderAction }>,
  lotNo: string,
) {
  const contacts = await tx
    .select({ id: orders.id, phone: orders.contactPhone })
    .from(orders)
    .where(
      inArray(
        orders.id,
        touched.map((t) => t.orderId),
      ),
    );
  const byPhone = new Map<string, Array<{ orderId: string; action: RecallOrderAction }>>();
  for (const t of touched) {
    const phone = contacts.find((c) => c.id === t.orderId)!.phone;
    byPhone.set(phone, [...(byPhone.get(phone) ?? []), { orderId: t.orderId, action: t.action }]);
  }
  for (const [phone, theirs] of byPhone) {
    await queueSms(tx, {
      to: phone,
      template: "lot_recall",
      data: { orderId: theirs[0]!.orderId, action: theirs[0]!.action, lotNo, orders: theirs },
      orderId: theirs[0]!.orderId,
    });
  }
}

/** Orders (not closed) that drew units from any of the lots, with their status. */
async function ordersDrawnFrom(tx: Executor, lotIds: string[]) {
  return tx
    .selectDistinct({ id: orders.id, status: orders.status, createdAt: orders.createdAt })
    .from(orderLineLots)
    .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(inArray(orderLineLots.lotId, lotIds), notInArray(orders.status, [...CLOSED])))
    .orderBy(asc(orders.createdAt));
}

/** Open orders whose goods are on the road in a bag that holds units of these lots (run not yet received). */
async function ordersCarrying(tx: Executor, lotIds: string[]) {
  return tx
    .selectDistinct({ id: orders.id, status: orders.status, createdAt: orders.createdAt })
    .from(deliveryRunLineLots)
    .innerJoin(deliveryRunLines, eq(deliveryRunLines.id, deliveryRunLineLots.runLineId))
    .innerJoin(orders, eq(orders.id, deliveryRunLines.orderId))
    .where(
      and(
        inArray(deliveryRunLineLots.lotId, lotIds),
        isNull(deliveryRunLines.quantityReceived),
        inArray(orders.status, BEFORE_HAND_OVER),
      ),
    )
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

/**
 * The recall that covers a lot's family (asking for any lot of it answers the same recall), with every lot it
 * blocked, every order it touched and each buyer's contact; null if the family was never recalled.
 */
export async function recallOf(db: Executor, lotId: string) {
  const family = await lotFamily(db, lotId);
  if (family.length === 0) return null;
  const recalls = await db
    .select({ r: lotRecalls, byName: staffUsers.displayName })
    .from(lotRecalls)
    .innerJoin(staffUsers, eq(staffUsers.id, lotRecalls.recalledByUserId))
    .where(
      inArray(
        lotRecalls.lotId,
        family.map((l) => l.id),
      ),
    )
    .orderBy(asc(lotRecalls.createdAt), asc(lotRecalls.lotId));
  const first = recalls[0];
  if (!first) return null;
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
    .where(
      inArray(
        lotRecallOrders.lotId,
        recalls.map((r) => r.r.lotId),
      ),
    )
    .orderBy(asc(lotRecallOrders.action), asc(orders.createdAt), asc(orders.id));
  const askedLot = family.find((l) => l.id === first.r.lotId)!;
  return {
    reason: first.r.reason,
    at: first.r.createdAt.toISOString(),
    byName: first.byName,
    askedLotId: askedLot.id,
    askedLotNo: askedLot.lotNo,
    lots: await familyView(db, family),
    orders: touched.filter((t, i) => touched.findIndex((u) => u.orderId === t.orderId) === i),
  };
}
