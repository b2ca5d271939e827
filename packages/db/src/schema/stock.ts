import { LOT_STATUSES, RECEIPT_PRINT_FORMATS, STOCK_MOVEMENT_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { campaignPledges } from "./campaigns";
import { consignors } from "./consignors";
import { coops, locations } from "./coop";
import { intakeDevices } from "./intake";
import { products } from "./products";
import { staffUsers } from "./staff";

export {
  LOT_STATUSES,
  type LotStatus,
  RECEIPT_PRINT_FORMATS,
  STOCK_MOVEMENT_KINDS,
  type StockMovementKind,
} from "@coop/shared";

/**
 * A lot is one intake: one villager's produce of one product on one day (or a supplier delivery of a farm
 * supply). It is sold, moved and recalled as a unit, and its on-hand quantity always equals the sum of its
 * ledger lines.
 */
export const lots = pgTable(
  "lots",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    /** The intake number printed on the villager's receipt, e.g. "HS01-20261123-0007". */
    lotNo: text().notNull().unique(),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** The villager who consigned it; null for farm supplies bought in by the co-op. */
    consignorId: text().references(() => consignors.id),
    /** Where it was taken in. */
    originLocationId: text()
      .notNull()
      .references(() => locations.id),
    /** Where it is now (the destination while in transit). */
    locationId: text()
      .notNull()
      .references(() => locations.id),
    status: text({ enum: LOT_STATUSES }).notNull(),
    quantityReceived: integer().notNull(),
    onHand: integer().notNull(),
    grade: text(),
    bestBefore: date({ mode: "string" }),
    qcPassed: boolean().notNull(),
    qcReason: text(),
    receivedByUserId: text().references(() => staffUsers.id),
    /**
     * Set on a lot split off another for a delivery run (part of a lot cannot be in two places): the child
     * carries the parent's villager, product, origin and best-before, and is not a new intake.
     */
    parentLotId: text().references((): AnyPgColumn => lots.id),
    blockedAt: timestamp({ withTimezone: true, mode: "date" }),
    blockedReason: text(),
    blockedByUserId: text().references(() => staffUsers.id),
    /**
     * The intake command's client-made id (its Idempotency-Key): the same command sent twice, days apart or
     * after the idempotency row is gone, finds this lot instead of making a second one.
     */
    clientCommandId: text().unique(),
    /** The phone that numbered this intake (offline-capable intake); null for numbers the server gave. */
    intakeDeviceId: text().references(() => intakeDevices.id),
    /** The harvest-campaign pledge this intake delivers on (the villager's promise), if any. */
    pledgeId: text().references(() => campaignPledges.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("lots_status_check", oneOf("status", LOT_STATUSES)),
    check("lots_quantity_positive", sql`quantity_received > 0`),
    check("lots_on_hand_non_negative", sql`on_hand >= 0`),
    check("lots_failed_qc_has_reason", sql`qc_passed OR length(btrim(coalesce(qc_reason, ''))) > 0`),
    check("lots_failed_qc_never_stocked", sql`qc_passed OR (on_hand = 0 AND status = 'rejected')`),
    // First-expiring-first-out picks by product and location, ordered by best-before date.
    index("lots_fefo_idx").on(t.productId, t.locationId, t.bestBefore, t.createdAt),
    index("lots_consignor_idx").on(t.consignorId, t.createdAt),
    index("lots_origin_idx").on(t.originLocationId, t.createdAt),
    index("lots_pledge_idx").on(t.pledgeId).where(sql`pledge_id IS NOT NULL`),
    index("lots_parent_idx").on(t.parentLotId).where(sql`parent_lot_id IS NOT NULL`),
    // The dashboard's lots about to expire (decision 0044): only what is still on a shelf.
    index("lots_expiring_idx")
      .on(t.coopId, t.bestBefore, t.id)
      .where(sql`status = 'in_stock' AND on_hand > 0 AND best_before IS NOT NULL`),
  ],
);

/**
 * Every time a lot's receipt was printed or shown, append-only: the first is the original, every later one
 * is marked 补打 (reprint) on the paper so a second copy cannot pass for a second intake.
 */
export const lotReceiptPrints = pgTable(
  "lot_receipt_prints",
  {
    id: idColumn(),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    format: text({ enum: RECEIPT_PRINT_FORMATS }).notNull(),
    printedByUserId: text().references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("lot_receipt_prints_format_check", oneOf("format", RECEIPT_PRINT_FORMATS)),
    index("lot_receipt_prints_lot_idx").on(t.lotId, t.createdAt),
  ],
);

/**
 * The current quantity of each product at each location: what is physically there (on_hand) and how much of
 * it open orders hold (reserved). Orders reserve with one conditional UPDATE; these CHECKs make overselling
 * impossible even if application code is wrong.
 */
export const stockLevels = pgTable(
  "stock_levels",
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    onHand: integer().notNull().default(0),
    reserved: integer().notNull().default(0),
    /** Below this available quantity the product shows on the low-stock list; null = not watched. */
    lowStockThreshold: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.locationId] }),
    check("stock_levels_on_hand_non_negative", sql`on_hand >= 0`),
    check("stock_levels_reserved_non_negative", sql`reserved >= 0`),
    check("stock_levels_reserved_within_on_hand", sql`reserved <= on_hand`),
    check(
      "stock_levels_threshold_non_negative",
      sql`low_stock_threshold IS NULL OR low_stock_threshold >= 0`,
    ),
    index("stock_levels_location_idx").on(t.locationId),
    // The co-op-wide low-stock list: the few levels with a threshold, without reading every level. Its
    // predicate names only low_stock_threshold, so reservations (on_hand, reserved) stay HOT updates.
    index("stock_levels_threshold_idx").on(t.productId).where(sql`low_stock_threshold IS NOT NULL`),
  ],
);

/**
 * The append-only stock ledger: every change of on-hand stock is one line here, with who and why.
 * A trigger (migration 0001) rejects UPDATE and DELETE.
 */
export const stockMovements = pgTable(
  "stock_movements",
  {
    id: idColumn(),
    productId: text()
      .notNull()
      .references(() => products.id),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    lotId: text().references(() => lots.id),
    kind: text({ enum: STOCK_MOVEMENT_KINDS }).notNull(),
    quantityDelta: integer().notNull(),
    reason: text(),
    actorUserId: text().references(() => staffUsers.id),
    orderId: text(),
    /** Groups the lines of one operation, e.g. both sides of a transfer or one collection run. */
    batchId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    check("stock_movements_kind_check", oneOf("kind", STOCK_MOVEMENT_KINDS)),
    check("stock_movements_delta_non_zero", sql`quantity_delta <> 0`),
    // Also serves statements, which read one villager's lots' lines within a period.
    index("stock_movements_lot_idx").on(t.lotId, t.createdAt),
    index("stock_movements_product_location_idx").on(t.productId, t.locationId, t.createdAt),
    index("stock_movements_order_idx").on(t.orderId),
    // Exports page through the ledger in (created_at, id) order (decision 0043).
    index("stock_movements_created_idx").on(t.createdAt, t.id),
  ],
);
