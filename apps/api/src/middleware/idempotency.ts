import { createHash } from "node:crypto";
import { idempotencyKeys } from "@coop/db/schema";
import { and, eq, isNull, lt } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/context";
import { ApiError } from "../lib/errors";

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;
/** A first request still unfinished after this long is taken to have died; a retry may run again. */
const ABANDONED_AFTER_MS = 60_000;
const WAIT_FOR_FIRST_MS = 15_000;

/**
 * Idempotency-Key for POSTs that create something. The first request with a key runs and its response is
 * stored; a replay with the same body gets that stored response (nothing new is created); the same key with a
 * different body is refused (409). Concurrent replays wait for the first to finish. Keys are scoped to the
 * caller (the staff user, or the public), so one caller's key never returns another's result.
 */
export function idempotent() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (!key) return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError("VALIDATION_FAILED", "Idempotency-Key must be 8–200 letters, digits or _ . : -", {
        fields: [{ path: "Idempotency-Key", message: "invalid format" }],
      });
    }
    const { db } = c.var.deps;
    const scope = c.var.staff ? `staff:${c.var.staff.id}` : "public";
    const body = await c.req.text();
    const requestHash = createHash("sha256").update(`${c.req.method} ${c.req.path}\n${body}`).digest("hex");
    const where = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

    // Take over a key whose first request died mid-way.
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          where,
          isNull(idempotencyKeys.responseStatus),
          lt(idempotencyKeys.createdAt, new Date(Date.now() - ABANDONED_AFTER_MS)),
        ),
      );
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ scope, key, method: c.req.method, path: c.req.path, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });

    if (claimed.length === 0) {
      const deadline = Date.now() + WAIT_FOR_FIRST_MS;
      for (;;) {
        const [row] = await db.select().from(idempotencyKeys).where(where).limit(1);
        if (!row) {
          throw new ApiError(
            "IDEMPOTENCY_IN_PROGRESS",
            "The first request with this Idempotency-Key failed; retry it.",
          );
        }
        if (row.requestHash !== requestHash) {
          throw new ApiError(
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
          );
        }
        if (row.responseStatus !== null) {
          c.header("Idempotent-Replayed", "true");
          return c.json(row.responseBody as object, row.responseStatus as 200);
        }
        if (Date.now() > deadline) {
          throw new ApiError(
            "IDEMPOTENCY_IN_PROGRESS",
            "The first request with this Idempotency-Key is still running; retry shortly.",
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    let stored = false;
    try {
      await next();
      // Server errors are not stored: the same request may succeed when retried.
      if (c.res.status < 500 && c.res.headers.get("content-type")?.includes("application/json")) {
        const responseBody = await c.res.clone().json();
        await db
          .update(idempotencyKeys)
          .set({ responseStatus: c.res.status, responseBody, completedAt: new Date() })
          .where(where);
        stored = true;
      }
    } finally {
      if (!stored) await db.delete(idempotencyKeys).where(where);
    }
  });
}
