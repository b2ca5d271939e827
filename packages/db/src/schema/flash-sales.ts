import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { coops, locations } from "./coop";
import { products, saleUnits } from "./products";
import { staffUsers } from "./staff";

/**
 * A live-stream flash sale (直播秒杀) of one sale unit of one product, at its own price, between two times.
 * The quantity set aside is held at the warehouse from the moment the sale is scheduled (stock_levels
 * reserved), and counted down in `flash_sale_buckets`; what is left goes back to normal stock when the sale
 * is closed (closed_at, by the sweep after ends_at or by the admin). Decision 0040.
 */
export const flashSales = pgTable(
  "flash_sales",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    saleUnitId: text()
      .notNull()
      .references(() => saleUnits.id),
    /** The warehouse the set-aside stock is held at (every flash order ships or goes to a point from it). */
    locationId: text()
      .notNull()
      .references(() => locations.id),
    titleZh: text().notNull(),
    titleEn: text().notNull(),
    /** Price of one sale unit during the sale. */
    priceFen: integer().notNull(),
    /** Sale units set aside for the sale. */
    quantity: integer().notNull(),
    /** Base units in one sale unit when the sale was scheduled (the reservation is counted in these). */
    unitSize: integer().notNull(),
    /** Sale units one buyer (one phone) may buy in this sale, over all their orders. */
    perBuyerLimit: integer().notNull(),
    bucketCount: integer().notNull(),
    startsAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    endsAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    /** When what was left went back to normal stock; orders are refused from then on. */
    closedAt: timestamp({ withTimezone: true, mode: "date" }),
    /** Sale units that went back to normal stock at the close. */
    returnedUnits: integer(),
    createdByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("flash_sales_price_positive", sql`price_fen > 0`),
    check("flash_sales_quantity_positive", sql`quantity > 0 AND unit_size > 0`),
    check("flash_sales_limit_positive", sql`per_buyer_limit > 0`),
    check("flash_sales_buckets_range", sql`bucket_count BETWEEN 1 AND 64`),
    check("flash_sales_window", sql`ends_at > starts_at`),
    check(
      "flash_sales_closed_returned",
      sql`(closed_at IS NULL) = (returned_units IS NULL) AND coalesce(returned_units, 0) BETWEEN 0 AND quantity`,
    ),
    index("flash_sales_open_idx").on(t.endsAt).where(sql`closed_at IS NULL`),
  ],
);

/**
 * The set-aside quantity split into buckets, so concurrent orders each take one row lock of many rather
 * than queueing on one: an order takes its units from one bucket that has enough, skipping busy and dry
 * ones. The sum of `remaining` is what is left to sell.
 */
export const flashSaleBuckets = pgTable(
  "flash_sale_buckets",
  {
    saleId: text()
      .notNull()
      .references(() => flashSales.id),
    bucket: integer().notNull(),
    /** Sale units still to sell from this bucket. */
    remaining: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.saleId, t.bucket] }),
    check("flash_sale_buckets_remaining_non_negative", sql`remaining >= 0`),
  ],
);

/** Sale units each buyer (by phone) has ordered in a sale: the per-buyer limit holds under concurrency. */
export const flashSaleBuyers = pgTable(
  "flash_sale_buyers",
  {
    saleId: text()
      .notNull()
      .references(() => flashSales.id),
    phone: text().notNull(),
    units: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.saleId, t.phone] }),
    check("flash_sale_buyers_units_positive", sql`units > 0`),
  ],
);
