import type { Executor } from "@coop/db";
import {
  deliveryRunLineLots,
  deliveryRunLines,
  deliveryRuns,
  orderLineLots,
  orderLines,
  orders,
} from "@coop/db/schema";
import { partOfLineFen } from "@coop/shared";
import { and, eq, inArray } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { deliveryRunNote, LEDGER_TEXT } from "../line-codes";
import { transitLocationId } from "../locations/transit";
import { transition } from "../orders/order-status";
import { recordSale } from "../settlement/record-sale";
import { WAITING_FOR_DELIVERY } from "./build-runs";
import { moveUnitsFefo, releaseAt, reserveAt } from "./stock-moves";

/**
 * The run leaves the warehouse. Per line, by what it carries:
 * - reserved (unsold) units: the hold at the warehouse is let go, the units move warehouse → in transit
 *   FEFO (transfer_out / transfer_in under the run's id, a lot split when only part of it goes) and are held
 *   again in transit, where the order line now points;
 * - sold units: the ledger already has their sale; the run records the lots they were drawn from;
 * - replacement units (a re-send for a paid order): sold now, from the units held for them at the warehouse.
 * Orders not yet packed become packed. Lines of orders cancelled since the run was made are dropped.
 */
export async function dispatchDeliveryRun(
  db: Executor,
  input: { runId: string; actorUserId: string; requestId?: string },
) {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(deliveryRuns).where(eq(deliveryRuns.id, input.runId)).for("update");
    if (!run) throw new ApiError("NOT_FOUND", "There is no such delivery run.");
    if (run.status !== "packing") throw new ApiError("INVALID_STATE", "This run has already left.");
    const lines = await tx.select().from(deliveryRunLines).where(eq(deliveryRunLines.runId, run.id));
    const orderIds = [...new Set(lines.map((l) => l.orderId))].sort();
    const locked = orderIds.length
      ? await tx.select().from(orders).where(inArray(orders.id, orderIds)).orderBy(orders.id).for("update")
      : [];
    const open = new Set(
      locked.filter((o) => (WAITING_FOR_DELIVERY as readonly string[]).includes(o.status)).map((o) => o.id),
    );
    const dropped = lines.filter((l) => !open.has(l.orderId));
    if (dropped.length) {
      // Still a draft: nothing has moved for these lines, so they simply leave the run.
      await tx.delete(deliveryRunLines).where(
        inArray(
          deliveryRunLines.id,
          dropped.map((l) => l.id),
        ),
      );
    }
    const going = lines.filter((l) => open.has(l.orderId));
    if (going.length === 0) throw new ApiError("INVALID_STATE", "This run has nothing to carry.");
    const transitId = await transitLocationId(tx, run.coopId);

    for (const line of going) {
      const [orderLine] = await tx.select().from(orderLines).where(eq(orderLines.id, line.orderLineId));
      if (line.goods === "reserved") {
        await releaseAt(tx, line.productId, run.fromLocationId, line.quantity);
        const moved = await moveUnitsFefo(tx, {
          productId: line.productId,
          from: run.fromLocationId,
          to: transitId,
          quantity: line.quantity,
          actorUserId: input.actorUserId,
          batchId: run.id,
          reason: LEDGER_TEXT.delivery_sent,
        });
        if (!(await reserveAt(tx, line.productId, transitId, line.quantity))) {
          throw new Error(`units moved into transit for ${line.id} could not be held there`);
        }
        await tx.update(orderLines).set({ locationId: transitId }).where(eq(orderLines.id, line.orderLineId));
        await tx
          .insert(deliveryRunLineLots)
          .values(moved.map((m) => ({ runLineId: line.id, ...m, moved: true })));
      } else if (line.goods === "sold") {
        const drawn = await tx
          .select()
          .from(orderLineLots)
          .where(eq(orderLineLots.orderLineId, line.orderLineId));
        if (drawn.length) {
          await tx.insert(deliveryRunLineLots).values(
            drawn.map((d) => ({
              runLineId: line.id,
              lotId: d.lotId,
              quantity: d.quantity,
              splitFromLotId: null,
              moved: false,
            })),
          );
        }
      } else {
        const allocations = await recordSale(tx, {
          productId: line.productId,
          locationId: run.fromLocationId,
          quantity: line.quantity,
          grossFen: partOfLineFen(orderLine!.lineTotalFen, orderLine!.quantity, line.quantity),
          fromReserved: true,
          orderId: line.orderId,
          orderLineId: line.orderLineId,
          actorUserId: input.actorUserId,
        });
        await tx.insert(deliveryRunLineLots).values(
          allocations.map((a) => ({
            runLineId: line.id,
            lotId: a.lotId,
            quantity: a.quantity,
            splitFromLotId: null,
            moved: false,
          })),
        );
      }
    }
    for (const order of locked) {
      if (open.has(order.id) && order.status !== "packed") {
        await transition(tx, order.id, ["paid", "confirmed"], "packed", {
          actorUserId: input.actorUserId,
          note: deliveryRunNote(run.id),
        });
      }
    }
    await tx
      .update(deliveryRuns)
      .set({ status: "in_transit", dispatchedAt: new Date(), dispatchedByUserId: input.actorUserId })
      .where(and(eq(deliveryRuns.id, run.id), eq(deliveryRuns.status, "packing")));
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "delivery_run.dispatch",
      entityType: "delivery_run",
      entityId: run.id,
      data: { lines: going.length, droppedLineIds: dropped.map((l) => l.id) },
    });
  });
}
