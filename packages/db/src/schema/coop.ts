import { LOCATION_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";

export { LOCATION_KINDS, type LocationKind } from "@coop/shared";

export const coops = pgTable(
  "coops",
  {
    id: idColumn(),
    code: text().notNull().unique(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    /** Commission on consigned produce when a product sets none, in basis points (1000 = 10 %). */
    defaultCommissionBps: integer().notNull().default(1000),
    /** Delivery fee rule the admin sets: a flat fee, waived at or above a subtotal (null = never waived). */
    deliveryFeeFen: integer().notNull().default(1000),
    freeDeliveryOverFen: integer(),
    /** How long an unpaid online order holds its stock before it is released, in seconds. */
    unpaidOrderSeconds: integer().notNull().default(1800),
    createdAt: createdAt(),
  },
  () => [
    check("coops_commission_range", sql`default_commission_bps BETWEEN 0 AND 10000`),
    check(
      "coops_delivery_fee_non_negative",
      sql`delivery_fee_fen >= 0 AND (free_delivery_over_fen IS NULL OR free_delivery_over_fen >= 0)`,
    ),
    check("coops_unpaid_seconds_range", sql`unpaid_order_seconds BETWEEN 1 AND 86400`),
  ],
);

/** Every place stock can be: the co-op warehouse, village service points, co-op stores. */
export const locations = pgTable(
  "locations",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    kind: text({ enum: LOCATION_KINDS }).notNull(),
    /** Short human code used in intake numbers and on the CLI, e.g. "SP-HS01". */
    code: text().notNull().unique(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    village: text(),
    address: text(),
    phone: text(),
    /** Opening hours as the point writes them on its door, e.g. "每天 8:00–18:00"; shown to buyers. */
    openingHours: text(),
    /** A closed service point is not offered for pickup; its stock, orders and villagers stay as they are. */
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check("locations_kind_check", oneOf("kind", LOCATION_KINDS)),
    check("locations_service_point_has_village", sql`kind <> 'service_point' OR village IS NOT NULL`),
    index("locations_coop_kind_idx").on(t.coopId, t.kind),
    // One warehouse per co-op (decision 0026): orders, collections and delivery runs all use "the" warehouse.
    uniqueIndex("locations_one_warehouse_per_coop").on(t.coopId).where(sql`kind = 'warehouse'`),
  ],
);
