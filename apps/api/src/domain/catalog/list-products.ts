import type { Executor } from "@coop/db";
import type { ProductKind } from "@coop/db/schema";
import { consignors, locations, lots, products } from "@coop/db/schema";
import type { BaseUnit } from "@coop/shared";
import { and, asc, eq, gt, ilike, type SQL, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { prepared } from "../../lib/prepared";
import { searchPatterns } from "./search-text";

export interface CatalogItem {
  id: string;
  sku: string;
  name: { zh: string; en: string };
  kind: ProductKind;
  unit: BaseUnit;
  priceFen: number;
  saleUnits: CatalogSaleUnit[];
  available: number;
  photo: CatalogPhoto | null;
}

export interface CatalogPhoto {
  id: string;
  width: number;
  height: number;
  widths: number[];
  alt: { zh: string; en: string } | null;
}

export interface CatalogSaleUnit {
  id: string;
  label: { zh: string; en: string };
  size: number;
  priceFen: number;
  minUnits: number;
  stepUnits: number;
  isDefault: boolean;
}

/**
 * A product's sale units on sale, the default first, as one JSON array: one probe of sale_units' product
 * index per product, in the same statement as the product (no second round trip).
 */
const saleUnitsSql = sql<CatalogSaleUnit[]>`coalesce((
  SELECT jsonb_agg(jsonb_build_object('id', u.id, 'label', jsonb_build_object('zh', u.label_zh, 'en', u.label_en),
      'size', u.size, 'priceFen', u.price_fen, 'minUnits', u.min_units, 'stepUnits', u.step_units,
      'isDefault', u.is_default) ORDER BY u.is_default DESC, u.sort_order, u.size, u.id)
  FROM sale_units u WHERE u.product_id = "products"."id" AND u.active
), '[]'::jsonb)`;

/**
 * What a buyer can have, for the place they collect from: the pickup point's free shelf plus the warehouse's
 * free stock, or for delivery (pointId NULL) the warehouse's alone. Exactly the places place_order takes a
 * line from (migrations 0018, 0019): never other villages' points, nor stock in transit. Two primary-key probes of
 * stock_levels per product, the warehouse found through its one-per-co-op index.
 */
// Written with explicit table names: drizzle renders columns inside a raw subquery unqualified, which only
// worked by the accident that stock_levels has no "id" column of its own.
const availableSql = sql<number>`coalesce((
  SELECT sum(s.on_hand - s.reserved)::integer FROM stock_levels s
  WHERE s.product_id = "products"."id"
    AND s.location_id IN (${sql.placeholder("pointId")}::text, (
      SELECT w.id FROM locations w WHERE w.coop_id = "products"."coop_id" AND w.kind = 'warehouse' LIMIT 1))
), 0)`.mapWith(Number);

/**
 * The pickup point asked for is one place_order accepts (an open service point), or none was asked: one
 * InitPlan per statement instead of a round trip per request. A page that comes back empty with a point
 * then asks assertPickupPoint why, to answer 400 rather than an empty catalog.
 */
const pickupPointOpen = sql`(${sql.placeholder("pointId")}::text IS NULL OR EXISTS (
  SELECT 1 FROM locations sp
  WHERE sp.id = ${sql.placeholder("pointId")}::text AND sp.kind = 'service_point' AND sp.active))`;

/** One product photo as the catalog answers it (ProductPhoto in the contract). */
const PHOTO_JSON = `jsonb_build_object('id', ph.id, 'width', ph.width, 'height', ph.height,
    'widths', to_jsonb(ph.variant_widths),
    'alt', CASE WHEN ph.alt_zh IS NULL THEN NULL ELSE jsonb_build_object('zh', ph.alt_zh, 'en', ph.alt_en) END)`;

/**
 * The product's main photo (its live photo at position 0) or NULL: one probe of the live-position index per
 * product (decision 0032), in the same statement.
 */
const mainPhotoSql = sql<CatalogPhoto | null>`(
  SELECT ${sql.raw(PHOTO_JSON)}
  FROM product_photos ph WHERE ph.product_id = "products"."id" AND ph.removed_at IS NULL
  ORDER BY ph.position LIMIT 1
)`;

/** Every live photo of one product, the main one first (the product page). */
const photosSql = sql<CatalogPhoto[]>`coalesce((
  SELECT jsonb_agg(${sql.raw(PHOTO_JSON)} ORDER BY ph.position)
  FROM product_photos ph WHERE ph.product_id = "products"."id" AND ph.removed_at IS NULL
), '[]'::jsonb)`;

const catalogColumns = {
  id: products.id,
  sku: products.sku,
  nameZh: products.nameZh,
  nameEn: products.nameEn,
  kind: products.kind,
  unit: products.unit,
  priceFen: products.priceFen,
  saleUnits: saleUnitsSql,
  available: availableSql,
  photo: mainPhotoSql,
};

/**
 * A pickup point the catalog counts for must be one place_order accepts (an open service point), so a buyer
 * whose remembered point has closed is told so (400) instead of shown an empty catalog. Asked only when a
 * page or product came back empty for a point (pickupPointOpen filtered it).
 */
export async function assertPickupPoint(db: Executor, pointId: string | undefined): Promise<void> {
  if (!pointId) return;
  const query = prepared(db, "catalog_pickup_point", () =>
    db
      .select({ id: locations.id })
      .from(locations)
      .where(
        and(
          eq(locations.id, sql.placeholder("id")),
          eq(locations.kind, "service_point"),
          eq(locations.active, true),
        ),
      )
      .limit(1)
      .prepare("catalog_pickup_point"),
  );
  const [row] = await query.execute({ id: pointId });
  if (!row) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "That pickup point does not exist or is closed; choose another.",
      {
        fields: [{ path: "servicePointId", message: "no such open service point" }],
      },
    );
  }
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
    /** Pickup point; absent for delivery. A point that is not open gives no items (see assertPickupPoint). */
    servicePointId?: string | undefined;
    limit: number;
  },
): Promise<{ items: CatalogItem[]; nextAfterId: string | null }> {
  const patterns = searchPatterns(input.q?.trim());
  // One prepared statement per shape: which filters are present, and how many search words.
  const shape = `catalog_list_${input.kind ? "k" : ""}${input.afterId ? "a" : ""}q${patterns.length}`;
  const query = prepared(db, shape, () => {
    const conditions: SQL[] = [eq(products.active, true), pickupPointOpen];
    if (input.kind) conditions.push(eq(products.kind, sql.placeholder("kind")));
    if (input.afterId) conditions.push(gt(products.id, sql.placeholder("afterId")));
    conditions.push(...wordConditions(patterns.length));
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
    pointId: input.servicePointId ?? null,
    ...wordValues(patterns),
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(toCatalogItem),
    nextAfterId: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Every typed word must occur in the product's search text (names, SKU, pinyin, initials). */
function wordConditions(count: number): SQL[] {
  return Array.from({ length: count }, (_, i) => ilike(products.searchText, sql.placeholder(`word${i}`)));
}

function wordValues(patterns: string[]): Record<string, string> {
  return Object.fromEntries(patterns.map((pattern, i) => [`word${i}`, pattern]));
}

export const MAX_SUGGESTIONS = 8;

/**
 * Names for a search box as the buyer types: products on sale matching every word, shortest Chinese name
 * first (the closest match to a short query), then by id for a stable order.
 */
export async function suggestProducts(db: Executor, q: string) {
  const patterns = searchPatterns(q);
  if (patterns.length === 0) return [];
  const shape = `catalog_suggest_q${patterns.length}`;
  const query = prepared(db, shape, () =>
    db
      .select({ id: products.id, nameZh: products.nameZh, nameEn: products.nameEn })
      .from(products)
      .where(and(eq(products.active, true), ...wordConditions(patterns.length)))
      .orderBy(sql`length(${products.nameZh})`, asc(products.id))
      .limit(MAX_SUGGESTIONS)
      .prepare(shape),
  );
  const rows = await query.execute(wordValues(patterns));
  return rows.map((r) => ({ id: r.id, name: { zh: r.nameZh, en: r.nameEn } }));
}

export async function getProduct(db: Executor, id: string, servicePointId?: string) {
  const productQuery = prepared(db, "catalog_product", () =>
    db
      .select({
        ...catalogColumns,
        descriptionZh: products.descriptionZh,
        descriptionEn: products.descriptionEn,
        perishable: products.perishable,
        photos: photosSql,
      })
      .from(products)
      .where(and(eq(products.id, sql.placeholder("id")), eq(products.active, true), pickupPointOpen))
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
  const [row] = await productQuery.execute({ id, pointId: servicePointId ?? null });
  if (!row) return null;
  const producers = await producersQuery.execute({ id });
  return {
    ...toCatalogItem(row),
    description: { zh: row.descriptionZh, en: row.descriptionEn },
    perishable: row.perishable,
    producers,
    photos: row.photos,
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
  saleUnits: CatalogSaleUnit[];
  available: number;
  photo: CatalogPhoto | null;
}): CatalogItem {
  return {
    id: row.id,
    sku: row.sku,
    name: { zh: row.nameZh, en: row.nameEn },
    kind: row.kind,
    unit: row.unit,
    priceFen: row.priceFen,
    saleUnits: row.saleUnits,
    available: Math.max(0, row.available),
    photo: row.photo,
  };
}
