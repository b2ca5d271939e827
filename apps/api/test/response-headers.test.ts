import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers";

/**
 * The headers every answer carries (CORS for the shop's origins, the request id, security headers), over a
 * real socket as production serves them: answers built by a handler, by the validation error path and by
 * the not-found handler, and the CORS preflight.
 */
describe("response headers over a real socket", () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  const shop = "http://localhost:3000";

  beforeAll(async () => {
    t = await createTestApp("pglite");
    server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await t?.close();
  });

  const expectCommon = (res: Response, origin: string | null) => {
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toBe("X-Request-Id");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(res.headers.get("x-request-id")).toMatch(/\S{8,}/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-site");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  };

  it("a handler's answer, a validation error and a not-found answer all carry them", async () => {
    const ok = await fetch(`${base}/v1/products`, { headers: { origin: shop } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("application/json");
    expectCommon(ok, shop);

    const invalid = await fetch(`${base}/v1/orders`, {
      method: "POST",
      headers: { origin: shop, "content-type": "application/json" },
      body: JSON.stringify({ items: [] }),
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expectCommon(invalid, shop);
    expect(invalid.headers.get("x-request-id")).toBe(body.error.requestId);

    const missing = await fetch(`${base}/v1/no-such-thing`, { headers: { origin: shop } });
    expect(missing.status).toBe(404);
    expectCommon(missing, shop);
  });

  it("an origin that is not the shop's is not allowed", async () => {
    const res = await fetch(`${base}/v1/products`, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expectCommon(res, null);
  });

  it("answers the preflight of the shop's origin", async () => {
    const res = await fetch(`${base}/v1/orders`, {
      method: "OPTIONS",
      headers: {
        origin: shop,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,idempotency-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(shop);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });
});
