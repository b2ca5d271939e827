import { maySetStockThreshold } from "@coop/shared";
import { SetThreshold, StockByProduct, StockLevelList } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { setLowStockThreshold, stockByProduct, stockLevelList } from "../domain/stock/stock-views";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";

const tags = ["Stock"];
const security = [{ bearerAuth: [] }];

const byProductDef = createRoute({
  method: "get",
  path: "/stock",
  tags,
  security,
  summary: "A product's stock at every place: on hand, reserved, available",
  middleware: [requireStaff()] as const,
  request: { query: z.object({ productId: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(StockByProduct, "Stock by place"), ...errorResponses(400, 401) },
});

const levelsDef = createRoute({
  method: "get",
  path: "/stock/levels",
  tags,
  security,
  summary: "Stock levels at a place (or everywhere), with the low-stock flag",
  middleware: [requireStaff()] as const,
  request: {
    query: z.object({
      locationId: z.string().max(64).optional(),
      lowOnly: z
        .enum(["true", "false"])
        .default("false")
        .transform((v) => v === "true"),
    }),
  },
  responses: { 200: jsonContent(StockLevelList, "Levels"), ...errorResponses(400, 401) },
});

const thresholdDef = createRoute({
  method: "put",
  path: "/stock/thresholds",
  tags,
  security,
  summary: "Set (or clear, with null) the low-stock threshold of a product at a place",
  middleware: [requireStaff()] as const,
  request: { body: { required: true, content: { "application/json": { schema: SetThreshold } } } },
  responses: { 204: { description: "Saved" }, ...errorResponses(400, 401, 403, 404) },
});

export function stockRoutes() {
  return createRouter()
    .openapi(byProductDef, async (c) =>
      c.json(await stockByProduct(c.var.deps.db, c.req.valid("query").productId), 200),
    )
    .openapi(levelsDef, async (c) => c.json(await stockLevelList(c.var.deps.db, c.req.valid("query")), 200))
    .openapi(thresholdDef, async (c) => {
      const body = c.req.valid("json");
      // Agents set thresholds for their own point; warehouse staff and admins anywhere (@coop/shared scope.ts).
      if (!maySetStockThreshold(c.var.staff!, body.locationId))
        throw new ApiError("FORBIDDEN", "This belongs to another service point.");
      await setLowStockThreshold(c.var.deps.db, body);
      return c.body(null, 204);
    });
}
