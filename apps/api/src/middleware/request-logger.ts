import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/context";

/**
 * One log line per request with its id, status and duration; handlers log through c.var.logger.
 * The path only, never the query string or headers: a query can carry a buyer's phone or an order's access
 * token, and headers carry credentials. Paths hold ids only.
 */
export function requestLogger() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const logger = c.var.deps.logger.child({ requestId: c.var.requestId });
    c.set("logger", logger);
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const level = c.res.status >= 500 ? "error" : "info";
    logger[level]({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, "request");
  });
}
