import { AdminSaleUnit, CreateSaleUnit, SaleUnitChanges } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { addSaleUnit, updateSaleUnit } from "../domain/catalog/sale-units";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const security = [{ bearerAuth: [] }];
const ProductParam = z.object({ id: z.string().max(64) });
const SaleUnitParam = z.object({ id: z.string().max(64), saleUnitId: z.string().max(64) });

const addDef = createRoute({
  method: "post",
  path: "/products/{id}/sale-units",
  tags: ["Catalog"],
  security,
  summary: "Add a sale unit to a product (admin): a label, its size in base units, its price in fen",
  description:
    "E.g. 盒(30个): size 30, priceFen 5800. isDefault makes it the unit the catalog's priceFen shows and an order item without saleUnitId counts. Audited. Send an Idempotency-Key to retry safely.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: ProductParam,
    body: { required: true, content: { "application/json": { schema: CreateSaleUnit } } },
  },
  responses: { 201: jsonContent(AdminSaleUnit, "Added"), ...errorResponses(400, 401, 403, 404, 409) },
});

const patchDef = createRoute({
  method: "patch",
  path: "/products/{id}/sale-units/{saleUnitId}",
  tags: ["Catalog"],
  security,
  summary: "Change a sale unit (admin): label, price, minimum, step, order, default, on sale or not",
  description:
    "Orders already placed keep the size and price they were placed with. The default unit cannot be taken off sale (409). Audited.",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: SaleUnitParam,
    body: { required: true, content: { "application/json": { schema: SaleUnitChanges } } },
  },
  responses: { 200: jsonContent(AdminSaleUnit, "Updated"), ...errorResponses(400, 401, 403, 404, 409) },
});

export function saleUnitRoutes() {
  return createRouter()
    .openapi(addDef, async (c) => {
      const staff = c.var.staff!;
      const unit = await addSaleUnit(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        productId: c.req.valid("param").id,
        data: c.req.valid("json"),
      });
      return c.json(unit, 201);
    })
    .openapi(patchDef, async (c) => {
      const staff = c.var.staff!;
      const { id, saleUnitId } = c.req.valid("param");
      const unit = await updateSaleUnit(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        productId: id,
        saleUnitId,
        data: c.req.valid("json"),
      });
      return c.json(unit, 200);
    });
}
