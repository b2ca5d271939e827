import {
  BuyerCurrent,
  BuyerLoginCodeQueued,
  BuyerLoginCodeRequest,
  BuyerOrderList,
  BuyerSession,
  BuyerSessionRequest,
  OrderLookupRequest,
  OrderLookupResult,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type BuyerGrant, buyerGrantOf } from "../domain/buyers/grants";
import { buyerOrders } from "../domain/buyers/history";
import { requestLoginCode } from "../domain/buyers/login-codes";
import { lookupOrder } from "../domain/buyers/lookup";
import { BuyerRateLimitedError } from "../domain/buyers/rate-limits";
import { buyerSecrets } from "../domain/buyers/secrets";
import { revokeBuyerSession, signIn } from "../domain/buyers/sessions";
import { pickupCodes } from "../domain/orders/pickup-codes";
import type { AppEnv } from "../lib/context";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { callerOf } from "../middleware/client-address";

const tags = ["Buyers"];
const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
const buyerSecurity = [{ bearerAuth: [] }];

const requestCodeDef = createRoute({
  method: "post",
  path: "/buyer/login-codes",
  tags,
  summary: "Text a 6-digit sign-in code to a phone",
  description:
    "Always 202 with the same body, whether or not the phone has orders. The code is valid 10 minutes, works once, dies at the 5th wrong try, and a new code voids the old. At most 1 code a minute and 5 an hour per phone, 10 an hour per client: over a limit → 429 RATE_LIMITED with Retry-After, nothing sent.",
  request: { body: json(BuyerLoginCodeRequest) },
  responses: { 202: jsonContent(BuyerLoginCodeQueued, "Queued"), ...errorResponses(400, 429) },
});

const signInDef = createRoute({
  method: "post",
  path: "/buyer/sessions",
  tags,
  summary: "Sign in with the phone and its code",
  description:
    "201 with a buyer session token (bst_…, 30 days) for Authorization. A wrong code → 401 INVALID_CREDENTIALS (details.attemptsLeft); a used, expired or dead code → 401 with details.reason not_valid: ask for a new code. At most 20 wrong codes an hour per client (429).",
  request: { body: json(BuyerSessionRequest) },
  responses: { 201: jsonContent(BuyerSession, "Signed in"), ...errorResponses(400, 401, 429) },
});

const currentDef = createRoute({
  method: "get",
  path: "/buyer/sessions/current",
  tags,
  security: buyerSecurity,
  summary: "The signed-in buyer's phone (buyer session)",
  responses: { 200: jsonContent(BuyerCurrent, "Signed in"), ...errorResponses(401) },
});

const signOutDef = createRoute({
  method: "delete",
  path: "/buyer/sessions/current",
  tags,
  security: buyerSecurity,
  summary: "Sign out: the session token stops working at once",
  responses: { 204: { description: "Signed out" }, ...errorResponses(401) },
});

const ordersDef = createRoute({
  method: "get",
  path: "/buyer/orders",
  tags,
  security: buyerSecurity,
  summary: "The signed-in buyer's orders: every order with the session's phone, newest first",
  description:
    "Includes orders placed before signing in and on other devices. pickupCode is null: it is in each order's text message (it derives from the order's access token, which the database does not hold).",
  request: {
    query: z.object({
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(50).default(20),
    }),
  },
  responses: { 200: jsonContent(BuyerOrderList, "Orders, newest first"), ...errorResponses(400, 401) },
});

const lookupDef = createRoute({
  method: "post",
  path: "/orders/lookup",
  tags,
  summary: "Find one order by its contact phone and pickup code",
  description:
    "The order and a view token (ovt_…, 30 minutes) that opens it with GET /v1/orders/{id}; no such order → 404. Misses are counted in the database: 5 an hour per phone, 10 per client, then 429 RATE_LIMITED with Retry-After.",
  request: { body: json(OrderLookupRequest) },
  responses: { 200: jsonContent(OrderLookupResult, "Found"), ...errorResponses(400, 404, 429) },
});

/** The signed-in buyer's session, or 401. */
function sessionOf(c: Context<AppEnv>): Extract<BuyerGrant, { kind: "session" }> {
  const grant = buyerGrantOf(c);
  if (grant?.kind !== "session")
    throw new ApiError("UNAUTHENTICATED", "Please sign in with your phone first.");
  return grant;
}

/** A 429 carries Retry-After, so a client can wait exactly as long as needed. */
function withRetryAfter(c: Context<AppEnv>) {
  return (error: unknown): never => {
    if (error instanceof BuyerRateLimitedError) c.header("Retry-After", String(error.retryAfterSeconds));
    throw error;
  };
}

export function buyerRoutes() {
  return createRouter()
    .openapi(requestCodeDef, async (c) => {
      const { phone } = c.req.valid("json");
      const secrets = buyerSecrets(c.var.deps.env.PICKUP_CODE_SECRET);
      const answer = await requestLoginCode(c.var.deps.db, secrets, { phone, caller: callerOf(c) }).catch(
        withRetryAfter(c),
      );
      await c.var.deps.jobs.notificationsQueued();
      return c.json(answer, 202);
    })
    .openapi(signInDef, async (c) => {
      const { phone, code } = c.req.valid("json");
      const secrets = buyerSecrets(c.var.deps.env.PICKUP_CODE_SECRET);
      const session = await signIn(c.var.deps.db, secrets, { phone, code, caller: callerOf(c) }).catch(
        withRetryAfter(c),
      );
      c.var.logger.info({ phoneTail: phone.slice(-4) }, "buyer signed in");
      return c.json({ ...session, expiresAt: session.expiresAt.toISOString() }, 201);
    })
    .openapi(currentDef, (c) => {
      const session = sessionOf(c);
      return c.json({ phone: session.phone, expiresAt: session.expiresAt.toISOString() }, 200);
    })
    .openapi(signOutDef, async (c) => {
      await revokeBuyerSession(c.var.deps.db, sessionOf(c).tokenHash);
      return c.body(null, 204);
    })
    .openapi(ordersDef, async (c) => {
      const session = sessionOf(c);
      const q = c.req.valid("query");
      return c.json(await buyerOrders(c.var.deps.db, { phone: session.phone, ...q }), 200);
    })
    .openapi(lookupDef, async (c) => {
      const { phone, pickupCode } = c.req.valid("json");
      const secret = c.var.deps.env.PICKUP_CODE_SECRET;
      const found = await lookupOrder(
        c.var.deps.db,
        { codes: pickupCodes(secret), secrets: buyerSecrets(secret) },
        { phone, pickupCode, caller: callerOf(c) },
      ).catch(withRetryAfter(c));
      return c.json({ ...found, viewExpiresAt: found.viewExpiresAt.toISOString() }, 200);
    });
}
