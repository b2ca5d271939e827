import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoop, makeLocation, makeProduct, setStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

describe.each(testDbKinds())("public catalog GET /v1/products (%s)", (kind) => {
  let t: TestApp;
  const made: Record<string, { id: string }> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const db = t.db.db;
    const coop = await makeCoop(db);
    const warehouse = await makeLocation(db, coop.id, { kind: "warehouse", village: null });
    const point = await makeLocation(db, coop.id);
    made.egg = await makeProduct(db, coop.id, { nameZh: "土鸡蛋", nameEn: "Free-range egg", priceFen: 200 });
    made.pickle = await makeProduct(db, coop.id, {
      nameZh: "坛子菜",
      nameEn: "Jar pickles",
      unit: "gram",
      priceFen: 3,
    });
    made.fertilizer = await makeProduct(db, coop.id, {
      nameZh: "复合肥 50公斤",
      nameEn: "Compound fertilizer 50 kg",
      kind: "supply",
      unit: "bag",
      priceFen: 16_800,
    });
    made.hidden = await makeProduct(db, coop.id, { nameZh: "停售", nameEn: "Discontinued", active: false });
    made.percent = await makeProduct(db, coop.id, {
      nameZh: "100%纯茶油",
      nameEn: "Pure camellia oil",
      unit: "ml",
    });
    for (let i = 0; i < 5; i++)
      await makeProduct(db, coop.id, { kind: "supply", nameZh: `种子${i}`, nameEn: `Seed ${i}` });
    await setStock(db, made.egg.id, warehouse.id, 300, 20);
    await setStock(db, made.egg.id, point.id, 30, 0);
  });
  afterAll(() => t?.close());

  it("lists active products with both names, price in fen and what can be ordered", async () => {
    const res = await t.request("GET", "/v1/products?limit=100");
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(9);
    const egg = res.json.items.find((i: { id: string }) => i.id === made.egg!.id);
    expect(egg).toEqual({
      id: made.egg!.id,
      sku: expect.any(String),
      name: { zh: "土鸡蛋", en: "Free-range egg" },
      kind: "produce",
      unit: "piece",
      priceFen: 200,
      // A product inserted with a price per piece is sold by the piece (migration 0021's default unit).
      saleUnits: [
        {
          id: expect.stringMatching(/^sun_[0-9a-z]{26}$/),
          label: { zh: "个", en: "piece" },
          size: 1,
          priceFen: 200,
          minUnits: 1,
          stepUnits: 1,
          isDefault: true,
        },
      ],
      // Without a pickup point: what the warehouse can deliver (300 − 20), not the village point's shelf.
      available: 280,
      // No photo uploaded: null, not absent (decision 0032).
      photo: null,
    });
    expect(res.json.items.find((i: { id: string }) => i.id === made.pickle!.id).available).toBe(0);
    expect(res.json.items.some((i: { id: string }) => i.id === made.hidden!.id)).toBe(false);
    expect(res.json.nextCursor).toBeNull();
  });

  it("searches Chinese and English names, case-insensitively, treating % literally", async () => {
    const zh = await t.request("GET", `/v1/products?q=${encodeURIComponent("鸡蛋")}`);
    expect(zh.json.items.map((i: { id: string }) => i.id)).toEqual([made.egg!.id]);
    const en = await t.request("GET", "/v1/products?q=FERTILIZER");
    expect(en.json.items.map((i: { id: string }) => i.id)).toEqual([made.fertilizer!.id]);
    const literal = await t.request("GET", `/v1/products?q=${encodeURIComponent("100%")}`);
    expect(literal.json.items.map((i: { id: string }) => i.id)).toEqual([made.percent!.id]);
  });

  it("filters by kind", async () => {
    const res = await t.request("GET", "/v1/products?kind=supply");
    expect(res.json.items).toHaveLength(6);
    expect(res.json.items.every((i: { kind: string }) => i.kind === "supply")).toBe(true);
  });

  it("pages with a cursor without skipping or repeating", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; json: any } = await t.request(
        "GET",
        `/v1/products?limit=4${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((i: { id: string }) => i.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
  });

  it("refuses a forged cursor with 400", async () => {
    const res = await t.request("GET", "/v1/products?cursor=Zm9vYmFy");
    expect(res.status).toBe(400);
    expect(res.json.error.fields[0].path).toBe("cursor");
  });

  it("returns one product with descriptions, and 404 for an unknown or inactive one", async () => {
    const one = await t.request("GET", `/v1/products/${made.fertilizer!.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      priceFen: 16_800,
      unit: "bag",
      perishable: false,
      description: { zh: "", en: "" },
    });
    for (const id of ["prd_00000000000000000000000000", made.hidden!.id]) {
      const res = await t.request("GET", `/v1/products/${id}`);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
    }
  });
});
