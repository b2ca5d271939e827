import { locations } from "@coop/db/schema";
import { ServicePointList } from "@coop/shared/contract";
import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { createRouter } from "../lib/router";
import { jsonContent } from "../lib/schemas";

const listRoute = createRoute({
  method: "get",
  path: "/service-points",
  tags: ["Service points"],
  summary: "Active village service points (pickup places)",
  responses: { 200: jsonContent(ServicePointList, "Service points") },
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
