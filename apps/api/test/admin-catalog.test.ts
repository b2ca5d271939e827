import { auditLog, products } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoop, makeLocation, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const tofu = {
  sku: "TOFU-JAR-500",
  name: { zh: "豆腐乳", en: "Fermented tofu" },
  kind: "produce",
  unit: "piece",
  priceFen: 2800,
  commissionBps: 1200,
  perishable: true,
};

describe.each(testDbKinds())("admin: products and service points, with Idempotency-Key (%s)", (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const coop = await makeCoop(t.db.db);
    const point = await makeLocation(t.db.db, coop.id);
    for (const [name, role] of [
      ["admin", "admin"],
      ["admin2", "admin"],
      ["warehouse", "warehouse"],
      ["agent", "agent"],
    ] as const) {
      const user = await makeStaff(
        t.db.db,
        coop.id,
        role,
        role === "agent" ? { servicePointId: point.id } : {},
      );
      tokens[name] = await t.loginAs(user.login, user.password);
    }
  });
  afterAll(() => t?.close());

  const post = (path: string, body: unknown, who: string, key?: string) =>
    t.request("POST", path, { body, token: tokens[who], headers: key ? { "idempotency-key": key } : {} });

  it("lets only an admin add a product; others get 403, no login 401, and nothing is written", async () => {
    expect((await post("/v1/products", { ...tofu, sku: "NOPE-1" }, "agent")).status).toBe(403);
    expect((await post("/v1/products", { ...tofu, sku: "NOPE-2" }, "warehouse")).status).toBe(403);
    const anonymous = await t.request("POST", "/v1/products", { body: { ...tofu, sku: "NOPE-3" } });
    expect(anonymous.status).toBe(401);
    expect(await t.db.db.select().from(products)).toHaveLength(0);

    const res = await post("/v1/products", tofu, "admin");
    expect(res.status).toBe(201);
    expect(res.json.id).toMatch(/^prd_/);
    const listed = await t.request("GET", `/v1/products/${res.json.id}`);
    expect(listed.json).toMatchObject({ name: tofu.name, priceFen: 2800, perishable: true, available: 0 });
    const [line] = await t.db.db.select().from(auditLog).where(eq(auditLog.entityId, res.json.id));
    expect(line).toMatchObject({ action: "product.create" });
  });

  it("refuses a duplicate SKU with 409 and bad fields with 400 naming them", async () => {
    const dup = await post("/v1/products", tofu, "admin");
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe("ALREADY_EXISTS");
    const bad = await post("/v1/products", { ...tofu, sku: "OK-SKU", priceFen: 12.5, unit: "kg" }, "admin");
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["priceFen", "unit"]);
  });

  it("replays the first result for the same key and body, and refuses the same key with another body", async () => {
    const body = { ...tofu, sku: "EGG-IDEM" };
    const first = await post("/v1/products", body, "admin", "key-egg-0001");
    const again = await post("/v1/products", body, "admin", "key-egg-0001");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await t.db.db.select().from(products).where(eq(products.sku, "EGG-IDEM"))).toHaveLength(1);

    const other = await post("/v1/products", { ...body, priceFen: 1 }, "admin", "key-egg-0001");
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("creates one thing when the same request is sent 10 times at once", async () => {
    const body = {
      code: "SP-IDEM",
      name: { zh: "幂等村服务点", en: "Idem village point" },
      village: "幂等村",
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post("/v1/service-points", body, "admin", "sp-idem-key-01")),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    const list = await t.request("GET", "/v1/service-points");
    expect(list.json.items.filter((p: { code: string }) => p.code === "SP-IDEM")).toHaveLength(1);
  });

  it("keeps each caller's keys apart", async () => {
    const a = await post(
      "/v1/service-points",
      { code: "SP-A1", name: { zh: "甲", en: "A" }, village: "甲村" },
      "admin",
      "shared-key-01",
    );
    const b = await post(
      "/v1/service-points",
      { code: "SP-B1", name: { zh: "乙", en: "B" }, village: "乙村" },
      "admin2",
      "shared-key-01",
    );
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.id).not.toBe(b.json.id);
  });
});

describe("admin: co-op commission rule and product prices", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let productId = "";
  beforeAll(async () => {
    t = await createTestApp("pglite");
    const coop = await makeCoop(t.db.db);
    const admin = await makeStaff(t.db.db, coop.id, "admin");
    const warehouse = await makeStaff(t.db.db, coop.id, "warehouse");
    tokens.admin = await t.loginAs(admin.login, admin.password);
    tokens.warehouse = await t.loginAs(warehouse.login, warehouse.password);
    productId = (await t.request("POST", "/v1/products", { token: tokens.admin, body: tofu })).json.id;
  });
  afterAll(() => t?.close());

  it("lets an admin change the default commission and a product's price, commission and sale status", async () => {
    const set = await t.request("PATCH", "/v1/coop", {
      token: tokens.admin,
      body: { defaultCommissionBps: 800 },
    });
    expect(set.status).toBe(200);
    expect(set.json.defaultCommissionBps).toBe(800);
    expect(
      (await t.request("PATCH", "/v1/coop", { token: tokens.warehouse, body: { defaultCommissionBps: 1 } }))
        .status,
    ).toBe(403);
    expect(
      (await t.request("PATCH", "/v1/coop", { token: tokens.admin, body: { defaultCommissionBps: 10_001 } }))
        .status,
    ).toBe(400);

    const price = await t.request("PATCH", `/v1/products/${productId}`, {
      token: tokens.admin,
      body: { priceFen: 3000, commissionBps: null },
    });
    expect(price.status).toBe(200);
    expect(price.json.priceFen).toBe(3000);
    const off = await t.request("PATCH", `/v1/products/${productId}`, {
      token: tokens.admin,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    expect((await t.request("GET", `/v1/products/${productId}`)).status).toBe(404);
    const missing = await t.request("PATCH", "/v1/products/prd_00000000000000000000000000", {
      token: tokens.admin,
      body: { priceFen: 1 },
    });
    expect(missing.status).toBe(404);
  });
});
