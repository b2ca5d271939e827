import { PRODUCT_KINDS } from "@coop/db/schema";
import { BASE_UNITS } from "@coop/shared";
import { createRoute, z } from "@hono/zod-openapi";
import { getProduct, listProducts } from "../domain/catalog/list-products";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent, LocalizedTextSchema } from "../lib/schemas";

const CatalogItemSchema = z
  .object({
    id: z.string().openapi({ example: "prd_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    sku: z.string().openapi({ example: "EGG-FREE-RANGE" }),
    name: LocalizedTextSchema,
    kind: z.enum(PRODUCT_KINDS),
    unit: z
      .enum(BASE_UNITS)
      .openapi({ description: "Base unit: prices and quantities are per one of these" }),
    priceFen: z
      .number()
      .int()
      .openapi({ description: "Price of one base unit in fen (1 yuan = 100 fen)", example: 200 }),
    available: z
      .number()
      .int()
      .openapi({ description: "Units that can be ordered now (on hand − reserved)" }),
  })
  .openapi("CatalogItem");

const ProductDetailSchema = CatalogItemSchema.extend({
  description: LocalizedTextSchema,
  perishable: z.boolean(),
}).openapi("ProductDetail");

/** Cursors are opaque to clients: the last id of a page, base64url-encoded. */
const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64url");
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^prd_[0-9a-z]{26}$/.test(id)) {
    throw new ApiError("VALIDATION_FAILED", "The cursor is not valid; start again from the first page.", {
      fields: [{ path: "cursor", message: "not a cursor returned by this API" }],
    });
  }
  return id;
}

const listRoute = createRoute({
  method: "get",
  path: "/products",
  tags: ["Catalog"],
  summary: "The public catalog, with availability",
  request: {
    query: z.object({
      q: z
        .string()
        .trim()
        .max(100)
        .optional()
        .openapi({ description: "Search in Chinese and English names and SKU" }),
      kind: z.enum(PRODUCT_KINDS).optional(),
      cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(100).default(24),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({ items: z.array(CatalogItemSchema), nextCursor: z.string().nullable() })
        .openapi("CatalogPage"),
      "A page of products",
    ),
    ...errorResponses(400),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/products/{id}",
  tags: ["Catalog"],
  summary: "One product",
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonContent(ProductDetailSchema, "The product"), ...errorResponses(404) },
});

export function productRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const query = c.req.valid("query");
      const page = await listProducts(c.var.deps.db, {
        q: query.q,
        kind: query.kind,
        limit: query.limit,
        afterId: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      return c.json(
        { items: page.items, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    })
    .openapi(getRoute, async (c) => {
      const product = await getProduct(c.var.deps.db, c.req.valid("param").id);
      if (!product) throw new ApiError("NOT_FOUND", "This product does not exist or is no longer sold.");
      return c.json(product, 200);
    });
}
