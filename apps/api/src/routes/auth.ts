import { CurrentUser, LoginRequest, LoginResult } from "@coop/shared/contract";
import { createRoute } from "@hono/zod-openapi";
import { rateLimiter } from "hono-rate-limiter";
import { login } from "../domain/auth/login";
import { revokeSession } from "../domain/auth/sessions";
import type { AppDeps, AppEnv } from "../lib/context";
import { ApiError, errorBody } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { clientAddress } from "../middleware/client-address";

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Staff authentication"],
  summary: "Log in as a staff member",
  description:
    "Returns a bearer token for the Authorization header. After 10 failed attempts within a minute from one address, further attempts get 429 until the minute is over.",
  request: { body: { required: true, content: { "application/json": { schema: LoginRequest } } } },
  responses: {
    200: jsonContent(LoginResult, "Logged in"),
    ...errorResponses(400, 401, 429),
  },
});

const meRoute = createRoute({
  method: "get",
  path: "/auth/me",
  tags: ["Staff authentication"],
  summary: "The logged-in staff member",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff()] as const,
  responses: {
    200: jsonContent(CurrentUser, "The current user"),
    ...errorResponses(401),
  },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Staff authentication"],
  summary: "End this login session",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff()] as const,
  responses: { 204: { description: "Logged out" }, ...errorResponses(401) },
});

export function authRoutes(deps: AppDeps) {
  const router = createRouter();
  // Only failed attempts count, so a busy service point's agents logging in correctly are never locked out.
  router.use(
    "/auth/login",
    rateLimiter<AppEnv>({
      windowMs: 60_000,
      limit: deps.env.LOGIN_RATE_LIMIT_PER_MINUTE,
      standardHeaders: "draft-7",
      skipSuccessfulRequests: true,
      keyGenerator: (c) => `login:${clientAddress(c)}`,
      handler: (c) =>
        c.json(
          errorBody(
            new ApiError("RATE_LIMITED", "Too many failed logins. Please wait one minute and try again."),
            c.var.requestId,
          ),
          429,
        ),
    }),
  );

  return router
    .openapi(loginRoute, async (c) => {
      const body = c.req.valid("json");
      const result = await login(c.var.deps.db, {
        ...body,
        ttlHours: c.var.deps.env.SESSION_TTL_HOURS,
        userAgent: c.req.header("user-agent"),
        ip: clientAddress(c),
      });
      c.var.logger.info({ userId: result.user.id }, "staff login");
      return c.json({ ...result, expiresAt: result.expiresAt.toISOString() }, 200);
    })
    .openapi(meRoute, (c) => {
      const { id, login, displayName, role, servicePointId } = c.var.staff;
      const user = { id, login, displayName, role, servicePointId };
      return c.json({ user }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      await revokeSession(c.var.deps.db, c.var.staff.sessionId);
      return c.body(null, 204);
    });
}
