import { products, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reindexProductSearch } from "../src/domain/catalog/search-text";
import { makeCoopWorld, makeProduct, setStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/**
 * Issue 11 items 2 and 4: the catalog says what a buyer can have where they collect, exactly what an order
 * can take there; and search finds a product by pinyin, initials and several words.
 */
describe.each(testDbKinds())("availability where the buyer collects (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const buyer = { name: "城里张先生", phone: "13912345678" };

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    // 140 eggs on point A's (X's) shelf, 8 in the warehouse, none at point B (Y).
    await setStock(t.db.db, w.egg.id, w.pointA.id, 140);
    await setStock(t.db.db, w.egg.id, w.warehouse.id, 8);
  });
  afterAll(() => t?.close());

  const eggAvailable = async (query: string) => {
    const res = await t.request("GET", `/v1/products?limit=100${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json.items.find((i: { id: string }) => i.id === w.egg.id).available as number;
  };
  const order = (servicePointId: string, quantity: number) =>
    t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity }],
        fulfilment: { type: "pickup", servicePointId },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
  const linesOf = async (orderId: string) =>
    (
      await t.request("GET", `/v1/orders/${orderId}`, {
        token: await t.loginAs(w.admin.login, w.admin.password),
      })
    ).json;

  it("counts the pickup point's shelf plus the warehouse, never another village's point", async () => {
    expect(await eggAvailable(`&servicePointId=${w.pointB.id}`)).toBe(8);
    expect(await eggAvailable(`&servicePointId=${w.pointA.id}`)).toBe(148);
    // Delivery: what the warehouse can send.
    expect(await eggAvailable("")).toBe(8);
    const one = await t.request("GET", `/v1/products/${w.egg.id}?servicePointId=${w.pointB.id}`);
    expect(one.json.available).toBe(8);
    const atA = await t.request("GET", `/v1/products/${w.egg.id}?servicePointId=${w.pointA.id}`);
    expect(atA.json.available).toBe(148);
  });

  it("refuses a place that is not an open service point with 400 naming the field", async () => {
    for (const id of [w.warehouse.id, "loc_00000000000000000000000000"]) {
      for (const path of [
        `/v1/products?servicePointId=${id}`,
        `/v1/products/${w.egg.id}?servicePointId=${id}`,
      ]) {
        const res = await t.request("GET", path);
        expect(res.status, path).toBe(400);
        expect(res.json.error.fields[0].path).toBe("servicePointId");
      }
    }
    // An open point with a filter that matches nothing is an empty page, not an error.
    const none = await t.request("GET", `/v1/products?servicePointId=${w.pointB.id}&q=nothing-like-this`);
    expect(none.status).toBe(200);
    expect(none.json.items).toEqual([]);
  });

  it("an order of 10 at Y is refused naming the 8 available; at X it is placed", async () => {
    const atY = await order(w.pointB.id, 10);
    expect(atY.status).toBe(409);
    expect(atY.json.error.code).toBe("OUT_OF_STOCK");
    expect(atY.json.error.details.lines).toEqual([{ productId: w.egg.id, requested: 10, available: 8 }]);

    const atX = await order(w.pointA.id, 10);
    expect(atX.status, atX.text).toBe(201);
    expect(await eggAvailable(`&servicePointId=${w.pointA.id}`)).toBe(138);
    expect(await eggAvailable(`&servicePointId=${w.pointB.id}`)).toBe(8);
  });

  it("an order of all the catalog promises at X takes the shelf and the warehouse's rest", async () => {
    const res = await order(w.pointA.id, 138);
    expect(res.status, res.text).toBe(201);
    const placed = await linesOf(res.json.id);
    const lines = placed.items.map((l: { locationId: string; quantity: number }) => [
      l.locationId,
      l.quantity,
    ]);
    expect(lines.sort()).toEqual(
      [
        [w.pointA.id, 130],
        [w.warehouse.id, 8],
      ].sort(),
    );
    const levels = await t.db.db
      .select({ locationId: stockLevels.locationId, reserved: stockLevels.reserved })
      .from(stockLevels)
      .where(eq(stockLevels.productId, w.egg.id));
    expect(Object.fromEntries(levels.map((l) => [l.locationId, l.reserved]))).toEqual({
      [w.pointA.id]: 140,
      [w.warehouse.id]: 8,
    });
    expect(await eggAvailable(`&servicePointId=${w.pointA.id}`)).toBe(0);

    const more = await order(w.pointA.id, 1);
    expect(more.status).toBe(409);
    expect(more.json.error.details.lines).toEqual([{ productId: w.egg.id, requested: 1, available: 0 }]);
  });

  it("a line comes from one place when one place has enough, and is split only when neither has", async () => {
    await setStock(t.db.db, w.fertilizer.id, w.pointB.id, 3);
    await setStock(t.db.db, w.fertilizer.id, w.warehouse.id, 8);
    const place = async (quantity: number) => {
      const res = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: w.fertilizer.id, quantity }],
          fulfilment: { type: "pickup", servicePointId: w.pointB.id },
          payment: { method: "cash_on_pickup" },
          contact: buyer,
        },
      });
      expect(res.status, res.text).toBe(201);
      const placed = await linesOf(res.json.id);
      return placed.items
        .map((l: { locationId: string; quantity: number }) => [l.locationId, l.quantity])
        .sort();
    };
    // The shelf (3) is short of 5, the warehouse (8) is not: all five travel together.
    expect(await place(5)).toEqual([[w.warehouse.id, 5]]);
    // Now 3 on the shelf and 3 in the warehouse: 6 needs both.
    expect(await place(6)).toEqual(
      [
        [w.pointB.id, 3],
        [w.warehouse.id, 3],
      ].sort(),
    );
  });
});

describe.each(testDbKinds())("search as people type (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let eggsOfTheSea: { id: string };

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    eggsOfTheSea = await makeProduct(t.db.db, w.coop.id, { nameZh: "咸鸭蛋", nameEn: "Salted duck eggs" });
    await makeProduct(t.db.db, w.coop.id, { nameZh: "鸡蛋面", nameEn: "Egg noodles" });
    await makeProduct(t.db.db, w.coop.id, { nameZh: "土豆", nameEn: "Potatoes" });
  });
  afterAll(() => t?.close());

  const found = async (q: string) => {
    const res = await t.request("GET", `/v1/products?limit=100&q=${encodeURIComponent(q)}`);
    expect(res.status, res.text).toBe(200);
    return res.json.items.map((i: { name: { zh: string } }) => i.name.zh).sort();
  };

  it("finds 土鸡蛋 by full pinyin, spaced pinyin, part of it, initials and words in any order", async () => {
    for (const q of ["tujidan", "tu ji dan", "TuJiDan", "tjd", "鸡蛋 土", "蛋 tu", "土鸡"]) {
      expect(await found(q), q).toEqual(["土鸡蛋"]);
    }
    expect(await found("jidan")).toEqual(["土鸡蛋", "鸡蛋面"].sort());
    expect(await found("鸡蛋")).toEqual(["土鸡蛋", "鸡蛋面"].sort());
    expect(await found("egg")).toEqual(["咸鸭蛋", "土鸡蛋", "鸡蛋面"].sort());
    expect(await found("xiang")).toEqual([]);
    expect(await found("tu%")).toEqual([]);
  });

  it("suggests up to 8 names, shortest first, for a search box", async () => {
    const res = await t.request("GET", `/v1/products/suggest?q=${encodeURIComponent("dan")}`);
    expect(res.status, res.text).toBe(200);
    // Same length: in the catalog's stable order (the world's egg first).
    expect(res.json.items).toEqual([
      { id: w.egg.id, name: { zh: "土鸡蛋", en: "Egg" } },
      { id: eggsOfTheSea.id, name: { zh: "咸鸭蛋", en: "Salted duck eggs" } },
      { id: expect.any(String), name: { zh: "鸡蛋面", en: "Egg noodles" } },
    ]);
    const none = await t.request("GET", "/v1/products/suggest?q=");
    expect(none.status).toBe(400);
    for (let i = 0; i < 10; i++) await makeProduct(t.db.db, w.coop.id, { nameZh: `蛋${i}`, nameEn: `E${i}` });
    const many = await t.request("GET", "/v1/products/suggest?q=dan");
    expect(many.json.items).toHaveLength(8);
    expect(many.json.items.every((i: { name: { zh: string } }) => i.name.zh.length === 2)).toBe(true);
  });

  it("a product the admin creates is found by pinyin at once", async () => {
    const token = await t.loginAs(w.admin.login, w.admin.password);
    const created = await t.request("POST", "/v1/products", {
      token,
      body: {
        sku: "TEA-OIL-500",
        name: { zh: "山茶油", en: "Camellia oil" },
        kind: "produce",
        unit: "ml",
        priceFen: 18,
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(await found("shanchayou")).toEqual(["山茶油"]);
    expect(await found("scy")).toEqual(["山茶油"]);
  });

  it("rows written outside the API are indexed by reindexProductSearch; a rename in SQL resets its text", async () => {
    const db = t.db.db;
    const [row] = await db
      .insert(products)
      .values({
        id: "prd_01jd7x2y3z4a5b6c7d8e9f0g1h",
        coopId: w.coop.id,
        sku: "HONEY-1",
        nameZh: "土蜂蜜",
        nameEn: "Wild honey",
        kind: "produce",
        unit: "gram",
        priceFen: 12,
      })
      .returning({ id: products.id });
    expect(await found("fengmi")).toEqual([]);
    expect(await reindexProductSearch(db)).toBe(1);
    expect(await found("fengmi")).toEqual(["土蜂蜜"]);
    expect(await reindexProductSearch(db)).toBe(0);

    await db
      .update(products)
      .set({ nameZh: "百花蜜" })
      .where(and(eq(products.id, row!.id)));
    const [after] = await db
      .select({ s: products.searchText })
      .from(products)
      .where(eq(products.id, row!.id));
    expect(after!.s).toBeNull();
    expect(await reindexProductSearch(db)).toBe(1);
    expect(await found("baihuami")).toEqual(["百花蜜"]);
    expect(await found("fengmi")).toEqual([]);
  });

  it("finds a product the admin renames by its new names at once", async () => {
    const admin = await t.loginAs(w.admin.login, w.admin.password);
    const created = await t.request("POST", "/v1/products", {
      token: admin,
      body: {
        sku: "TOFU-1",
        name: { zh: "豆腐乳", en: "Fermented tofu" },
        kind: "produce",
        unit: "piece",
        priceFen: 1500,
      },
    });
    expect(created.status, created.text).toBe(201);
    const renamed = await t.request("PATCH", `/v1/products/${created.json.id}`, {
      token: admin,
      body: { name: { zh: "霉豆腐", en: "Mould tofu" } },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(await found("meidoufu")).toEqual(["霉豆腐"]);
    expect(await found("mould")).toEqual(["霉豆腐"]);
    expect(await found("doufuru")).toEqual([]);
  });
});
