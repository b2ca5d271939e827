import {
  CreatedServicePoint,
  CreateWarehouse,
  Place,
  UpdateWarehouse,
  WarehouseList,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { listPlaces } from "../domain/locations/list-places";
import { updateWarehouse } from "../domain/locations/update-place";
import { createWarehouse } from "../domain/locations/warehouses";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const security = [{ bearerAuth: [] }];
const tags = ["Warehouses"];

const listDef = createRoute({
  method: "get",
  path: "/warehouses",
  tags,
  security,
  summary: "The co-op's warehouse (a co-op has one: decision 0026)",
  middleware: [requireStaff()] as const,
  responses: { 200: jsonContent(WarehouseList, "Warehouses"), ...errorResponses(401) },
});

const createDef = createRoute({
  method: "post",
  path: "/warehouses",
  tags,
  security,
  summary:
    "Open the co-op's warehouse (admin); a co-op has one, so a second answers 409 ALREADY_EXISTS naming it",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreateWarehouse } } },
  },
  responses: { 201: jsonContent(CreatedServicePoint, "Created"), ...errorResponses(400, 401, 403, 409) },
});

const patchDef = createRoute({
  method: "patch",
  path: "/warehouses/{id}",
  tags,
  security,
  summary: "Edit the warehouse's names, address or phone (admin)",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: z.object({ id: z.string().max(64) }),
    body: { required: true, content: { "application/json": { schema: UpdateWarehouse } } },
  },
  responses: { 200: jsonContent(Place, "The warehouse now"), ...errorResponses(400, 401, 403, 404) },
});

export function warehouseRoutes() {
  return createRouter()
    .openapi(listDef, async (c) => {
      const items = await listPlaces(c.var.deps.db, { coopId: c.var.staff!.coopId, kind: "warehouse" });
      return c.json({ items }, 200);
    })
    .openapi(createDef, async (c) => {
      const staff = c.var.staff!;
      const { id, code } = await createWarehouse(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json({ id, code }, 201);
    })
    .openapi(patchDef, async (c) => {
      const warehouse = await updateWarehouse(c.var.deps.db, {
        id: c.req.valid("param").id,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(warehouse, 200);
    });
}
