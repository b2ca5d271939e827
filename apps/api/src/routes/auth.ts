import {
  ChangePassword,
  CurrentUser,
  LoginRequest,
  LoginResult,
  PasswordChanged,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { changeOwnPassword } from "../domain/auth/change-password";
import { login } from "../domain/auth/login";
import { LoginThrottledError, loginLimits, throttledLogin } from "../domain/auth/login-throttle";
import { revokeSession } from "../domain/auth/sessions";
import type { AppDeps, AppEnv } from "../lib/context";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { callerOf } from "../middleware/client-address";
import { idempotent } from "../middleware/idempotency";

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Staff authentication"],
  summary: "Log in as a staff member",
  description:
    "Returns a bearer token for the Authorization header. Failed attempts are limited per login name and device, per login name overall and per client address (by default 5 per name and device and 20 per name in 15 minutes, 10 per address in a minute); over a limit the answer is 429 RATE_LIMITED with Retry-After, before any password is checked. A device that logged in as the name before is not held back by the other devices' failures.",
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

const changePasswordRoute = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Staff authentication"],
  summary: "Change my own password",
  description:
    "The current password and a new one (at least 8 characters, not the current one). Clears the must-change flag an admin's reset sets, and ends every other session of the account (this one stays). A wrong current password is 400 CURRENT_PASSWORD_WRONG and counts against the same limits as a failed login of this name (429 RATE_LIMITED with Retry-After over them).",
  security: [{ bearerAuth: [] }],
  middleware: [requireStaff(), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: ChangePassword } } },
  },
  responses: {
    200: jsonContent(PasswordChanged, "Changed; other sessions ended"),
    ...errorResponses(400, 401, 429),
  },
});

// `_deps` is what app.ts passes; the login limits are read per request from c.var.deps.
export function authRoutes(_deps: AppDeps) {
  const router = createRouter();

  return router
    .openapi(loginRoute, async (c) => {
      const body = c.req.valid("json");
      const { db, env } = c.var.deps;
      const caller = callerOf(c);
      const result = await throttledLogin(db, loginLimits(env), { login: body.login, caller }, () =>
        login(db, {
          ...body,
          ttlHours: env.SESSION_TTL_HOURS,
          userAgent: c.req.header("user-agent"),
          ip: caller.address,
        }),
      ).catch((error: unknown) => {
        if (error instanceof LoginThrottledError) c.header("Retry-After", String(error.retryAfterSeconds));
        throw error;
      });
      c.var.logger.info({ userId: result.user.id }, "staff login");
      return c.json({ ...result, expiresAt: result.expiresAt.toISOString() }, 200);
    })
    .openapi(meRoute, (c) => {
      const { id, login, displayName, role, servicePointId, mustChangePassword } = c.var.staff;
      const user = { id, login, displayName, role, servicePointId, mustChangePassword };
      return c.json({ user }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      await revokeSession(c.var.deps.db, c.var.staff.sessionId);
      return c.body(null, 204);
    })
    .openapi(changePasswordRoute, async (c) => {
      const body = c.req.valid("json");
      const { db, env } = c.var.deps;
      const staff = c.var.staff;
      const result = await throttledLogin(
        db,
        loginLimits(env),
        // The route's context is AppEnv's with the staff member made certain by requireStaff.
        { login: staff.login, caller: callerOf(c as unknown as Context<AppEnv>) },
        () =>
          changeOwnPassword(db, {
            staff,
            currentPassword: body.currentPassword,
            newPassword: body.newPassword,
            requestId: c.var.requestId,
          }),
      ).catch((error: unknown) => {
        if (error instanceof LoginThrottledError) c.header("Retry-After", String(error.retryAfterSeconds));
        throw error;
      });
      c.var.logger.info({ userId: staff.id, sessionsEnded: result.sessionsEnded }, "staff password changed");
      return c.json(result, 200);
    });
}
