import { COLLECTION_STATUSES, DISCREPANCY_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { coops, locations } from "./coop";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export { COLLECTION_STATUSES, DISCREPANCY_KINDS } from "@coop/shared";

/** A collection run (集货): lots carried together from a service point to the warehouse. */
export const collectionRuns = pgTable(
  "collection_runs",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    fromLocationId: text()
      .notNull()
      .references(() => locations.id),
    toLocationId: text()
      .notNull()
      .references(() => locations.id),
    status: text({ enum: COLLECTION_STATUSES }).notNull(),
    createdByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    receivedByUserId: text().references(() => staffUsers.id),
    createdAt: createdAt(),
    receivedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [
    check("collection_runs_status_check", oneOf("status", COLLECTION_STATUSES)),
    check("collection_runs_received_consistent", sql`(status = 'received') = (received_at IS NOT NULL)`),
    index("collection_runs_to_status_idx").on(t.toLocationId, t.status, t.createdAt),
    index("collection_runs_from_idx").on(t.fromLocationId, t.createdAt),
  ],
);

export const collectionRunLines = pgTable(
  "collection_run_lines",
  {
    runId: text()
      .notNull()
      .references(() => collectionRuns.id),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    quantitySent: integer().notNull(),
    quantityReceived: integer(),
    discrepancyKind: text({ enum: DISCREPANCY_KINDS }),
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.lotId] }),
    check("collection_run_lines_sent_positive", sql`quantity_sent > 0`),
    check(
      "collection_run_lines_received_range",
      sql`quantity_received IS NULL OR (quantity_received >= 0 AND quantity_received <= quantity_sent)`,
    ),
    check(
      "collection_run_lines_discrepancy_explained",
      sql`quantity_received IS NULL OR quantity_received = quantity_sent OR discrepancy_kind IS NOT NULL`,
    ),
    check(
      "collection_run_lines_kind_check",
      sql`discrepancy_kind IS NULL OR ${oneOf("discrepancy_kind", DISCREPANCY_KINDS)}`,
    ),
    index("collection_run_lines_lot_idx").on(t.lotId),
  ],
);

/** Photos taken at intake; the bytes live in stored_files (the database), under storageKey. */
export const lotPhotos = pgTable(
  "lot_photos",
  {
    id: idColumn(),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    storageKey: text().notNull().unique(),
    uploadedByUserId: text().references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("lot_photos_type_check", sql`content_type IN ('image/jpeg', 'image/png', 'image/webp')`),
    check("lot_photos_size_check", sql`size_bytes > 0 AND size_bytes <= 5242880`),
    index("lot_photos_lot_idx").on(t.lotId),
  ],
);
