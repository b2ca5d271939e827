import { ROLLUP_DIMENSIONS, ROLLUP_GRAINS, SALE_CHANNELS, SALE_ENTRY_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { bigint, check, date, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { consignors } from "./consignors";
import { coops, locations } from "./coop";
import { orderLines, orders } from "./orders";
import { products } from "./products";
import { lots } from "./stock";

export {
  ROLLUP_DIMENSIONS,
  ROLLUP_GRAINS,
  type RollupDimension,
  type RollupGrain,
  SALE_CHANNELS,
  SALE_ENTRY_KINDS,
  type SaleChannel,
  type SaleEntryKind,
} from "@coop/shared";

/**
 * The sales ledger (decision 0044): append-only, one line per lot a sold order line drew from, with what that
 * part sold for and how it splits between the villager and the co-op's commission; a refund adds negative
 * lines for what it gave back. Written in the same transaction as the sale (recordSale) or the refund, so the
 * reports' rollups (sales_rollups) can always be rebuilt from it.
 */
export const saleEntries = pgTable(
  "sale_entries",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    kind: text({ enum: SALE_ENTRY_KINDS }).notNull(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** The order's service point (where the buyer collects); null for an order delivered to an address. */
    pointId: text().references(() => locations.id),
    /** Where the lot was taken in: the villagers' service point, or the warehouse for bought-in supplies. */
    originLocationId: text()
      .notNull()
      .references(() => locations.id),
    /** The lot's villager; null for the co-op's own goods (farm supplies), which earn no commission. */
    consignorId: text().references(() => consignors.id),
    channel: text({ enum: SALE_CHANNELS }).notNull(),
    /** Base units: positive for a sale, negative for a reversal. */
    quantity: integer().notNull(),
    grossFen: bigint({ mode: "number" }).notNull(),
    commissionFen: bigint({ mode: "number" }).notNull(),
    villagerFen: bigint({ mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("sale_entries_kind_check", oneOf("kind", SALE_ENTRY_KINDS)),
    check("sale_entries_channel_check", oneOf("channel", SALE_CHANNELS)),
    check(
      "sale_entries_sign",
      sql`(kind = 'sale' AND quantity > 0 AND gross_fen >= 0 AND commission_fen >= 0 AND villager_fen >= 0)
        OR (kind = 'reversal' AND quantity <= 0 AND gross_fen <= 0 AND commission_fen <= 0 AND villager_fen <= 0
            AND (quantity < 0 OR gross_fen < 0))`,
    ),
    // A villager's part splits into their share and the co-op's commission; the co-op's own goods have neither.
    check(
      "sale_entries_split",
      sql`(consignor_id IS NOT NULL AND gross_fen = commission_fen + villager_fen)
        OR (consignor_id IS NULL AND commission_fen = 0 AND villager_fen = 0)`,
    ),
    // The rollup job re-reads the last two China days; a full rebuild reads it all in this order.
    index("sale_entries_created_idx").on(t.createdAt),
    index("sale_entries_order_line_idx").on(t.orderLineId, t.lotId),
    // An agent's report reads only their point's sales (as the buyers' point, and as the lots' origin).
    index("sale_entries_point_created_idx").on(t.pointId, t.createdAt).where(sql`point_id IS NOT NULL`),
    index("sale_entries_origin_created_idx").on(t.originLocationId, t.createdAt),
  ],
);

/**
 * Sums of the sales ledger per China day and per China month, by one dimension (co-op wide, point, product,
 * origin) and channel. Derived data, never edited by hand: coop_rebuild_sales_rollups (migration 0029) deletes
 * and recomputes a range of days (and the months they touch) from sale_entries, so a rebuild always gives the
 * same rows. `key` is the point, product or origin id ('' for co-op wide and for delivered orders' point).
 */
export const salesRollups = pgTable(
  "sales_rollups",
  {
    coopId: text()
      .notNull()
      .references(() => coops.id),
    dimension: text({ enum: ROLLUP_DIMENSIONS }).notNull(),
    grain: text({ enum: ROLLUP_GRAINS }).notNull(),
    /** The China day, or the first day of the China month. */
    period: date({ mode: "string" }).notNull(),
    key: text().notNull(),
    channel: text({ enum: SALE_CHANNELS }).notNull(),
    /** Orders with a sale in the period (an order's sale is recorded at one moment, so these add up). */
    orders: integer().notNull(),
    quantity: bigint({ mode: "number" }).notNull(),
    grossFen: bigint({ mode: "number" }).notNull(),
    commissionFen: bigint({ mode: "number" }).notNull(),
    villagerFen: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.coopId, t.dimension, t.grain, t.period, t.key, t.channel] }),
    check("sales_rollups_dimension_check", oneOf("dimension", ROLLUP_DIMENSIONS)),
    check("sales_rollups_grain_check", oneOf("grain", ROLLUP_GRAINS)),
    check("sales_rollups_channel_check", oneOf("channel", SALE_CHANNELS)),
    check("sales_rollups_month_start", sql`grain = 'day' OR extract(day FROM period) = 1`),
  ],
);
