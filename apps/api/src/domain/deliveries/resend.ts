import type { Executor } from "@coop/db";
import { deliveryRunLines, orderLines, orders } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, isNull } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { openRun, WAITING_FOR_DELIVERY } from "./build-runs";
import { lockShortLine } from "./short-line";
import { reserveAt } from "./stock-moves";

/**
 * Staff send the missing part of a short line again, onto the point's open run. For an unsold line the
 * missing part is already held at the warehouse as its own order line: it simply joins the run. For a paid
 * order (its goods sold at payment) replacement units are held at the warehouse now and sold when the run
 * leaves; too few free there → 409 OUT_OF_STOCK and nothing changes. Returns the run it joined.
 */
export async function resendShortLine(
  db: Executor,
  input: { runId: string; lineId: string; actorUserId: string; requestId?: string },
) {
  return db.transaction(async (tx) => {
    const { line, run, missing } = await lockShortLine(tx, input.runId, input.lineId);
    if (line.resolution === "resent")
      throw new ApiError("INVALID_STATE", "The missing part was already re-sent.");
    if (line.resolution === "cancelled")
      throw new ApiError("INVALID_STATE", "The missing part was taken off the order.");
    const [order] = await tx.select().from(orders).where(eq(orders.id, line.orderId)).for("update");
    if (!order || !(WAITING_FOR_DELIVERY as readonly string[]).includes(order.status)) {
      throw new ApiError("INVALID_STATE", `The order is ${order?.status}; there is nothing to send.`);
    }
    const nextRunId = await openRun(tx, {
      coopId: run.coopId,
      from: run.fromLocationId,
      to: run.toLocationId,
      actorUserId: input.actorUserId,
    });
    if (line.goods === "reserved") {
      const [part] = line.redeliveryLineId
        ? await tx.select().from(orderLines).where(eq(orderLines.id, line.redeliveryLineId))
        : [];
      if (!part) throw new ApiError("INVALID_STATE", "The missing part is not held at the warehouse.");
      await tx.insert(deliveryRunLines).values({
        id: newId("deliveryRunLine"),
        runId: nextRunId,
        orderId: line.orderId,
        orderLineId: part.id,
        productId: part.productId,
        goods: "reserved",
        quantity: part.quantity,
        resendOfLineId: line.id,
      });
    } else {
      if (!(await reserveAt(tx, line.productId, run.fromLocationId, missing))) {
        throw new ApiError("OUT_OF_STOCK", "The warehouse does not have that many free to send again.", {
          details: { lines: [{ productId: line.productId, requested: missing }] },
        });
      }
      await tx.insert(deliveryRunLines).values({
        id: newId("deliveryRunLine"),
        runId: nextRunId,
        orderId: line.orderId,
        orderLineId: line.orderLineId,
        productId: line.productId,
        goods: "replacement",
        quantity: missing,
        resendOfLineId: line.id,
      });
    }
    const settled = await tx
      .update(deliveryRunLines)
      .set({ resolution: "resent", resolvedByUserId: input.actorUserId, resolvedAt: new Date() })
      .where(and(eq(deliveryRunLines.id, line.id), isNull(deliveryRunLines.resolution)))
      .returning({ id: deliveryRunLines.id });
    if (settled.length === 0) throw new ApiError("INVALID_STATE", "The missing part was already re-sent.");
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "delivery_run.resend",
      entityType: "delivery_run_line",
      entityId: line.id,
      data: { runId: run.id, nextRunId, quantity: missing },
    });
    return nextRunId;
  });
}
