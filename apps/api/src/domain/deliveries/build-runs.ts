import type { Executor } from "@coop/db";
import {
  deliveryRunLines,
  deliveryRuns,
  locations,
  orderLineLots,
  orderLines,
  orders,
} from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, exists, inArray, isNull, not, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit } from "../../lib/audit";

/** Orders still in the co-op's hands: their goods may be sent to the point. */
export const WAITING_FOR_DELIVERY = ["paid", "confirmed", "packed"] as const;

/**
 * The order lines that must travel: pickup orders still waiting, whose line is at a warehouse while the
 * order is collected at a service point, and that are not already on a run.
 */
export function waitingLinesQuery(db: Executor, filter: { coopId: string; servicePointId?: string }) {
  const lineAt = alias(locations, "line_at");
  const conditions: SQL[] = [
    eq(orders.coopId, filter.coopId),
    eq(orders.fulfilmentType, "pickup"),
    inArray(orders.status, [...WAITING_FOR_DELIVERY]),
    eq(lineAt.kind, "warehouse"),
    not(
      exists(
        db
          .select({ one: deliveryRunLines.id })
          .from(deliveryRunLines)
          .where(
            and(eq(deliveryRunLines.orderLineId, orderLines.id), isNull(deliveryRunLines.quantityReceived)),
          ),
      ),
    ),
  ];
  if (filter.servicePointId) conditions.push(eq(orders.pickupLocationId, filter.servicePointId));
  return db
    .select({
      line: orderLines,
      pickupLocationId: orders.pickupLocationId,
      orderCreatedAt: orders.createdAt,
      sold: exists(
        db
          .select({ one: orderLineLots.lotId })
          .from(orderLineLots)
          .where(eq(orderLineLots.orderLineId, orderLines.id)),
      ).mapWith(Boolean),
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .innerJoin(lineAt, eq(lineAt.id, orderLines.locationId))
    .where(and(...conditions))
    .orderBy(orders.createdAt, orderLines.id);
}

/**
 * Gathers every waiting order line onto its point's open (packing) run, making the run when there is none:
 * one run per warehouse and point at a time. Safe to run twice at once: a line can be on one open run only
 * (a unique index), so the second builder skips what the first took. Returns the runs that gained lines.
 */
export async function buildDeliveryRuns(
  db: Executor,
  input: { coopId: string; servicePointId?: string | undefined; actorUserId: string; requestId?: string },
) {
  return db.transaction(async (tx) => {
    const waiting = await waitingLinesQuery(tx, {
      coopId: input.coopId,
      ...(input.servicePointId ? { servicePointId: input.servicePointId } : {}),
    });
    const byRoute = new Map<string, typeof waiting>();
    for (const w of waiting) {
      const key = `${w.line.locationId}|${w.pickupLocationId}`;
      byRoute.set(key, [...(byRoute.get(key) ?? []), w]);
    }
    const touched: string[] = [];
    for (const [key, group] of byRoute) {
      const [from, to] = key.split("|") as [string, string];
      const runId = await openRun(tx, { coopId: input.coopId, from, to, actorUserId: input.actorUserId });
      const added = await tx
        .insert(deliveryRunLines)
        .values(
          group.map((w) => ({
            id: newId("deliveryRunLine"),
            runId,
            orderId: w.line.orderId,
            orderLineId: w.line.id,
            productId: w.line.productId,
            goods: w.sold ? ("sold" as const) : ("reserved" as const),
            quantity: w.line.quantity,
          })),
        )
        .onConflictDoNothing()
        .returning({ orderLineId: deliveryRunLines.orderLineId });
      if (added.length === 0) continue;
      // A missing part held again at the warehouse is now on its way: its short line is settled as re-sent.
      await tx
        .update(deliveryRunLines)
        .set({ resolution: "resent", resolvedByUserId: input.actorUserId, resolvedAt: new Date() })
        .where(
          and(
            inArray(
              deliveryRunLines.redeliveryLineId,
              added.map((a) => a.orderLineId),
            ),
            isNull(deliveryRunLines.resolution),
          ),
        );
      touched.push(runId);
      await audit(tx, {
        actorUserId: input.actorUserId,
        requestId: input.requestId,
        action: "delivery_run.build",
        entityType: "delivery_run",
        entityId: runId,
        data: { from, to, orderLineIds: added.map((a) => a.orderLineId) },
      });
    }
    return [...new Set(touched)];
  });
}

/** The point's open run from this warehouse, made if there is none (one per route: a unique index). */
export async function openRun(
  tx: Executor,
  input: { coopId: string; from: string; to: string; actorUserId: string },
) {
  await tx
    .insert(deliveryRuns)
    .values({
      id: newId("deliveryRun"),
      coopId: input.coopId,
      fromLocationId: input.from,
      toLocationId: input.to,
      status: "packing",
      createdByUserId: input.actorUserId,
    })
    .onConflictDoNothing();
  const [run] = await tx
    .select({ id: deliveryRuns.id })
    .from(deliveryRuns)
    .where(
      and(
        eq(deliveryRuns.fromLocationId, input.from),
        eq(deliveryRuns.toLocationId, input.to),
        eq(deliveryRuns.status, "packing"),
      ),
    );
  return run!.id;
}
