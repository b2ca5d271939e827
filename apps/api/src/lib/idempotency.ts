import { createHash } from "node:crypto";
import type { Executor } from "@coop/db";
import { idempotencyKeys } from "@coop/db/schema";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Context } from "hono";
import { anonymousScope } from "../middleware/client-address";
import type { AppEnv } from "./context";
import { ApiError, errorBody } from "./errors";

// Idempotency-Key support for POSTs that create something: the first request with a key runs and its
// response is stored; a replay with the same body gets that stored response (nothing new is created); the
// same key with a different body is refused (409). Used by the `idempotent()` middleware and, inside the
// order's own transaction, by POST /v1/orders (domain/orders/place-order.ts).

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;
/** A first request still unfinished after this long is taken to have died; a retry may run again. */
const ABANDONED_AFTER_MS = 60_000;
const WAIT_FOR_FIRST_MS = 15_000;

/** One keyed request: who sent it (keys are scoped per caller), the key, and what it asked. */
export interface IdempotentRequest {
  /** The request that claimed the key: stored error bodies name it. */
  requestId: string;
  scope: string;
  key: string;
  path: string;
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Reads and checks the Idempotency-Key header. Keys are scoped to the caller (the staff user, or the
 * anonymous caller's browser or address), so one caller's key never returns another's result. `bodyText` is what identifies the request.
 */
export function idempotentRequest(
  c: Context<AppEnv>,
  bodyText: string | (() => string),
): IdempotentRequest | undefined {
  const key = c.req.header("idempotency-key");
  if (!key) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError("VALIDATION_FAILED", "Idempotency-Key must be 8–200 letters, digits or _ . : -", {
      fields: [{ path: "Idempotency-Key", message: "invalid format" }],
    });
  }
  // Anonymous callers are told apart by the shop's signed browser id, else their address (decision 0015).
  const staff = c.get("staff");
  const scope = staff ? `staff:${staff.id}` : anonymousScope(c);
  const requestHash = createHash("sha256")
    .update(`${c.req.method} ${c.req.path}\n${typeof bodyText === "string" ? bodyText : bodyText()}`)
    .digest("hex");
  return { requestId: c.get("requestId"), scope, key, path: c.req.path, requestHash };
}

const keyIs = (req: IdempotentRequest) =>
  and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key));

const reusedKey = () =>
  new ApiError(
    "IDEMPOTENCY_KEY_REUSED",
    "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
  );

/**
 * Takes over a key whose first request died mid-way (unfinished for longer than ABANDONED_AFTER_MS);
 * true when there was one.
 */
export async function dropAbandoned(db: Executor, req: IdempotentRequest): Promise<boolean> {
  const dropped = await db
    .delete(idempotencyKeys)
    .where(
      and(
        keyIs(req),
        isNull(idempotencyKeys.responseStatus),
        lt(idempotencyKeys.createdAt, new Date(Date.now() - ABANDONED_AFTER_MS)),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return dropped.length > 0;
}

/**
 * Waits for the first request with this key to finish and returns its stored response. Throws when the
 * key was used for another request, when the first request failed (its key is gone: retry), or when it
 * is still running after WAIT_FOR_FIRST_MS.
 */
export async function waitForFirst(db: Executor, req: IdempotentRequest): Promise<StoredResponse> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const [row] = await db.select().from(idempotencyKeys).where(keyIs(req)).limit(1);
    if (!row) {
      throw new ApiError(
        "IDEMPOTENCY_IN_PROGRESS",
        "The first request with this Idempotency-Key failed; retry it.",
      );
    }
    if (row.requestHash !== req.requestHash) throw reusedKey();
    if (row.responseStatus !== null) return { status: row.responseStatus, body: row.responseBody };
    if (Date.now() > deadline) {
      throw new ApiError(
        "IDEMPOTENCY_IN_PROGRESS",
        "The first request with this Idempotency-Key is still running; retry shortly.",
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Claims the key for this request; false when another request holds it already. */
async function claimKey(db: Executor, req: IdempotentRequest, method: string): Promise<boolean> {
  await dropAbandoned(db, req);
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ scope: req.scope, key: req.key, method, path: req.path, requestHash: req.requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return claimed.length > 0;
}

/** Finishes this request's claim of the key with the response a replay will get. */
export async function storeResponse(db: Executor, req: IdempotentRequest, response: StoredResponse) {
  await db
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body, completedAt: new Date() })
    .where(
      and(
        keyIs(req),
        eq(idempotencyKeys.requestHash, req.requestHash),
        isNull(idempotencyKeys.responseStatus),
      ),
    );
}

/**
 * Records the answer to a request whose claim was rolled back with its own transaction (a refused order).
 * Written only if the key is still free (returns false otherwise): a request that claimed it keeps it.
 */
export async function storeRolledBackResponse(
  db: Executor,
  req: IdempotentRequest,
  response: StoredResponse,
): Promise<boolean> {
  const stored = await db
    .insert(idempotencyKeys)
    .values({
      scope: req.scope,
      key: req.key,
      method: "POST",
      path: req.path,
      requestHash: req.requestHash,
      responseStatus: response.status,
      responseBody: response.body,
      completedAt: new Date(),
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return stored.length > 0;
}

/** Lets a retry run again: server errors are not stored, the same request may succeed later. */
export async function forgetUnfinished(db: Executor, req: IdempotentRequest) {
  await db.delete(idempotencyKeys).where(and(keyIs(req), isNull(idempotencyKeys.responseStatus)));
}

/**
 * Runs `run` once per key and stores its answer. A replay gets the first answer instead (`replayed`).
 * `run` returns the answer to store, or undefined for one that must not be stored (the request may
 * succeed when retried); a refusal it throws (ApiError < 500) is stored too, anything else is not.
 */
export async function runOnce(
  db: Executor,
  req: IdempotentRequest,
  method: string,
  run: () => Promise<StoredResponse | undefined>,
): Promise<
  { replayed: true; stored: StoredResponse } | { replayed: false; stored: StoredResponse | undefined }
> {
  if (!(await claimKey(db, req, method))) return { replayed: true, stored: await waitForFirst(db, req) };
  let response: StoredResponse | undefined;
  try {
    response = await run();
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      await storeResponse(db, req, { status: error.status, body: errorBody(error, req.requestId) });
    } else {
      await forgetUnfinished(db, req);
    }
    throw error;
  }
  if (response) await storeResponse(db, req, response);
  else await forgetUnfinished(db, req);
  return { replayed: false, stored: response };
}
