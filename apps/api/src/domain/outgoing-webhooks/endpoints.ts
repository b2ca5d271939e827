import { randomBytes } from "node:crypto";
import type { Database, Executor } from "@coop/db";
import { webhookDeliveries, webhookEndpoints } from "@coop/db/schema";
import { newId, type WebhookEventType } from "@coop/shared";
import type { CreatedWebhookEndpoint, CreateWebhookEndpoint, WebhookEndpoint } from "@coop/shared/contract";
import { WEBHOOK_SECRET_PREFIX } from "@coop/shared/webhook-signature";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { webhookUrlProblem } from "./url-rules";

/** Enabled endpoints one co-op may have: each event is sent to each of them, from the co-op's own server. */
export const MAX_ENABLED_ENDPOINTS = 20;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** An endpoint as the API shows it: never its secret. */
export function endpointView(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    createdByUserId: row.createdByUserId,
    disabledAt: row.disabledAt?.toISOString() ?? null,
  };
}

/** The co-op's endpoint, or 404: another co-op's endpoint does not exist for this admin. */
export async function findEndpoint(db: Executor, coopId: string, id: string): Promise<EndpointRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.coopId, coopId)));
  if (!row) throw new ApiError("NOT_FOUND", "There is no such webhook endpoint.");
  return row;
}

/**
 * The admin registers a URL for some event types. The signing secret is made here and answered this once.
 * Audited (without the secret).
 */
export async function createWebhookEndpoint(
  db: Database,
  input: {
    coopId: string;
    actorUserId: string;
    requestId: string;
    production: boolean;
    data: CreateWebhookEndpoint;
  },
): Promise<CreatedWebhookEndpoint> {
  const { data } = input;
  const problem = webhookUrlProblem(data.url, { production: input.production });
  if (problem) {
    throw new ApiError("VALIDATION_FAILED", `The webhook URL ${problem}.`, {
      fields: [{ path: "url", message: problem }],
    });
  }
  const secret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    const [enabled] = await tx
      .select({ n: count() })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.coopId, input.coopId), eq(webhookEndpoints.enabled, true)));
    if ((enabled?.n ?? 0) >= MAX_ENABLED_ENDPOINTS) {
      throw new ApiError(
        "CONFLICT",
        `A co-op may have at most ${MAX_ENABLED_ENDPOINTS} webhook endpoints: disable one first.`,
      );
    }
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id: newId("webhookEndpoint"),
        coopId: input.coopId,
        // As the URL parser writes it (host lower-cased, default port dropped), so the list shows what is called.
        url: new URL(data.url).toString(),
        description: data.description || null,
        events: data.events,
        signingSecret: secret,
        createdByUserId: input.actorUserId,
      })
      .returning();
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "webhook_endpoint.create",
      entityType: "webhook_endpoint",
      entityId: row!.id,
      data: { url: row!.url, events: row!.events, description: row!.description },
    });
    return { ...endpointView(row!), secret };
  });
}

/** The co-op's endpoints, newest first, enabled and disabled. */
export async function listWebhookEndpoints(db: Executor, coopId: string): Promise<WebhookEndpoint[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.coopId, coopId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map(endpointView);
}

/**
 * The admin stops sending to an endpoint, for good: new events are no longer recorded for it, and what was
 * still waiting to be sent there is abandoned (it stays in the log). Disabling it again changes nothing.
 * Audited.
 */
export async function disableWebhookEndpoint(
  db: Database,
  input: { coopId: string; id: string; actorUserId: string; requestId: string },
): Promise<WebhookEndpoint> {
  return db.transaction(async (tx) => {
    const current = await findEndpoint(tx, input.coopId, input.id);
    if (!current.enabled) return endpointView(current);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledAt: new Date(), disabledByUserId: input.actorUserId })
      .where(and(eq(webhookEndpoints.id, input.id), eq(webhookEndpoints.enabled, true)))
      .returning();
    if (!row) return endpointView(await findEndpoint(tx, input.coopId, input.id));
    const abandoned = await tx
      .update(webhookDeliveries)
      .set({ status: "abandoned", nextAttemptAt: null, lastError: "endpoint disabled" })
      .where(
        and(
          eq(webhookDeliveries.endpointId, input.id),
          inArray(webhookDeliveries.status, ["pending", "failed"]),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "webhook_endpoint.disable",
      entityType: "webhook_endpoint",
      entityId: input.id,
      data: { url: row.url, abandonedDeliveries: abandoned.length },
    });
    return endpointView(row);
  });
}
