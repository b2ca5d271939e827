/**
 * The yardstick for the catalog: a bare Hono + postgres.js server answering GET /v1/products and
 * GET /v1/products/:id with the very SQL the API's listProducts/getProduct send (as Drizzle renders it,
 * unprepared like Drizzle's postgres-js driver), the same JSON shape, and the API's default pool of 10, but
 * none of the API's middleware, validation or ORM. Started by `pnpm bench` as its own process.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 8799);
if (!url) throw new Error("DATABASE_URL is required");
const sql = postgres(url, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  onnotice: () => {},
  connection: { application_name: "coop-bench-bare" },
});
const noPrepare = { prepare: false } as const;

// $1 is the pickup point (NULL: delivery): the point's shelf plus the product's co-op warehouse, as
// apps/api/src/domain/catalog/list-products.ts counts it.
// The product's sale units on sale, the default first, as the API's catalog answers them (migration 0021).
// Its main photo, the live one at the lowest position (migration 0024, decision 0032).
const PHOTO_JSON = `jsonb_build_object('id', ph.id, 'width', ph.width, 'height', ph.height,
    'widths', to_jsonb(ph.variant_widths),
    'alt', CASE WHEN ph.alt_zh IS NULL THEN NULL ELSE jsonb_build_object('zh', ph.alt_zh, 'en', ph.alt_en) END)`;
const COLUMNS = `select "id", "sku", "name_zh", "name_en", "kind", "unit", "price_fen", coalesce((
  SELECT jsonb_agg(jsonb_build_object('id', u.id, 'label', jsonb_build_object('zh', u.label_zh, 'en', u.label_en),
      'size', u.size, 'priceFen', u.price_fen, 'minUnits', u.min_units, 'stepUnits', u.step_units,
      'isDefault', u.is_default) ORDER BY u.is_default DESC, u.sort_order, u.size, u.id)
  FROM sale_units u WHERE u.product_id = "products"."id" AND u.active
), '[]'::jsonb) AS "sale_units", coalesce((
  SELECT sum(s.on_hand - s.reserved)::integer FROM stock_levels s
  WHERE s.product_id = "products"."id"
    AND s.location_id IN ($1::text, (
      SELECT w.id FROM locations w WHERE w.coop_id = "products"."coop_id" AND w.kind = 'warehouse' LIMIT 1))
), 0), (
  SELECT ${PHOTO_JSON}
  FROM product_photos ph WHERE ph.product_id = "products"."id" AND ph.removed_at IS NULL
  ORDER BY ph.position LIMIT 1
) AS "photo"`;

/** The product page's every live photo, the main one first (migration 0024). */
const PHOTOS = `coalesce((
  SELECT jsonb_agg(${PHOTO_JSON} ORDER BY ph.position)
  FROM product_photos ph WHERE ph.product_id = "products"."id" AND ph.removed_at IS NULL
), '[]'::jsonb) AS "photos"`;

/** Every word of the query must occur in the search text (apps/api/src/domain/catalog/search-text.ts). */
function searchPatterns(q: string): string[] {
  const words = q
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/ü/g, "v")
    .split(/[\s,，、]+/u);
  return [...new Set(words.filter((w) => w !== ""))]
    .slice(0, 6)
    .map((w) => `%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
}

interface Row {
  id: string;
  sku: string;
  name_zh: string;
  name_en: string;
  kind: string;
  unit: string;
  price_fen: number;
  sale_units: unknown[];
  coalesce: number;
  photo: unknown;
}
const item = (r: Row) => ({
  id: r.id,
  sku: r.sku,
  name: { zh: r.name_zh, en: r.name_en },
  kind: r.kind,
  unit: r.unit,
  priceFen: r.price_fen,
  saleUnits: r.sale_units,
  available: Math.max(0, Number(r.coalesce)),
  photo: r.photo ?? null,
});

const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));
app.get("/v1/products", async (c) => {
  const limit = Math.min(100, Math.max(1, Number(c.req.query("limit") ?? 20)));
  const q = c.req.query("q")?.trim();
  const cursor = c.req.query("cursor");
  const params: unknown[] = [c.req.query("servicePointId") ?? null, true];
  const where: string[] = [
    `"products"."active" = $2`,
    `($1::text IS NULL OR EXISTS (SELECT 1 FROM locations sp WHERE sp.id = $1::text AND sp.kind = 'service_point' AND sp.active))`,
  ];
  if (cursor) {
    params.push(Buffer.from(cursor, "base64url").toString("utf8"));
    where.push(`"products"."id" > $${params.length}`);
  }
  for (const pattern of q ? searchPatterns(q) : []) {
    params.push(pattern);
    where.push(`"products"."search_text" ilike $${params.length}`);
  }
  params.push(limit + 1);
  const rows = (await sql.unsafe(
    `${COLUMNS} from "products" where (${where.join(" and ")}) order by "products"."id" asc limit $${params.length}`,
    params as never[],
    noPrepare,
  )) as unknown as Row[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    items: page.map(item),
    nextCursor: rows.length > limit && last ? Buffer.from(last.id, "utf8").toString("base64url") : null,
  });
});
app.get("/v1/products/:id", async (c) => {
  const id = c.req.param("id");
  const [row] = (await sql.unsafe(
    `${COLUMNS}, "description_zh", "description_en", "perishable", ${PHOTOS} from "products" where ("products"."id" = $2 and "products"."active" = $3 and ($1::text IS NULL OR EXISTS (SELECT 1 FROM locations sp WHERE sp.id = $1::text AND sp.kind = 'service_point' AND sp.active))) limit $4`,
    [c.req.query("servicePointId") ?? null, id, true, 1],
    noPrepare,
  )) as unknown as Array<
    Row & { description_zh: string; description_en: string; perishable: boolean; photos: unknown[] }
  >;
  if (!row) return c.json({ error: { code: "NOT_FOUND" } }, 404);
  const producers = await sql.unsafe(
    `select distinct "consignors"."name", "consignors"."village" from "lots" inner join "consignors" on "consignors"."id" = "lots"."consignor_id" where ("lots"."product_id" = $1 and "lots"."status" = $2 and "lots"."on_hand" > $3 and "consignors"."show_on_product_pages" = $4) order by "consignors"."name" asc limit $5`,
    [id, "in_stock", 0, true, 12],
    noPrepare,
  );
  return c.json({
    ...item(row),
    description: { zh: row.description_zh, en: row.description_en },
    perishable: row.perishable,
    producers: producers.map((p) => ({ name: p.name, village: p.village })),
    photos: row.photos,
  });
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
const stop = () => {
  server.close();
  void sql.end({ timeout: 2 }).then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
