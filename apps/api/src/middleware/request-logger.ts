import { createMiddleware } from "hono/factory";
import type { Logger } from "pino";
import type { AppEnv } from "../lib/context";

/**
 * One log line per request with its id, status and duration; handlers log through c.var.logger.
 * The path only, never the query string or headers: a query can carry a buyer's phone or an order's access
 * token, and headers carry credentials. Paths hold ids only.
 */
export function requestLogger() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const base = c.get("deps").logger;
    const logger = lazyChild(base, { requestId: c.get("requestId") });
    c.set("logger", logger);
    await next();
    const level = c.res.status >= 500 ? "error" : "info";
    if (!base.isLevelEnabled(level)) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    logger[level]({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, "request");
  });
}

/**
 * `base.child(bindings)`, made when first used: most requests log nothing at the production level (warn),
 * and a pino child costs its bindings' serialisation and redaction on every request (issue 12, item 3).
 * Every use (a method, a property, `child()`) goes to the one real child, so each line still carries the
 * bindings.
 */
export function lazyChild(base: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => {
    child ??= base.child(bindings);
    return child;
  };
  return new Proxy(base, {
    get(_target, prop) {
      const target = real();
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set: (_target, prop, value) => Reflect.set(real(), prop, value),
    has: (_target, prop) => Reflect.has(real(), prop),
  });
}
