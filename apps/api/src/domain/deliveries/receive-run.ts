import type { Executor } from "@coop/db";
import {
  type DISCREPANCY_KINDS,
  deliveryRunLineLots,
  deliveryRunLines,
  deliveryRuns,
  locations,
  lots,
  orderLines,
  orders,
} from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { discrepancyReason, LEDGER_TEXT, PROGRESS_TEXT } from "../line-codes";
import { transitLocationId } from "../locations/transit";
import { splitLine } from "../orders/line-parts";
import { queueSms } from "../orders/notify";
import { transition } from "../orders/order-status";
import { moveLot, recordMovement } from "../stock/ledger";
import { WAITING_FOR_DELIVERY } from "./build-runs";
import { releaseAt, reserveAt } from "./stock-moves";

type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
export interface ReceivedLine {
  lineId: string;
  receivedQuantity: number;
  discrepancyKind?: DiscrepancyKind | undefined;
  note?: string | undefined;
}

/**
 * The agent counts the run in at the point. Lines not listed arrived in full. Reserved units move in transit
 * → point and are held there for their order (the order line now points at the point, so the sale at
 * hand-over draws from the point's shelf); a shortfall is a discrepancy line at the point against the lots it
 * came from, with its kind and note. The missing part of an unsold line becomes its own order line held again
 * at the warehouse, waiting to be re-sent; when the warehouse has none free, it is taken off the order (its
 * price off the total). Then each order whose goods are all at the point is ready for pickup, and its buyer
 * is told once.
 */
export async function receiveDeliveryRun(
  db: Executor,
  input: { runId: string; staff: StaffPrincipal; lines: ReceivedLine[]; requestId?: string },
) {
  const actor = input.staff.id;
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(deliveryRuns).where(eq(deliveryRuns.id, input.runId)).for("update");
    if (!run) throw new ApiError("NOT_FOUND", "There is no such delivery run.");
    if (input.staff.role !== "admin" && input.staff.servicePointId !== run.toLocationId) {
      throw new ApiError("FORBIDDEN", "This run goes to another service point.");
    }
    if (run.status === "packing")
      throw new ApiError("INVALID_STATE", "This run has not left the warehouse yet.");
    if (run.status === "received") throw new ApiError("INVALID_STATE", "This run was already received.");
    const runLines = await tx.select().from(deliveryRunLines).where(eq(deliveryRunLines.runId, run.id));
    const fields: Array<{ path: string; message: string }> = [];
    input.lines.forEach((l, i) => {
      const line = runLines.find((r) => r.id === l.lineId);
      if (!line) fields.push({ path: `lines.${i}.lineId`, message: "not on this run" });
      else if (l.receivedQuantity > line.quantity) {
        fields.push({ path: `lines.${i}.receivedQuantity`, message: `more than the ${line.quantity} sent` });
      } else if (l.receivedQuantity < line.quantity && !l.discrepancyKind) {
        fields.push({
          path: `lines.${i}.discrepancyKind`,
          message: "say what happened to the missing units",
        });
      }
    });
    if (new Set(input.lines.map((l) => l.lineId)).size !== input.lines.length) {
      fields.push({ path: "lines", message: "a line is listed twice" });
    }
    if (fields.length) throw new ApiError("VALIDATION_FAILED", "Some counts need a look.", { fields });

    const transitId = await transitLocationId(tx, run.coopId);
    const orderIds = [...new Set(runLines.map((l) => l.orderId))].sort();
    const locked = await tx
      .select()
      .from(orders)
      .where(inArray(orders.id, orderIds))
      .orderBy(orders.id)
      .for("update");
    const openIds = new Set(
      locked.filter((o) => (WAITING_FOR_DELIVERY as readonly string[]).includes(o.status)).map((o) => o.id),
    );
    const cancelledNow = new Set<string>();

    for (const line of runLines) {
      const given = input.lines.find((l) => l.lineId === line.id);
      const received = given?.receivedQuantity ?? line.quantity;
      const short = line.quantity - received;
      const reason = discrepancyReason(given?.discrepancyKind, given?.note) || null;
      const isOpen = openIds.has(line.orderId) && !cancelledNow.has(line.orderId);
      let redeliveryLineId: string | null = null;
      let resolution: "cancelled" | null = null;

      if (line.goods === "reserved") {
        if (isOpen) await releaseAt(tx, line.productId, transitId, line.quantity);
        const carried = await tx
          .select({ c: deliveryRunLineLots, lot: lots })
          .from(deliveryRunLineLots)
          .innerJoin(lots, eq(lots.id, deliveryRunLineLots.lotId))
          .where(eq(deliveryRunLineLots.runLineId, line.id))
          .for("update", { of: lots });
        for (const { lot } of carried) {
          await moveLot(tx, lot, run.toLocationId, {
            actorUserId: actor,
            batchId: run.id,
            reason: LEDGER_TEXT.delivery_received,
          });
          if (lot.status !== "blocked") {
            await tx
              .update(lots)
              .set({ status: lot.onHand > 0 ? "in_stock" : "depleted" })
              .where(eq(lots.id, lot.id));
          }
        }
        let left = short;
        for (const { lot } of [...carried].reverse()) {
          if (left === 0) break;
          const take = Math.min(lot.onHand, left);
          if (take === 0) continue;
          left -= take;
          await recordMovement(tx, {
            productId: line.productId,
            locationId: run.toLocationId,
            lotId: lot.id,
            kind: "discrepancy",
            quantityDelta: -take,
            reason,
            actorUserId: actor,
            batchId: run.id,
            orderId: line.orderId,
          });
          if (take === lot.onHand && lot.status !== "blocked") {
            await tx.update(lots).set({ status: "depleted" }).where(eq(lots.id, lot.id));
          }
        }
        if (isOpen) {
          if (received > 0 && !(await reserveAt(tx, line.productId, run.toLocationId, received))) {
            throw new Error(`units received for ${line.id} could not be held at the point`);
          }
          const outcome = await placeMissingPart(tx, {
            orderLineId: line.orderLineId,
            received,
            short,
            pointId: run.toLocationId,
            warehouseId: run.fromLocationId,
            actorUserId: actor,
          });
          redeliveryLineId = outcome.redeliveryLineId;
          if (outcome.takenOff) resolution = "cancelled";
          if (outcome.orderCancelled) cancelledNow.add(line.orderId);
        }
      } else if (isOpen) {
        // Sold units hold nothing: the line just points at the point, where it will be handed over.
        await tx
          .update(orderLines)
          .set({ locationId: run.toLocationId })
          .where(eq(orderLines.id, line.orderLineId));
      }
      await tx
        .update(deliveryRunLines)
        .set({
          quantityReceived: received,
          discrepancyKind: short > 0 ? (given?.discrepancyKind ?? null) : null,
          note: given?.note ?? null,
          redeliveryLineId,
          ...(resolution ? { resolution, resolvedByUserId: actor, resolvedAt: new Date() } : {}),
        })
        .where(eq(deliveryRunLines.id, line.id));
    }
    await tx
      .update(deliveryRuns)
      .set({ status: "received", receivedAt: new Date(), receivedByUserId: actor })
      .where(eq(deliveryRuns.id, run.id));
    const [point] = await tx.select().from(locations).where(eq(locations.id, run.toLocationId));
    const ready: string[] = [];
    for (const orderId of orderIds) {
      if (!openIds.has(orderId) || cancelledNow.has(orderId)) continue;
      if (await markReadyIfComplete(tx, orderId, { actorUserId: actor, servicePointName: point!.nameZh })) {
        ready.push(orderId);
      }
    }
    await audit(tx, {
      actorUserId: actor,
      requestId: input.requestId,
      action: "delivery_run.receive",
      entityType: "delivery_run",
      entityId: run.id,
      data: { lines: input.lines, readyOrderIds: ready, cancelledOrderIds: [...cancelledNow] },
    });
    return { readyOrderIds: ready };
  });
}

/**
 * Where the units of a reserved line stand after the count: what arrived is the line at the point; the missing
 * part is held again at the warehouse (its own order line, or the whole line when nothing arrived), or, when
 * the warehouse has none free, taken off the order — the whole unpaid order when nothing of it can come.
 */
async function placeMissingPart(
  tx: Executor,
  input: {
    orderLineId: string;
    received: number;
    short: number;
    pointId: string;
    warehouseId: string;
    actorUserId: string;
  },
): Promise<{ redeliveryLineId: string | null; takenOff: boolean; orderCancelled: boolean }> {
  const [line] = await tx.select().from(orderLines).where(eq(orderLines.id, input.orderLineId));
  if (!line) throw new Error(`order line ${input.orderLineId} is gone`);
  if (input.short === 0) {
    await tx.update(orderLines).set({ locationId: input.pointId }).where(eq(orderLines.id, line.id));
    return { redeliveryLineId: null, takenOff: false, orderCancelled: false };
  }
  const heldAgain = await reserveAt(tx, line.productId, input.warehouseId, input.short);
  if (input.received === 0) {
    if (heldAgain) {
      await tx.update(orderLines).set({ locationId: input.warehouseId }).where(eq(orderLines.id, line.id));
      return { redeliveryLineId: line.id, takenOff: false, orderCancelled: false };
    }
    await cancelWholeUnpaidOrder(tx, line.orderId, line.id, input.actorUserId);
    return { redeliveryLineId: null, takenOff: true, orderCancelled: true };
  }
  const [kept, short] = splitLine(line, input.received);
  await tx
    .update(orderLines)
    .set({
      locationId: input.pointId,
      quantity: kept.quantity,
      units: kept.units,
      lineTotalFen: kept.lineTotalFen,
    })
    .where(eq(orderLines.id, line.id));
  if (heldAgain) {
    const id = newId("orderLine");
    await tx.insert(orderLines).values({
      id,
      orderId: line.orderId,
      productId: line.productId,
      locationId: input.warehouseId,
      quantity: short.quantity,
      saleUnitId: line.saleUnitId,
      units: short.units,
      unitSize: line.unitSize,
      unitPriceFen: line.unitPriceFen,
      lineTotalFen: short.lineTotalFen,
    });
    return { redeliveryLineId: id, takenOff: false, orderCancelled: false };
  }
  const offFen = short.lineTotalFen;
  await tx
    .update(orders)
    .set({
      subtotalFen: sql`${orders.subtotalFen} - ${offFen}`,
      totalFen: sql`${orders.totalFen} - ${offFen}`,
    })
    .where(eq(orders.id, line.orderId));
  return { redeliveryLineId: null, takenOff: true, orderCancelled: false };
}

/** Nothing of a line arrived and the warehouse has none: the unpaid order is cancelled, its holds let go. */
async function cancelWholeUnpaidOrder(
  tx: Executor,
  orderId: string,
  lostLineId: string,
  actorUserId: string,
) {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  for (const l of lines) {
    if (l.id === lostLineId) continue;
    await releaseAt(tx, l.productId, l.locationId, l.quantity);
  }
  await transition(tx, orderId, [...WAITING_FOR_DELIVERY], "cancelled", {
    actorUserId,
    note: PROGRESS_TEXT.lost_on_delivery,
  });
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  await queueSms(tx, { to: order!.contactPhone, template: "order_cancelled", data: { orderId }, orderId });
}

/**
 * An order is ready when every line is at its pickup point and nothing of it is still travelling or short
 * without a decision. Then it becomes ready_for_pickup and the buyer gets one SMS (the transition can happen
 * once). The SMS names the point; it never carries the pickup code, which the buyer already has.
 */
export async function markReadyIfComplete(
  tx: Executor,
  orderId: string,
  info: { actorUserId: string; servicePointName: string },
): Promise<boolean> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order || !(WAITING_FOR_DELIVERY as readonly string[]).includes(order.status)) return false;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  if (!lines.every((l) => l.locationId === order.pickupLocationId)) return false;
  const pending = await tx
    .select({ id: deliveryRunLines.id })
    .from(deliveryRunLines)
    .where(
      and(
        eq(deliveryRunLines.orderId, orderId),
        sql`(${deliveryRunLines.quantityReceived} IS NULL OR (${deliveryRunLines.quantityReceived} < ${deliveryRunLines.quantity} AND ${deliveryRunLines.resolution} IS NULL))`,
      ),
    )
    .limit(1);
  if (pending.length) return false;
  await transition(tx, orderId, [...WAITING_FOR_DELIVERY], "ready_for_pickup", {
    actorUserId: info.actorUserId,
    note: PROGRESS_TEXT.received_at_point,
  });
  await queueSms(tx, {
    to: order.contactPhone,
    template: "order_ready_for_pickup",
    data: { orderId, servicePointName: info.servicePointName },
    orderId,
  });
  return true;
}
