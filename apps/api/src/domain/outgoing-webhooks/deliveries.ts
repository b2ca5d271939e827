import type { Database, Executor } from "@coop/db";
import { outgoingEvents, webhookDeliveries } from "@coop/db/schema";
import type { WebhookDelivery, WebhookDeliveryList, WebhookDeliveryQuery } from "@coop/shared/contract";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { findEndpoint } from "./endpoints";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** An endpoint's delivery log, newest first, keyset-paged (the cursor is the last delivery's id). */
export async function listDeliveries(
  db: Executor,
  input: { coopId: string; endpointId: string; query: WebhookDeliveryQuery },
): Promise<WebhookDeliveryList> {
  const { query } = input;
  await findEndpoint(db, input.coopId, input.endpointId);
  let after: { createdAt: Date; id: string } | undefined;
  if (query.cursor) {
    [after] = await db
      .select({ createdAt: webhookDeliveries.createdAt, id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, query.cursor), eq(webhookDeliveries.endpointId, input.endpointId)));
    if (!after) {
      throw new ApiError("VALIDATION_FAILED", "The cursor is not a delivery of this endpoint.", {
        fields: [{ path: "cursor", message: "not a delivery of this endpoint" }],
      });
    }
  }
  const rows = await db
    .select({ d: webhookDeliveries, type: outgoingEvents.type, entityId: outgoingEvents.entityId })
    .from(webhookDeliveries)
    .innerJoin(outgoingEvents, eq(outgoingEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, input.endpointId),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        after
          ? or(
              lt(webhookDeliveries.createdAt, after.createdAt),
              and(eq(webhookDeliveries.createdAt, after.createdAt), lt(webhookDeliveries.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: WebhookDelivery[] = page.map(({ d, type, entityId }) => ({
    id: d.id,
    eventId: d.eventId,
    eventType: type,
    entityId,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > query.limit ? (page.at(-1)?.d.id ?? null) : null };
}

/**
 * The admin sends a failed or abandoned delivery again now. A failed one keeps its schedule of tries; an
 * abandoned one gets one more try (abandoned again if that fails too). One that succeeded is never sent again.
 * Audited.
 */
export async function retryDelivery(
  db: Database,
  input: { coopId: string; endpointId: string; deliveryId: string; actorUserId: string; requestId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, input.coopId, input.endpointId);
    const [delivery] = await tx
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(
        and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.endpointId, input.endpointId)),
      );
    if (!delivery) throw new ApiError("NOT_FOUND", "There is no such delivery for this endpoint.");
    if (!endpoint.enabled) {
      throw new ApiError("INVALID_STATE", "The endpoint is disabled: nothing is sent to it any more.");
    }
    const updated = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()` })
      .where(
        and(
          eq(webhookDeliveries.id, input.deliveryId),
          inArray(webhookDeliveries.status, ["failed", "abandoned"]),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    if (updated.length === 0) {
      throw new ApiError(
        "INVALID_STATE",
        delivery.status === "succeeded"
          ? "This delivery succeeded: the receiver has the event, it is not sent again."
          : "This delivery is waiting for its first try already.",
        { details: { status: delivery.status } },
      );
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "webhook_delivery.retry",
      entityType: "webhook_delivery",
      entityId: input.deliveryId,
      data: { endpointId: input.endpointId, status: delivery.status },
    });
  });
}
