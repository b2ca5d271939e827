import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers";

/** The error contract every client relies on: one shape, stable codes, no internals. */
describe.each(testDbKinds())("error model (%s)", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.close());

  it("answers an unknown route with 404 in the error shape", async () => {
    for (const [method, path] of [
      ["GET", "/v1/no-such-thing"],
      ["DELETE", "/v1/products"],
      ["GET", "/wp-admin"],
    ] as const) {
      const res = await t.request(method, path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({
        error: { code: "NOT_FOUND", message: expect.any(String), requestId: expect.any(String) },
      });
    }
  });

  it("answers a body that is not JSON with 400 VALIDATION_FAILED", async () => {
    const res = await t.request("POST", "/v1/auth/login", {
      body: "{not json",
      headers: { "x-forwarded-for": "192.0.2.50" },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields).toEqual([{ path: "(body)", message: "not valid JSON" }]);
  });

  it("answers a form-encoded body with 415 instead of a crash", async () => {
    const res = await t.request("POST", "/v1/auth/login", {
      body: "login=a&password=b",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "192.0.2.51" },
    });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("names bad query parameters", async () => {
    const res = await t.request("GET", "/v1/products?limit=0&kind=gold");
    expect(res.status).toBe(400);
    expect(res.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["kind", "limit"]);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const res = await t.request("POST", "/v1/auth/login", {
      body: JSON.stringify({ login: "x", password: "y".repeat(1_100_000) }),
      headers: { "x-forwarded-for": "192.0.2.52" },
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("sends the safe headers on every response", async () => {
    const res = await t.request("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", db: "ok" });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("hides internals when the database fails: no stack, a retry hint when it is unreachable, and /health says 503", async () => {
    const broken = await createTestApp(kind);
    await broken.close();
    const res = await broken.request("GET", "/v1/products");
    if (kind === "postgres") {
      // The pool is gone (as in a shutdown or an outage): "come back in a moment", not a bug.
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe("SERVICE_UNAVAILABLE");
      expect(res.headers.get("retry-after")).toBe("5");
    } else {
      // A closed embedded database is not a connection problem that time will fix.
      expect(res.status).toBe(500);
      expect(res.json.error.code).toBe("INTERNAL");
    }
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+|stack|select|postgres|pglite/i);
    const health = await broken.request("GET", "/health");
    expect(health.status).toBe(503);
    expect(health.json).toEqual({ status: "degraded", db: "down" });
  });
});
