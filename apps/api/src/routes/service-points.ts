import {
  CreatedServicePoint,
  CreateServicePoint,
  Place,
  ServicePointList,
  UpdateServicePoint,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { createServicePoint } from "../domain/locations/create-service-point";
import { findPlace, listOpenServicePoints } from "../domain/locations/list-places";
import { updateServicePoint } from "../domain/locations/update-place";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const listRoute = createRoute({
  method: "get",
  path: "/service-points",
  tags: ["Service points"],
  summary: "Open village service points (pickup places), with address and opening hours",
  responses: { 200: jsonContent(ServicePointList, "Service points") },
});

const createRouteDef = createRoute({
  method: "post",
  path: "/service-points",
  tags: ["Service points"],
  summary: "Open a village service point (admin)",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreateServicePoint } } },
  },
  responses: { 201: jsonContent(CreatedServicePoint, "Created"), ...errorResponses(400, 401, 403, 409) },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/service-points/{id}",
  tags: ["Service points"],
  summary: "One service point, open or closed, with its contact details (admin)",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff("admin")] as const,
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonContent(Place, "The point"), ...errorResponses(401, 403, 404) },
});

const patchRouteDef = createRoute({
  method: "patch",
  path: "/service-points/{id}",
  tags: ["Service points"],
  summary:
    "Edit a service point (admin): names, village, address, phone, opening hours; active=false closes it for pickup, true reopens it",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff("admin")] as const,
  request: {
    params: z.object({ id: z.string().max(64) }),
    body: { required: true, content: { "application/json": { schema: UpdateServicePoint } } },
  },
  responses: { 200: jsonContent(Place, "The point now"), ...errorResponses(400, 401, 403, 404) },
});

export function servicePointRoutes() {
  return createRouter()
    .openapi(createRouteDef, async (c) => {
      const staff = c.var.staff!;
      const result = await createServicePoint(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(result, 201);
    })
    .openapi(getRouteDef, async (c) => {
      const point = await findPlace(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        id: c.req.valid("param").id,
        kind: "service_point",
      });
      if (!point) throw new ApiError("NOT_FOUND", "There is no such service point.");
      return c.json(point, 200);
    })
    .openapi(patchRouteDef, async (c) => {
      const point = await updateServicePoint(c.var.deps.db, {
        id: c.req.valid("param").id,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(point, 200);
    })
    .openapi(listRoute, async (c) => {
      // A closed point is left out: buyers are never offered it (placing an order there answers 409).
      return c.json({ items: await listOpenServicePoints(c.var.deps.db) }, 200);
    });
}
