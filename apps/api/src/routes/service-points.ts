import { locations } from "@coop/db/schema";
import { CreatedServicePoint, CreateServicePoint, ServicePointList } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { createServicePoint } from "../domain/locations/create-service-point";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const listRoute = createRoute({
  method: "get",
  path: "/service-points",
  tags: ["Service points"],
  summary: "Active village service points (pickup places)",
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
    .openapi(listRoute, async (c) => {
      const rows = await c.var.deps.db
        .select({
          id: locations.id,
          code: locations.code,
          nameZh: locations.nameZh,
          nameEn: locations.nameEn,
          village: locations.village,
        })
        .from(locations)
        .where(and(eq(locations.kind, "service_point"), eq(locations.active, true)))
        .orderBy(asc(locations.code));
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            code: r.code,
            name: { zh: r.nameZh, en: r.nameEn },
            village: r.village ?? "",
          })),
        },
        200,
      );
    });
}
