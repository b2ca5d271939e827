import { BASE_UNITS, PRODUCT_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf, updatedAt } from "./_columns";
import { coops } from "./coop";
import { staffUsers } from "./staff";

export { PRODUCT_KINDS, type ProductKind } from "@coop/shared";

export const products = pgTable(
  "products",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    sku: text().notNull().unique(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    descriptionZh: text().notNull().default(""),
    descriptionEn: text().notNull().default(""),
    kind: text({ enum: PRODUCT_KINDS }).notNull(),
    /** Quantities of this product are integers in this unit. */
    unit: text({ enum: BASE_UNITS }).notNull(),
    /**
     * Price of the product's default sale unit, in fen (before migration 0021: of one base unit). Kept equal
     * to the default sale unit's price by triggers (migration 0021), so the catalog reads it without a join.
     */
    priceFen: integer().notNull(),
    /**
     * Co-op commission on consigned sales, basis points; null = the co-op's default. The rate in force now:
     * a sale reads it when it is recorded. Every value it ever had is a row of product_commission_rates.
     */
    commissionBps: integer(),
    /** Perishables carry a best-before date per lot and are sold first-expiring first. */
    perishable: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    /**
     * What catalog search matches: both names, the SKU, the Chinese name's full pinyin and initials
     * (apps/api domain/catalog/search-text.ts). Pinyin cannot be made in SQL, so the API writes it; NULL
     * means "not indexed yet" (rows written outside the API, e.g. by the seed) and the API fills it in at
     * start-up. A rename that does not set it resets it to NULL (trigger, migration 0017).
     */
    searchText: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("products_kind_check", oneOf("kind", PRODUCT_KINDS)),
    check("products_unit_check", oneOf("unit", BASE_UNITS)),
    check("products_price_non_negative", sql`price_fen >= 0`),
    check("products_commission_range", sql`commission_bps IS NULL OR commission_bps BETWEEN 0 AND 10000`),
    index("products_kind_idx").on(t.kind, t.id),
    index("products_coop_idx").on(t.coopId),
  ],
);

/**
 * The history of a product's commission: one row per change, never edited (the database refuses UPDATE and
 * DELETE). The newest row is the rate in force and equals products.commission_bps; a sale already recorded
 * keeps the commission it was credited with in its consignor entry.
 */
export const productCommissionRates = pgTable(
  "product_commission_rates",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** null = the co-op's default rate from this moment. */
    commissionBps: integer(),
    setByUserId: text().references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "product_commission_rates_range",
      sql`commission_bps IS NULL OR commission_bps BETWEEN 0 AND 10000`,
    ),
    index("product_commission_rates_product_idx").on(t.productId, t.createdAt),
  ],
);

/**
 * How a product is sold: each sale unit is a whole number of base units with its own price (个 1 at ¥2.00,
 * 盒(30个) 30 at ¥58.00, 斤 500 g at ¥13.80). Orders count these; stock stays in base units. Exactly one per
 * product is the default (shown first, and what an order item without a saleUnitId counts). A product
 * inserted without one gets a default of size 1 at its price (trigger, migration 0021).
 */
export const saleUnits = pgTable(
  "sale_units",
  {
    id: idColumn(),
    productId: text()
      .notNull()
      .references(() => products.id),
    labelZh: text().notNull(),
    labelEn: text().notNull(),
    /** Base units in one sale unit. */
    size: integer().notNull(),
    priceFen: integer().notNull(),
    minUnits: integer().notNull().default(1),
    stepUnits: integer().notNull().default(1),
    isDefault: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    sortOrder: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sale_units_product_label_zh").on(t.productId, t.labelZh),
    uniqueIndex("sale_units_one_default").on(t.productId).where(sql`is_default`),
    check("sale_units_size_positive", sql`size > 0`),
    check("sale_units_price_non_negative", sql`price_fen >= 0`),
    check("sale_units_min_positive", sql`min_units >= 1`),
    check("sale_units_step_positive", sql`step_units >= 1`),
    check("sale_units_default_is_active", sql`active OR NOT is_default`),
    index("sale_units_product_idx").on(t.productId, t.sortOrder),
  ],
);

/**
 * A product's photos (decision 0032). The upload itself is not kept: at upload the API makes every variant
 * (the widths of variant_widths × AVIF, WebP, JPEG; upright, metadata stripped) and stores their bytes in
 * stored_files under `product-photos/{id}/{width}-{format}`, in the same transaction as this row. The live
 * photo with the lowest position is the product's main photo. A removed photo keeps its row (who removed it,
 * when) and leaves the catalog at once.
 */
export const productPhotos = pgTable(
  "product_photos",
  {
    id: idColumn(),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** Order on the product page among its live photos; the lowest is the main photo. */
    position: integer().notNull(),
    /** What the photo shows, both languages or neither (then the product's name is the alt text). */
    altZh: text(),
    altEn: text(),
    /** The upright image's size in pixels (after EXIF rotation). */
    width: integer().notNull(),
    height: integer().notNull(),
    /** The type the upload's bytes were sniffed as, and its size. */
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    /** The widths made (ascending); every one exists in every format. */
    variantWidths: integer().array().notNull(),
    uploadedByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
    removedAt: timestamp({ withTimezone: true, mode: "date" }),
    removedByUserId: text().references(() => staffUsers.id),
  },
  (t) => [
    check("product_photos_position_range", sql`position >= 0 AND position < 1000`),
    check("product_photos_size_range", sql`width BETWEEN 1 AND 20000 AND height BETWEEN 1 AND 20000`),
    check("product_photos_type_check", sql`content_type IN ('image/jpeg', 'image/png', 'image/webp')`),
    check("product_photos_bytes_check", sql`size_bytes > 0 AND size_bytes <= 5242880`),
    check(
      "product_photos_variants_check",
      sql`cardinality(variant_widths) BETWEEN 1 AND 8 AND 0 < ALL (variant_widths) AND width >= ALL (variant_widths)`,
    ),
    check(
      "product_photos_alt_check",
      sql`(alt_zh IS NULL) = (alt_en IS NULL) AND (alt_zh IS NULL OR (char_length(alt_zh) BETWEEN 1 AND 200 AND char_length(alt_en) BETWEEN 1 AND 300))`,
    ),
    check("product_photos_removed_check", sql`removed_by_user_id IS NULL OR removed_at IS NOT NULL`),
    /** One live photo per place in the order; also the catalog's probe for a product's main photo. */
    uniqueIndex("product_photos_live_position").on(t.productId, t.position).where(sql`removed_at IS NULL`),
  ],
);
