import {
  CatalogPage,
  Created,
  CreateProduct,
  ListProductsQuery,
  ProductDetail,
  ProductQuery,
  ProductSuggestions,
  SuggestProductsQuery,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { createProduct } from "../domain/catalog/create-product";
import {
  assertPickupPoint,
  getProduct,
  listProducts,
  suggestProducts,
} from "../domain/catalog/list-products";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

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
    query: ListProductsQuery,
  },
  responses: {
    200: jsonContent(CatalogPage, "A page of products"),
    ...errorResponses(400),
  },
});

/** Registered before /products/{id}, which would otherwise take "suggest" for an id. */
const suggestRoute = createRoute({
  method: "get",
  path: "/products/suggest",
  tags: ["Catalog"],
  summary: "Product names for a search box, as the buyer types",
  request: { query: SuggestProductsQuery },
  responses: { 200: jsonContent(ProductSuggestions, "Up to 8 names"), ...errorResponses(400) },
});

const getRoute = createRoute({
  method: "get",
  path: "/products/{id}",
  tags: ["Catalog"],
  summary: "One product",
  request: { params: z.object({ id: z.string().max(64) }), query: ProductQuery },
  responses: { 200: jsonContent(ProductDetail, "The product"), ...errorResponses(400, 404) },
});

const createRouteDef = createRoute({
  method: "post",
  path: "/products",
  tags: ["Catalog"],
  summary: "Add a product (admin)",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreateProduct } } },
  },
  responses: { 201: jsonContent(Created, "Created"), ...errorResponses(400, 401, 403, 409) },
});

export function productRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const query = c.req.valid("query");
      const page = await listProducts(c.var.deps.db, {
        q: query.q,
        kind: query.kind,
        servicePointId: query.servicePointId,
        limit: query.limit,
        afterId: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      if (page.items.length === 0) await assertPickupPoint(c.var.deps.db, query.servicePointId);
      return c.json(
        { items: page.items, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    })
    .openapi(suggestRoute, async (c) => {
      const items = await suggestProducts(c.var.deps.db, c.req.valid("query").q);
      return c.json({ items }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { servicePointId } = c.req.valid("query");
      const product = await getProduct(c.var.deps.db, c.req.valid("param").id, servicePointId);
      if (!product) await assertPickupPoint(c.var.deps.db, servicePointId);
      if (!product) throw new ApiError("NOT_FOUND", "This product does not exist or is no longer sold.");
      return c.json(product, 200);
    })
    .openapi(createRouteDef, async (c) => {
      const staff = c.var.staff!;
      const result = await createProduct(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(result, 201);
    });
}
