import type { StaffRole } from "@coop/db/schema";
import { mayActAtPoint } from "@coop/shared";
import { createMiddleware } from "hono/factory";
import { findSessionPrincipal } from "../domain/auth/sessions";
import { BUYER_BEARER, resolveBuyerGrant, setBuyerGrant } from "../domain/buyers/grants";
import type { AppEnv, StaffPrincipal } from "../lib/context";
import { ApiError } from "../lib/errors";

/** What a staff session may call while its password must be changed (decision 0034). */
const OPEN_WHILE_PASSWORD_CHANGE_DUE = new Set(["/v1/auth/me", "/v1/auth/logout", "/v1/auth/password"]);

/**
 * Resolves a bearer token to a staff member on every /v1 request that carries one. A token that is present
 * but invalid is refused outright (401), rather than silently treating the caller as anonymous.
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    // A buyer's order access token is not a staff login: the order routes check it themselves.
    const orderToken = /^Bearer\s+(oat_[A-Za-z0-9_-]{20,200})$/.exec(header ?? "");
    // A buyer signed in by phone (bst_…) or holding a looked-up order's view token (ovt_…): decision 0029.
    const buyerToken = orderToken ? null : BUYER_BEARER.exec(header ?? "");
    const grant = buyerToken ? await resolveBuyerGrant(c.var.deps, buyerToken[1]!) : null;
    if (orderToken) {
      c.set("orderToken", orderToken[1]!);
    } else if (grant) {
      setBuyerGrant(c, grant);
    } else if (header) {
      // Staff tokens are random base64url, so one may begin "bst_" by chance: it is still looked up here.
      const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
      const staff = match ? await findSessionPrincipal(c.var.deps.db, match[1]!) : null;
      if (!staff && buyerToken) {
        throw new ApiError(
          "SESSION_EXPIRED",
          "Your sign-in has expired or ended. Please sign in again with your phone.",
        );
      }
      if (!staff)
        throw new ApiError("SESSION_EXPIRED", "Your login has expired or is not valid. Please log in again.");
      // An admin gave this account its password: until the person chooses their own, nothing else answers.
      if (staff.mustChangePassword && !OPEN_WHILE_PASSWORD_CHANGE_DUE.has(c.req.path)) {
        throw new ApiError(
          "PASSWORD_CHANGE_REQUIRED",
          "Please choose a new password first: your password was set by an admin.",
        );
      }
      c.set("staff", staff);
    }
    await next();
  });
}

/** Allows only logged-in staff, and only the given roles when any are given. */
export function requireStaff(...roles: StaffRole[]) {
  return createMiddleware<AppEnv & { Variables: { staff: StaffPrincipal } }>(async (c, next) => {
    const staff = c.var.staff;
    if (!staff) throw new ApiError("UNAUTHENTICATED", "Please log in first.");
    if (roles.length > 0 && !roles.includes(staff.role)) {
      throw new ApiError("FORBIDDEN", "Your role may not do this.");
    }
    await next();
  });
}

/**
 * The service-point scope rule, for every route that touches a service point's data: admins may act
 * anywhere; an agent only at their own point; warehouse staff only where `allowWarehouse` says so.
 */
export function assertServicePointAccess(
  staff: StaffPrincipal,
  servicePointId: string,
  options: { allowWarehouse?: boolean } = {},
): void {
  if (mayActAtPoint(staff, servicePointId, options)) return;
  throw new ApiError("FORBIDDEN", "This belongs to another service point.");
}
