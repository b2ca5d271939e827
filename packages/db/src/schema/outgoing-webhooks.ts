import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "@coop/shared";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { coops } from "./coop";
import { staffUsers } from "./staff";

export {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from "@coop/shared";

// Outgoing webhooks (decision 0045). Not to be confused with webhook_events: the webhooks Stripe sends us.

/** A URL the admin registered to be told of the co-op's events, with the secret its requests are signed with. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    url: text().notNull(),
    description: text(),
    /** The event types sent there (WEBHOOK_EVENT_TYPES). */
    events: text().array().notNull(),
    /**
     * The HMAC key of its Coop-Signature header. Kept as it is (not hashed): every delivery signs with it. Shown
     * to the admin once, when the endpoint is made; no response carries it again.
     */
    signingSecret: text().notNull(),
    enabled: boolean().notNull().default(true),
    createdAt: createdAt(),
    createdByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    disabledAt: timestamp({ withTimezone: true, mode: "date" }),
    disabledByUserId: text().references(() => staffUsers.id),
  },
  (t) => [
    check(
      "webhook_endpoints_events_check",
      sql.raw(
        `cardinality(events) > 0 AND events <@ ARRAY[${WEBHOOK_EVENT_TYPES.map((e) => `'${e}'`).join(", ")}]::text[]`,
      ),
    ),
    check("webhook_endpoints_url_check", sql`url ~ '^https?://' AND length(url) <= 2000`),
    check("webhook_endpoints_disabled_check", sql`enabled = (disabled_at IS NULL)`),
    // The event triggers look up a co-op's enabled endpoints on every order status change: a tiny index.
    index("webhook_endpoints_enabled_idx").on(t.coopId).where(sql`enabled`),
  ],
);

/**
 * The event outbox: one row per thing that happened, written by a trigger in the same transaction as the change
 * it describes (an order's status line, a lot, a payout), so an event is never told for a change that rolled
 * back nor missed for one that committed. Written only while some enabled endpoint of the co-op subscribes to
 * its type: with no receiver there is nothing to keep.
 */
export const outgoingEvents = pgTable(
  "outgoing_events",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    type: text({ enum: WEBHOOK_EVENT_TYPES }).notNull(),
    /** The order, lot or payout it is about. */
    entityId: text().notNull(),
    /** The event's `data`: ids, status, amounts in fen, time. */
    payload: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("outgoing_events_type_check", oneOf("type", WEBHOOK_EVENT_TYPES)),
    index("outgoing_events_entity_idx").on(t.entityId, t.createdAt),
  ],
);

/**
 * One event's delivery to one endpoint, and the log of it: tried until the receiver answers 2xx, with backoff
 * between tries, then never again. One row per endpoint and event, so two senders cannot make two deliveries.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text()
      .notNull()
      .references(() => outgoingEvents.id),
    status: text({ enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /**
     * When it is next due (pending or failed). A sender claiming it moves this past the request's timeout, so
     * no other sender takes it meanwhile; a sender that died frees it when that time comes.
     */
    nextAttemptAt: timestamp({ withTimezone: true, mode: "date" }),
    lastAttemptAt: timestamp({ withTimezone: true, mode: "date" }),
    lastStatusCode: integer(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("webhook_deliveries_status_check", oneOf("status", WEBHOOK_DELIVERY_STATUSES)),
    check("webhook_deliveries_attempts_check", sql`attempts >= 0`),
    check(
      "webhook_deliveries_due_check",
      sql`(status IN ('pending', 'failed')) = (next_attempt_at IS NOT NULL)`,
    ),
    check("webhook_deliveries_delivered_check", sql`(status = 'succeeded') = (delivered_at IS NOT NULL)`),
    uniqueIndex("webhook_deliveries_endpoint_event_unique").on(t.endpointId, t.eventId),
    // What the sender claims: due rows only, soonest first.
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status IN ('pending', 'failed')`),
    // The delivery log of an endpoint, newest first (keyset-paged by id).
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);
