import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers";

describe("OpenAPI document", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
  });
  afterAll(() => t?.close());

  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await t.request("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every endpoint of the contract built so far, with the error schema", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/health",
        "/v1/auth/login",
        "/v1/auth/me",
        "/v1/products",
        "/v1/products/{id}",
        "/v1/service-points",
      ]),
    );
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.paths["/v1/auth/login"].post.responses["429"]).toBeDefined();
  });

  it("serves a readable reference page", async () => {
    const res = await t.request("GET", "/reference");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("/openapi.json");
  });

  it("draws the reference page with its own script, so it works with no internet", async () => {
    const page = await t.request("GET", "/reference");
    const sources = [...page.text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toContain("/reference/standalone.js");
    expect(sources.filter((s) => /^(https?:)?\/\//.test(s ?? ""))).toEqual([]);
    expect(page.text).not.toMatch(/cdn\.jsdelivr|fonts\.scalar|unpkg/);
    const script = await t.request("GET", "/reference/standalone.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(script.text.length).toBeGreaterThan(100_000);
  });
});
