import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, type StaffUser } from "../lib/api.server";
import { staffSessions } from "../lib/session.server";
import { loader as consoleLoader } from "./staff._index";
import { action as loginAction } from "./staff.login";
import { action, loader } from "./staff.password";

/** Decision 0034: an account whose password an admin set is sent to choose its own before any staff page. */
const member: StaffUser = {
  id: "usr_1",
  login: "packer",
  displayName: "李师傅",
  role: "warehouse",
  servicePointId: null,
  mustChangePassword: true,
};

async function cookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok_1");
  return (await staffSessions.commitSession(session)).split(";")[0]!;
}

type Run = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => unknown;

async function call(run: Run, url: string, api: Partial<ApiClient>, fields?: Record<string, string>) {
  const request = new Request(`http://shop.test${url}`, {
    method: fields ? "POST" : "GET",
    headers: { cookie: await cookie() },
    ...(fields ? { body: new URLSearchParams(fields) } : {}),
  });
  const result = await Promise.resolve(
    run({ request, context: { api: api as ApiClient }, params: {} }),
  ).catch((thrown: unknown) => thrown);
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get("location"), body: null };
  const value = result as { data?: Record<string, unknown>; init?: ResponseInit | null };
  return {
    status: value.init?.status ?? 200,
    location: null,
    body: (value.data ?? value) as Record<string, unknown>,
  };
}

const form = {
  currentPassword: "temporary-2026",
  newPassword: "my-own-pass-77",
  confirmPassword: "my-own-pass-77",
};

describe("changing a password an admin set", () => {
  it("sends every other staff page to the change-password page, keeping where the person was going", async () => {
    const page = await call(consoleLoader as Run, "/staff", { me: async () => member });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/staff/password");
    const { requireStaff } = await import("../lib/session.server");
    const elsewhere = await requireStaff(
      new Request("http://shop.test/staff/villagers?q=1", { headers: { cookie: await cookie() } }),
      { api: { me: async () => member } as unknown as ApiClient },
    ).catch((r: Response) => r);
    expect((elsewhere as Response).headers.get("location")).toBe(
      `/staff/password?redirectTo=${encodeURIComponent("/staff/villagers?q=1")}`,
    );
    const own = await call(loader as Run, "/staff/password", { me: async () => member });
    expect(own.status).toBe(200);
    expect(own.body?.forced).toBe(true);
  });

  it("goes from login straight to the change-password page when the API says so", async () => {
    const result = await call(
      loginAction as Run,
      "/staff/login",
      {
        login: async () => ({ token: "tok_2", expiresAt: "2030-01-01T00:00:00.000Z", user: member }),
      },
      { login: "packer", password: "temporary-2026", redirectTo: "/staff/stock" },
    );
    expect(result.location).toBe(`/staff/password?redirectTo=${encodeURIComponent("/staff/stock")}`);
  });

  it("sends the current and new password with the form's key, then returns to where the person was going", async () => {
    const sent: unknown[] = [];
    const api = {
      me: async () => member,
      changePassword: async (token: string, input: unknown, key?: string) => {
        sent.push({ token, input, key });
        return { sessionsEnded: 1 };
      },
    };
    const result = await call(action as Run, "/staff/password", api, {
      ...form,
      idempotencyKey: "shop-password-key-1",
      redirectTo: "/staff/stock",
    });
    expect(result.location).toBe("/staff/stock?passwordChanged=1");
    expect(sent).toEqual([
      {
        token: "tok_1",
        input: { currentPassword: "temporary-2026", newPassword: "my-own-pass-77" },
        key: "shop-password-key-1",
      },
    ]);
  });

  it("checks the new password twice and its length before asking the API; maps the API's refusals", async () => {
    let called = 0;
    const api = (error?: Error) => ({
      me: async () => member,
      changePassword: async () => {
        called++;
        if (error) throw error;
        return { sessionsEnded: 0 };
      },
    });
    const mismatch = await call(action as Run, "/staff/password", api(), {
      ...form,
      confirmPassword: "other-pass-1",
    });
    expect(mismatch.body?.problem).toBe("mismatch");
    const short = await call(action as Run, "/staff/password", api(), {
      ...form,
      newPassword: "short",
      confirmPassword: "short",
    });
    expect(short.body?.problem).toBe("tooShort");
    expect(called).toBe(0);

    const wrong = await call(
      action as Run,
      "/staff/password",
      api(new ApiError(400, "CURRENT_PASSWORD_WRONG", "no", "r1")),
      form,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body?.problem).toBe("currentWrong");
    const limited = await call(
      action as Run,
      "/staff/password",
      api(new ApiError(429, "RATE_LIMITED", "slow", "r2")),
      form,
    );
    expect(limited.status).toBe(429);
    expect(limited.body?.problem).toBe("rateLimited");
  });
});
