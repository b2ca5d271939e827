import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { staffUsers } from "./staff";

/**
 * Idempotency keys for mutating requests. The first request with a key stores its response; a replay with
 * the same body gets that response again; the same key with another body is refused.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** Who sent it (a user id, or "public:<ip>" for anonymous buyers), so keys of two callers never collide. */
    scope: text().notNull(),
    key: text().notNull(),
    method: text().notNull(),
    path: text().notNull(),
    requestHash: text().notNull(),
    /** null while the first request is still running. */
    responseStatus: integer(),
    responseBody: jsonb(),
    /** What the first request made (an order id), so a retry after a crash resumes it instead of making another. */
    resourceId: text(),
    createdAt: createdAt(),
    completedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_created_idx").on(t.createdAt),
    // The stalled-order sweep looks up unanswered orders by their order id; only those rows are indexed.
    index("idempotency_keys_unfinished_resource_idx")
      .on(t.resourceId)
      .where(sql`response_status IS NULL AND resource_id IS NOT NULL`),
  ],
);

/** Every webhook event received, by the provider's event id: the record that makes each effect happen once. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    provider: text().notNull(),
    eventId: text().notNull(),
    type: text().notNull(),
    payload: jsonb().notNull(),
    receivedAt: createdAt(),
    processedAt: timestamp({ withTimezone: true, mode: "date" }),
    error: text(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.eventId] }),
    index("webhook_events_received_idx").on(t.receivedAt),
  ],
);

/**
 * Failed logins per bucket ("login:<name>", "client:<address>") in fixed windows, shared by every API
 * process, so a limit holds however many processes run and whichever one a request reaches.
 */
export const loginThrottle = pgTable("login_throttle", {
  bucket: text().primaryKey(),
  windowStartedAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
  failures: integer().notNull().default(0),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/**
 * Uploaded files (intake photos) kept in the database itself, so one database backup holds everything and a
 * restore can never list a photo whose bytes are gone.
 */
export const storedFiles = pgTable(
  "stored_files",
  {
    key: text().primaryKey(),
    bytes: bytea().notNull(),
    sizeBytes: integer().notNull(),
    createdAt: createdAt(),
  },
  () => [check("stored_files_size_check", sql`size_bytes = octet_length(bytes)`)],
);

/** Who did what to which record, for every staff action that changes data. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: idColumn(),
    actorUserId: text().references(() => staffUsers.id),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    data: jsonb(),
    requestId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_actor_idx").on(t.actorUserId, t.createdAt),
  ],
);
