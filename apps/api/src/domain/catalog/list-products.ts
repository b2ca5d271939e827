import type { Executor } from "@coop/db";
import type { ProductKind } from "@coop/db/schema";
import { consignors, lots, products } from "@coop/db/schema";
import { and, asc, eq, gt, ilike, or, type SQL, sql } from "drizzle-orm";
import { prepared } from "../../lib/prepared";

export interface CatalogItem {
  id: string;
  sku: string;
  name: { zh: string; en: string };
  kind: ProductKind;
  unit: "piece" | "gram" | "ml" | "bag";
  priceFen: number;
  available: number;
}

/** Quantity that can still be sold: on hand minus reserved, over every location. */
// Written with explicit table names: drizzle renders columns inside a raw subquery unqualified, which only
// worked by the accident that stock_levels has no "id" column of its own.
const availableSql = sql<number>`coalesce((
  SELECT sum(s.on_hand - s.reserved)::integer FROM stock_levels s WHERE s.product_id = "products"."id"
), 0)`.mapWith(Number);

const catalogColumns = {
  id: products.id,
  sku: products.sku,
  nameZh: products.nameZh,
  nameEn: products.nameEn,
  kind: products.kind,
  unit: products.unit,
  priceFen: products.priceFen,
  available: availableSql,
};

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The public catalog, in a stable order (product id, which is time-sortable) with keyset paging: the cursor is
 * the last id of the previous page, so paging stays fast and never skips or repeats under inserts.
 */
export async function listProducts(
  db: Executor,
  input: {
    q?: string | undefined;
    kind?: ProductKind | undefined;
    afterId?: string | undefined;
    limit: number;
  },
): Promise<{ items: CatalogItem[]; nextAfterId: string | null }> {
  const q = input.q?.trim();
  const shape = `catalog_list_${input.kind ? "k" : ""}${input.afterId ? "a" : ""}${q ? "q" : ""}`;
  const query = prepared(db, shape, () => {
    const conditions: SQL[] = [eq(products.active, true)];
    if (input.kind) conditions.push(eq(products.kind, sql.placeholder("kind")));
    if (input.afterId) conditions.push(gt(products.id, sql.placeholder("afterId")));
    if (q) {
      const pattern = sql.placeholder("pattern");
      conditions.push(
        or(ilike(products.nameZh, pattern), ilike(products.nameEn, pattern), ilike(products.sku, pattern))!,
      );
    }
    return db
      .select(catalogColumns)
      .from(products)
      .where(and(...conditions))
      .orderBy(asc(products.id))
      .limit(sql.placeholder("limit"))
      .prepare(shape);
  });
  const rows = await query.execute({
    kind: input.kind,
    afterId: input.afterId,
    pattern: q ? `%${escapeLike(q)}%` : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(toCatalogItem),
    nextAfterId: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function getProduct(db: Executor, id: string) {
  const productQuery = prepared(db, "catalog_product", () =>
    db
      .select({
        ...catalogColumns,
        descriptionZh: products.descriptionZh,
        descriptionEn: products.descriptionEn,
        perishable: products.perishable,
      })
      .from(products)
      .where(and(eq(products.id, sql.placeholder("id")), eq(products.active, true)))
      .limit(1)
      .prepare("catalog_product"),
  );
  // Only villagers who consented (showOnProductPages) are named, and only while their produce is on sale.
  const producersQuery = prepared(db, "catalog_producers", () =>
    db
      .selectDistinct({ name: consignors.name, village: consignors.village })
      .from(lots)
      .innerJoin(consignors, eq(consignors.id, lots.consignorId))
      .where(
        and(
          eq(lots.productId, sql.placeholder("id")),
          eq(lots.status, "in_stock"),
          gt(lots.onHand, 0),
          eq(consignors.showOnProductPages, true),
        ),
      )
      .orderBy(asc(consignors.name))
      .limit(12)
      .prepare("catalog_producers"),
  );
  const [row] = await productQuery.execute({ id });
  if (!row) return null;
  const producers = await producersQuery.execute({ id });
  return {
    ...toCatalogItem(row),
    description: { zh: row.descriptionZh, en: row.descriptionEn },
    perishable: row.perishable,
    producers,
  };
}

function toCatalogItem(row: {
  id: string;
  sku: string;
  nameZh: string;
  nameEn: string;
  kind: ProductKind;
  unit: CatalogItem["unit"];
  priceFen: number;
  available: number;
}): CatalogItem {
  return {
    id: row.id,
    sku: row.sku,
    name: { zh: row.nameZh, en: row.nameEn },
    kind: row.kind,
    unit: row.unit,
    priceFen: row.priceFen,
    available: Math.max(0, row.available),
  };
}
