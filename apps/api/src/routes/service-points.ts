import { locations } from "@coop/db/schema";
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { createRouter } from "../lib/router";
import { jsonContent, LocalizedTextSchema } from "../lib/schemas";

const ServicePointSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: "SP-HS01" }),
    name: LocalizedTextSchema,
    village: z.string(),
  })
  .openapi("ServicePoint");

const listRoute = createRoute({
  method: "get",
  path: "/service-points",
  tags: ["Service points"],
  summary: "Active village service points (pickup places)",
  responses: { 200: jsonContent(z.object({ items: z.array(ServicePointSchema) }), "Service points") },
});

export function servicePointRoutes() {
  return createRouter().openapi(listRoute, async (c) => {
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
