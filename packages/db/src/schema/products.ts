import { BASE_UNITS, PRODUCT_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf, updatedAt } from "./_columns";
import { coops } from "./coop";

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
    /** Price of one base unit, in fen. */
    priceFen: integer().notNull(),
    /** Co-op commission on consigned sales, basis points; null = the co-op's default. */
    commissionBps: integer(),
    /** Perishables carry a best-before date per lot and are sold first-expiring first. */
    perishable: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
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
