import type { Executor } from "@coop/db";
import { locations, products, stockLevels } from "@coop/db/schema";
import { and, asc, eq, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

/** One product's stock at every place that holds any (the CONTRACT's GET /v1/stock). */
export async function stockByProduct(db: Executor, productId: string) {
  const rows = await db
    .select()
    .from(stockLevels)
    .where(eq(stockLevels.productId, productId))
    .orderBy(asc(stockLevels.locationId));
  return {
    productId,
    locations: rows.map((r) => ({
      locationId: r.locationId,
      onHand: r.onHand,
      reserved: r.reserved,
      available: r.onHand - r.reserved,
    })),
  };
}

/** Stock levels at one place (or everywhere), optionally only what has fallen below its threshold. */
export async function stockLevelList(
  db: Executor,
  filter: { locationId?: string | undefined; lowOnly: boolean },
) {
  const available = sql`${stockLevels.onHand} - ${stockLevels.reserved}`;
  const conditions: SQL[] = [];
  if (filter.locationId) conditions.push(eq(stockLevels.locationId, filter.locationId));
  if (filter.lowOnly)
    conditions.push(isNotNull(stockLevels.lowStockThreshold), lt(available, stockLevels.lowStockThreshold));
  const rows = await db
    .select({ level: stockLevels, nameZh: products.nameZh, nameEn: products.nameEn, unit: products.unit })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(and(...conditions))
    .orderBy(asc(products.sku), asc(stockLevels.locationId))
    .limit(2000);
  return {
    items: rows.map(({ level, nameZh, nameEn, unit }) => {
      const avail = level.onHand - level.reserved;
      return {
        productId: level.productId,
        productName: { zh: nameZh, en: nameEn },
        unit,
        locationId: level.locationId,
        onHand: level.onHand,
        reserved: level.reserved,
        available: avail,
        lowStockThreshold: level.lowStockThreshold,
        low: level.lowStockThreshold !== null && avail < level.lowStockThreshold,
      };
    }),
  };
}

export async function setLowStockThreshold(
  db: Executor,
  input: { productId: string; locationId: string; threshold: number | null },
) {
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.id, input.productId));
  const [location] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(eq(locations.id, input.locationId));
  if (!product || !location) throw new ApiError("NOT_FOUND", "There is no such product or place.");
  await db
    .insert(stockLevels)
    .values({ productId: input.productId, locationId: input.locationId, lowStockThreshold: input.threshold })
    .onConflictDoUpdate({
      target: [stockLevels.productId, stockLevels.locationId],
      set: { lowStockThreshold: input.threshold },
    });
}
