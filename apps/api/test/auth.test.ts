import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoop, makeLocation, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

describe.each(testDbKinds())("staff authentication (%s)", (kind) => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof makeStaff>>;
  let disabled: Awaited<ReturnType<typeof makeStaff>>;
  let servicePointId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const coop = await makeCoop(t.db.db);
    const point = await makeLocation(t.db.db, coop.id);
    servicePointId = point.id;
    agent = await makeStaff(t.db.db, coop.id, "agent", { servicePointId: point.id, login: "agent.li" });
    disabled = await makeStaff(t.db.db, coop.id, "warehouse", { active: false });
  });
  afterAll(() => t?.close());

  const fromAddress = (ip: string) => ({ "x-forwarded-for": ip });

  it("logs in with the right password and returns a token, the role and the service point", async () => {
    const res = await t.request("POST", "/v1/auth/login", {
      body: { login: "Agent.Li ", password: agent.password },
      headers: fromAddress("192.0.2.1"),
    });
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual({
      id: agent.id,
      login: "agent.li",
      displayName: agent.displayName,
      role: "agent",
      servicePointId,
      mustChangePassword: false,
    });
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(res.json.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(res.text).not.toContain("passwordHash");

    const me = await t.request("GET", "/v1/auth/me", { token: res.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(agent.id);
  });

  it("refuses a wrong password, an unknown login and a disabled account alike with 401 INVALID_CREDENTIALS", async () => {
    for (const body of [
      { login: agent.login, password: "wrong-password" },
      { login: "nobody-here", password: "whatever123" },
      { login: disabled.login, password: disabled.password },
    ]) {
      const res = await t.request("POST", "/v1/auth/login", { body, headers: fromAddress("192.0.2.2") });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("INVALID_CREDENTIALS");
      expect(res.json.error.requestId).toBeTruthy();
      expect(res.headers.get("x-request-id")).toBe(res.json.error.requestId);
    }
  });

  it("answers the 11th failed login within a minute from one client with 429, other clients unaffected", async () => {
    const attacker = fromAddress("198.51.100.7");
    // Different names: one name gets only 5 failures per device (login-throttle.test.ts).
    for (let i = 1; i <= 10; i++) {
      const res = await t.request("POST", "/v1/auth/login", {
        body: { login: `nobody-${i}`, password: `guess-${i}` },
        headers: attacker,
      });
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const eleventh = await t.request("POST", "/v1/auth/login", {
      body: { login: agent.login, password: agent.password },
      headers: attacker,
    });
    expect(eleventh.status).toBe(429);
    expect(eleventh.json.error.code).toBe("RATE_LIMITED");

    const someoneElse = await t.request("POST", "/v1/auth/login", {
      body: { login: agent.login, password: agent.password },
      headers: fromAddress("198.51.100.8"),
    });
    expect(someoneElse.status).toBe(200);
  });

  it("does not count successful logins towards the limit", async () => {
    const busyPoint = fromAddress("203.0.113.9");
    for (let i = 0; i < 12; i++) {
      const res = await t.request("POST", "/v1/auth/login", {
        body: { login: agent.login, password: agent.password },
        headers: busyPoint,
      });
      expect(res.status).toBe(200);
    }
  });

  it("names the missing fields of a malformed login body with 400 VALIDATION_FAILED", async () => {
    const res = await t.request("POST", "/v1/auth/login", {
      body: { login: "" },
      headers: fromAddress("192.0.2.3"),
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["login", "password"]);
  });

  it("refuses a garbled or logged-out token with 401, and logout ends the session", async () => {
    const garbled = await t.request("GET", "/v1/auth/me", { token: "not-a-real-token-but-long-enough" });
    expect(garbled.status).toBe(401);
    const none = await t.request("GET", "/v1/auth/me");
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe("UNAUTHENTICATED");

    const token = await t.loginAs(agent.login, agent.password);
    expect((await t.request("POST", "/v1/auth/logout", { token })).status).toBe(204);
    const after = await t.request("GET", "/v1/auth/me", { token });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("SESSION_EXPIRED");
  });
});
