import { newId } from "@coop/shared";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coops, locations, products, stockLevels, stockMovements } from "../src/schema";
import { createTestDb, type TestDb, testDbKinds } from "../src/testing";

/** What the database itself refuses, whatever the application code does. */
describe.each(testDbKinds())("database invariants (%s)", (kind) => {
  let t: TestDb;
  const ids = { coop: newId("coop"), loc: newId("location"), product: newId("product") };

  beforeAll(async () => {
    t = await createTestDb(kind);
    await t.db.insert(coops).values({ id: ids.coop, code: "T", nameZh: "测试社", nameEn: "Test co-op" });
    await t.db.insert(locations).values({
      id: ids.loc,
      coopId: ids.coop,
      kind: "warehouse",
      code: "WH",
      nameZh: "仓库",
      nameEn: "Warehouse",
    });
    await t.db.insert(products).values({
      id: ids.product,
      coopId: ids.coop,
      sku: "EGG",
      nameZh: "土鸡蛋",
      nameEn: "Free-range egg",
      kind: "produce",
      unit: "piece",
      priceFen: 200,
    });
    await t.db.insert(stockLevels).values({ productId: ids.product, locationId: ids.loc, onHand: 10 });
  });
  afterAll(() => t?.close());

  it("refuses to reserve more than is on hand", async () => {
    await expect(t.db.execute(sql`UPDATE stock_levels SET reserved = 11`)).rejects.toThrow();
    await t.db.execute(sql`UPDATE stock_levels SET reserved = 10`);
    await expect(t.db.execute(sql`UPDATE stock_levels SET on_hand = 9`)).rejects.toThrow();
  });

  it("refuses a duplicate sku and a negative price", async () => {
    const dup = {
      id: newId("product"),
      coopId: ids.coop,
      sku: "EGG",
      nameZh: "x",
      nameEn: "x",
      kind: "produce",
      unit: "piece",
      priceFen: 1,
    } as const;
    await expect(t.db.insert(products).values(dup)).rejects.toThrow();
    await expect(t.db.insert(products).values({ ...dup, sku: "NEG", priceFen: -1 })).rejects.toThrow();
  });

  it("keeps the stock ledger append-only", async () => {
    const id = newId("stockMovement");
    await t.db.insert(stockMovements).values({
      id,
      productId: ids.product,
      locationId: ids.loc,
      kind: "count_adjustment",
      quantityDelta: 1,
      reason: "test",
    });
    // Drizzle wraps the driver's error; the database's own message is its cause.
    const appendOnly = { cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }) };
    await expect(
      t.db.execute(sql`UPDATE stock_movements SET quantity_delta = 5 WHERE id = ${id}`),
    ).rejects.toMatchObject(appendOnly);
    await expect(t.db.execute(sql`DELETE FROM stock_movements WHERE id = ${id}`)).rejects.toMatchObject(
      appendOnly,
    );
    await expect(
      t.db.insert(stockMovements).values({
        id: newId("stockMovement"),
        productId: ids.product,
        locationId: ids.loc,
        kind: "sale",
        quantityDelta: 0,
      }),
    ).rejects.toThrow();
  });
});
