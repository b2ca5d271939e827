import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/context";
import {
  claimKey,
  forgetUnfinished,
  idempotentRequest,
  storeResponse,
  waitForFirst,
} from "../lib/idempotency";

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
    const { db } = c.var.deps;
    if (!(await claimKey(db, req, c.req.method))) {
      const stored = await waitForFirst(db, req);
      c.header("Idempotent-Replayed", "true");
      return c.json(stored.body as object, stored.status as 200);
    }
    let stored = false;
    try {
      await next();
      // Server errors are not stored: the same request may succeed when retried.
      if (c.res.status < 500 && c.res.headers.get("content-type")?.includes("application/json")) {
        await storeResponse(db, req, { status: c.res.status, body: await c.res.clone().json() });
        stored = true;
      }
    } finally {
      if (!stored) await forgetUnfinished(db, req);
    }
  });
}
