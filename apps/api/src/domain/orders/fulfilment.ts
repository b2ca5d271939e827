import type { Database, Executor } from "@coop/db";
import { locations, lots, orderLineLots, orderLines, orders, payments, products } from "@coop/db/schema";
import { handOverStatuses, newId } from "@coop/shared";
import type { HandOver } from "@coop/shared/contract";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { requestRating } from "../ratings/request-rating";
import { lockOrder } from "./cancel-order";
import { queueSms } from "./notify";
import { recordOrderSale } from "./order-lifecycle";
import { transition } from "./order-status";
import type { PickupCodes } from "./pickup-codes";
import { auditPickup, checkPickupProof, type PickupProof, proofOf } from "./pickup-proof";

export async function packOrder(db: Database, orderId: string, staff: StaffPrincipal) {
  await db.transaction((tx) =>
    transition(tx, orderId, ["paid", "confirmed"], "packed", { actorUserId: staff.id }),
  );
}

/**
 * Ready at its pickup point, for an order served entirely from that point's own shelf: the buyer is told
 * (the code came with the order SMS). Goods that ship from the warehouse go by a delivery run and become
 * ready only when the agent has received them (domain/deliveries).
 */
export async function dispatchToPickup(db: Database, orderId: string, staff: StaffPrincipal) {
  await db.transaction((tx) => dispatchIn(tx, orderId, staff));
}

async function dispatchIn(tx: Executor, orderId: string, staff: StaffPrincipal) {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
  if (order.fulfilmentType !== "pickup")
    throw new ApiError("INVALID_STATE", "This order is delivered, not picked up.");
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  if (!lines.every((l) => l.locationId === order.pickupLocationId)) {
    throw new ApiError(
      "INVALID_STATE",
      "These goods are not at the service point yet: they go there on a delivery run, and the order is ready when the agent has received them.",
    );
  }
  await transition(tx, orderId, ["packed", "paid", "confirmed"], "ready_for_pickup", {
    actorUserId: staff.id,
  });
  const [point] = await tx
    .select({ nameZh: locations.nameZh })
    .from(locations)
    .where(eq(locations.id, order.pickupLocationId!));
  await queueSms(tx, {
    to: order.contactPhone,
    template: "order_ready_for_pickup",
    // No code here: the API never knows it after checkout (decision 0017); the buyer has it from the
    // order-placed SMS and their order page.
    data: { orderId, servicePointName: point?.nameZh ?? null },
    orderId,
  });
}

export async function shipOrder(
  db: Database,
  orderId: string,
  staff: StaffPrincipal,
  trackingNumber: string,
) {
  await db.transaction((tx) => shipIn(tx, orderId, staff, trackingNumber));
}

async function shipIn(tx: Executor, orderId: string, staff: StaffPrincipal, trackingNumber: string) {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
  if (order.fulfilmentType !== "delivery")
    throw new ApiError("INVALID_STATE", "This order is picked up, not shipped.");
  await transition(tx, orderId, ["packed"], "shipped", { actorUserId: staff.id, note: trackingNumber });
  await tx.update(orders).set({ trackingNumber }).where(eq(orders.id, orderId));
  await queueSms(tx, {
    to: order.contactPhone,
    template: "order_shipped",
    data: { orderId, trackingNumber },
    orderId,
  });
}

export async function markDelivered(db: Database, orderId: string, staff: StaffPrincipal) {
  await db.transaction((tx) => transition(tx, orderId, ["shipped"], "delivered", { actorUserId: staff.id }));
}

/**
 * The agent hands the order over at the service point after checking the buyer's proof (pickup-proof.ts:
 * the buyer's 6-digit code; for an order placed for a villager, the villager's phone and SMS code or an ID
 * check). A cash order is paid here: the cash is recorded and the sale (FEFO, villager credits) happens now.
 * A wrong proof is counted and audited in a transaction that commits before the refusal is thrown, so
 * failing the request never undoes the count; any other refusal rolls back and is audited on its own.
 */
export async function handOver(
  db: Database,
  orderId: string,
  staff: StaffPrincipal,
  body: HandOver,
  deps: { codes: PickupCodes; requestId?: string | undefined },
): Promise<{ changeFen: number }> {
  const proof = proofOf(body);
  const outcome = await db
    .transaction((tx) =>
      handOverIn(tx, orderId, staff, { proof, cashReceivedFen: body.cashReceivedFen }, deps),
    )
    .catch(async (error: unknown) => {
      // Refused after the proof was checked (cash short, a state change): that attempt rolled back
      // with its audit line, so it is audited again on its own.
      if (error instanceof ApiError) {
        await auditPickup(db, { staff, requestId: deps.requestId }, orderId, "pickup.refused", {
          method: proof.method,
          reason: error.code,
        });
      }
      throw error;
    });
  if ("refused" in outcome) throw outcome.refused;
  return outcome;
}

/** Inside the hand-over: a wrong proof is returned (its count must commit), other refusals thrown. */
async function handOverIn(
  tx: Executor,
  orderId: string,
  staff: StaffPrincipal,
  input: { proof: PickupProof; cashReceivedFen?: number | undefined },
  deps: { codes: PickupCodes; requestId?: string | undefined },
): Promise<{ refused: ApiError } | { changeFen: number }> {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
  if (order.fulfilmentType !== "pickup")
    throw new ApiError("INVALID_STATE", "This order is delivered, not picked up.");
  if (staff.role === "agent" && staff.servicePointId !== order.pickupLocationId) {
    throw new ApiError("FORBIDDEN", "This order is picked up at another service point.");
  }
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  const allHere = lines.every((l) => l.locationId === order.pickupLocationId);
  const handable = handOverStatuses(allHere);
  if (order.status !== "picked_up" && !handable.includes(order.status)) {
    throw new ApiError("INVALID_STATE", `The order is ${order.status}; it is not ready to hand over.`);
  }
  const proof = await checkPickupProof(tx, order, input.proof, deps.codes, {
    staff,
    requestId: deps.requestId,
  });
  if (!proof.ok) return { refused: proof.error };
  let changeFen = 0;
  if (order.paymentMethod === "cash_on_pickup") {
    const cash = input.cashReceivedFen ?? 0;
    if (cash < order.totalFen) {
      throw new ApiError("VALIDATION_FAILED", "Take the full amount in cash before handing over.", {
        fields: [{ path: "cashReceivedFen", message: `at least ${order.totalFen} fen` }],
      });
    }
    changeFen = cash - order.totalFen;
    await tx.insert(payments).values({
      id: newId("payment"),
      orderId,
      method: "cash_on_pickup",
      provider: "cash",
      amountFen: order.totalFen,
      status: "succeeded",
      // Whose cash drawer it went into: the agent's day-close and hand-in count it (domain/cash).
      receivedByUserId: staff.id,
      locationId: order.pickupLocationId,
    });
    await recordOrderSale(tx, orderId, staff.id);
  }
  const cashNote = order.paymentMethod === "cash_on_pickup" ? `; cash ${order.totalFen} fen` : "";
  await transition(tx, orderId, [...handable], "picked_up", {
    actorUserId: staff.id,
    note: `${proof.note}${cashNote}`,
  });
  await queueSms(tx, { to: order.contactPhone, template: "order_picked_up", data: { orderId }, orderId });
  // The buyer rates the hand-over from their own phone, by a link texted now (decision 0046).
  await requestRating(tx, {
    kind: "pickup",
    subjectId: orderId,
    coopId: order.coopId,
    servicePointId: order.pickupLocationId!,
    phone: order.contactPhone,
  });
  return { changeFen };
}

/**
 * What to pick at a place for orders waiting to be packed, product by product, with the lots to take them
 * from: the lots already drawn (FEFO) for paid orders, and the first-expiring lots for cash orders.
 */
export async function pickList(db: Executor, locationId: string) {
  const rows = await db
    .select({
      line: orderLines,
      status: orders.status,
      nameZh: products.nameZh,
      nameEn: products.nameEn,
      unit: products.unit,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(and(eq(orderLines.locationId, locationId), inArray(orders.status, ["paid", "confirmed"])))
    .orderBy(asc(products.sku), asc(orders.createdAt));
  const byProduct = new Map<string, typeof rows>();
  for (const r of rows) byProduct.set(r.line.productId, [...(byProduct.get(r.line.productId) ?? []), r]);
  const out = [];
  for (const [productId, group] of byProduct) {
    const paidLineIds = group.filter((g) => g.status === "paid").map((g) => g.line.id);
    const drawn = paidLineIds.length
      ? await db
          .select({
            lotId: lots.id,
            lotNo: lots.lotNo,
            bestBefore: lots.bestBefore,
            take: sql<number>`sum(${orderLineLots.quantity})::int`.mapWith(Number),
          })
          .from(orderLineLots)
          .innerJoin(lots, eq(lots.id, orderLineLots.lotId))
          .where(inArray(orderLineLots.orderLineId, paidLineIds))
          .groupBy(lots.id)
      : [];
    let unpaid = group.filter((g) => g.status === "confirmed").reduce((s, g) => s + g.line.quantity, 0);
    const suggested: Array<{ lotId: string; lotNo: string; bestBefore: string | null; take: number }> = [];
    if (unpaid > 0) {
      const candidates = await db
        .select({ lotId: lots.id, lotNo: lots.lotNo, bestBefore: lots.bestBefore, onHand: lots.onHand })
        .from(lots)
        .where(
          and(
            eq(lots.productId, productId),
            eq(lots.locationId, locationId),
            eq(lots.status, "in_stock"),
            gt(lots.onHand, 0),
          ),
        )
        .orderBy(sql`${lots.bestBefore} ASC NULLS LAST`, asc(lots.createdAt));
      for (const c of candidates) {
        if (unpaid === 0) break;
        const take = Math.min(c.onHand, unpaid);
        unpaid -= take;
        suggested.push({ lotId: c.lotId, lotNo: c.lotNo, bestBefore: c.bestBefore, take });
      }
    }
    const first = group[0]!;
    out.push({
      productId,
      name: { zh: first.nameZh, en: first.nameEn },
      unit: first.unit,
      quantity: group.reduce((s, g) => s + g.line.quantity, 0),
      orders: group.map((g) => ({ orderId: g.line.orderId, quantity: g.line.quantity })),
      lots: mergeLots([...drawn, ...suggested]).sort((a, b) =>
        (a.bestBefore ?? "9999").localeCompare(b.bestBefore ?? "9999"),
      ),
    });
  }
  return { locationId, lines: out };
}

/** The same lot can be drawn for paid orders and suggested for cash ones: one row per lot on the list. */
function mergeLots<T extends { lotId: string; take: number }>(rows: T[]): T[] {
  const byLot = new Map<string, T>();
  for (const r of rows) {
    const seen = byLot.get(r.lotId);
    byLot.set(r.lotId, seen ? { ...seen, take: seen.take + r.take } : { ...r });
  }
  return [...byLot.values()];
}
