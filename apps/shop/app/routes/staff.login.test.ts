import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, ApiUnavailableError } from "../lib/api.server";
import { safeStaffPath, staffSessions } from "../lib/session.server";
import { action } from "./staff.login";

const admin = {
  id: "usr_1",
  login: "admin",
  displayName: "王建华",
  role: "admin" as const,
  servicePointId: null,
};

function post(fields: Record<string, string>, login: ApiClient["login"]) {
  return action({
    request: new Request("http://shop.test/staff/login", {
      method: "POST",
      body: new URLSearchParams(fields),
    }),
    context: { api: { login } as ApiClient } satisfies AppLoadContext,
    params: {},
  });
}

/** The body and status of what an action returned with data(). */
function unwrap(result: unknown): { status: number | undefined; body: unknown } {
  if (result instanceof Response) return { status: result.status, body: null };
  const value = result as { data: unknown; init: ResponseInit | null };
  return { status: value.init?.status, body: value.data };
}

const failWith = (error: Error) => async () => {
  throw error;
};

describe("staff login action", () => {
  it.each([
    [new ApiError(401, "INVALID_CREDENTIALS", "wrong", "r1"), "invalidCredentials", 401],
    [new ApiError(429, "RATE_LIMITED", "slow down", "r2"), "rateLimited", 429],
    [new ApiError(400, "VALIDATION_FAILED", "bad", "r3"), "missingFields", 400],
    [new ApiUnavailableError("down"), "unavailable", 503],
  ] as const)("maps %s to the %s message", async (error, problem, status) => {
    const result = unwrap(await post({ login: "admin", password: "x" }, failWith(error)));
    expect(result).toEqual({ status, body: { problem, login: "admin" } });
  });

  it("does not call the API with an empty field", async () => {
    let called = false;
    const result = unwrap(
      await post({ login: "  ", password: "x" }, async () => {
        called = true;
        throw new Error("not expected");
      }),
    );
    expect(result.body).toMatchObject({ problem: "missingFields" });
    expect(called).toBe(false);
  });

  it("keeps the token in an httpOnly, SameSite=Lax session cookie and goes to the console", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const response = (await post({ login: "admin", password: "pw", redirectTo: "/staff" }, async () => ({
      token: "tok_secret",
      expiresAt,
      user: admin,
    }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/staff");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^coop_staff=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toContain("tok_secret"); // signed and encoded, not the bare token
    const session = await staffSessions.getSession(setCookie.split(";")[0]);
    expect(session.get("token")).toBe("tok_secret");
  });

  it("never redirects outside the staff area after login", () => {
    expect(safeStaffPath("/staff/orders?x=1")).toBe("/staff/orders?x=1");
    expect(safeStaffPath("https://evil.example/")).toBe("/staff");
    expect(safeStaffPath("//evil.example/staff")).toBe("/staff");
    expect(safeStaffPath("/staffing")).toBe("/staff");
    expect(safeStaffPath("/staff/login")).toBe("/staff");
    expect(safeStaffPath(undefined)).toBe("/staff");
  });
});
