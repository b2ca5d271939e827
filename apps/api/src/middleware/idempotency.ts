import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/context";
import { idempotentRequest, runOnce } from "../lib/idempotency";

/**
 * Idempotency-Key for POSTs that create something. The first request with a key runs and its response is
 * stored; a replay with the same body gets that stored response (nothing new is created); the same key with a
 * different body is refused (409). Concurrent replays wait for the first to finish.
 * (POST /v1/orders claims its key inside the order's own transaction instead: see place-order.ts.)
 */
export function idempotent() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const req = idempotentRequest(c, await c.req.text());
    if (!req) return next();
    const outcome = await runOnce(c.var.deps.db, req, c.req.method, async () => {
      await next();
      // Server errors are not stored: the same request may succeed when retried.
      if (c.res.status >= 500 || !c.res.headers.get("content-type")?.includes("application/json")) return;
      return { status: c.res.status, body: await c.res.clone().json() };
    });
    if (outcome.replayed) {
      c.header("Idempotent-Replayed", "true");
      return c.json(outcome.stored.body as object, outcome.stored.status as 200);
    }
  });
}
