import { Health as HealthSchema } from "@coop/shared/contract";
import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { RETRY_AFTER_SECONDS } from "../lib/db-unavailable";
import { createRouter } from "../lib/router";

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Liveness and database check",
  responses: {
    200: { description: "Up", content: { "application/json": { schema: HealthSchema } } },
    503: {
      description: "The database does not answer",
      content: { "application/json": { schema: HealthSchema } },
    },
  },
});

export function healthRoutes() {
  return createRouter().openapi(route, async (c) => {
    try {
      await c.var.deps.db.execute(sql`SELECT 1`);
      return c.json({ status: "ok" as const, db: "ok" as const }, 200);
    } catch (err) {
      c.var.logger.warn({ err }, "health check: database down");
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return c.json({ status: "degraded" as const, db: "down" as const }, 503);
    }
  });
}
