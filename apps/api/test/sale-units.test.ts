import { consignorEntries, orderLines, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld, makeProduct } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 11 item 1: the co-op's real prices — ¥13.80 per 斤, ¥58 for a box of 30 eggs, ¥2 an egg, ¥88 for a
 * 500 ml bottle of tea oil — set by the admin, bought, reserved in base units, sold FEFO across two
 * villagers' lots and settled to the fen.
 */
describe.each(testDbKinds())("sale units: set, bought, reserved, sold FEFO, settled (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let oil: Awaited<ReturnType<typeof makeProduct>>;
  const token: Record<string, string> = {};
  const villager: Record<"first" | "second", string> = { first: "", second: "" };
  const unit: Record<string, string> = {};

  const stockAt = async (productId: string, locationId: string) => {
    const [row] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, locationId)));
    return row ?? { onHand: 0, reserved: 0 };
  };
  const intake = async (consignorId: string, productId: string, quantity: number, bestBeforeDays: number) => {
    const res = await t.request("POST", "/v1/lots", {
      token: token.agentA,
      body: {
        consignorId,
        productId,
        servicePointId: w.pointA.id,
        quantity,
        bestBefore: inDays(bestBeforeDays),
        qc: { passed: true },
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const addUnit = async (productId: string, body: Record<string, unknown>) => {
    const res = await t.request("POST", `/v1/products/${productId}/sale-units`, { token: token.admin, body });
    expect(res.status, res.text).toBe(201);
    return res.json;
  };
  const buyer = { name: "城里张先生", phone: "13912345678" };
  const order = (items: unknown[]) =>
    t.request("POST", "/v1/orders", {
      body: {
        items,
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    oil = await makeProduct(t.db.db, w.coop.id, {
      nameZh: "茶油",
      nameEn: "Tea oil",
      unit: "ml",
      priceFen: 18,
    });
    for (const who of ["agentA", "admin"] as const)
      token[who] = await t.loginAs(w[who].login, w[who].password);
    villager.first = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨" })).id;
    villager.second = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "孙大爷" })).id;
  });
  afterAll(() => t?.close());

  it("the admin sets ¥13.80 per 斤, ¥58 for a box of 30 beside ¥2 an egg, and ¥88 for 500 ml", async () => {
    const jin = await addUnit(w.pickle.id, {
      label: { zh: "斤", en: "jin" },
      size: 500,
      priceFen: 1380,
      isDefault: true,
    });
    unit.jin = jin.id;
    unit.box = (
      await addUnit(w.egg.id, { label: { zh: "盒(30个)", en: "box of 30" }, size: 30, priceFen: 5800 })
    ).id;
    unit.bottle = (
      await addUnit(oil.id, {
        label: { zh: "瓶(500毫升)", en: "500 ml bottle" },
        size: 500,
        priceFen: 8800,
        isDefault: true,
      })
    ).id;
    // The old per-gram unit of the pickles goes off sale; the default cannot.
    const admin = await t.request("GET", `/v1/admin/products/${w.pickle.id}`, { token: token.admin });
    expect(admin.json.saleUnits.map((u: { label: { zh: string } }) => u.label.zh)).toEqual(["斤", "克"]);
    const gram = admin.json.saleUnits[1].id;
    const off = await t.request("PATCH", `/v1/products/${w.pickle.id}/sale-units/${gram}`, {
      token: token.admin,
      body: { active: false },
    });
    expect(off.status, off.text).toBe(200);
    const offDefault = await t.request("PATCH", `/v1/products/${w.pickle.id}/sale-units/${jin.id}`, {
      token: token.admin,
      body: { active: false },
    });
    expect(offDefault.status).toBe(409);
    const twice = await t.request("POST", `/v1/products/${w.egg.id}/sale-units`, {
      token: token.admin,
      body: { label: { zh: "盒(30个)", en: "again" }, size: 30, priceFen: 1 },
    });
    expect(twice.status).toBe(409);
    const agent = await t.request("POST", `/v1/products/${w.egg.id}/sale-units`, {
      token: token.agentA,
      body: { label: { zh: "打", en: "dozen" }, size: 12, priceFen: 2300 },
    });
    expect(agent.status).toBe(403);

    const catalog = await t.request("GET", `/v1/products?limit=100&servicePointId=${w.pointA.id}`);
    const item = (id: string) => catalog.json.items.find((i: { id: string }) => i.id === id);
    expect(item(w.pickle.id).priceFen).toBe(1380);
    expect(item(w.pickle.id).saleUnits).toEqual([
      {
        id: jin.id,
        label: { zh: "斤", en: "jin" },
        size: 500,
        priceFen: 1380,
        minUnits: 1,
        stepUnits: 1,
        isDefault: true,
      },
    ]);
    expect(item(w.egg.id).priceFen).toBe(200);
    expect(
      item(w.egg.id).saleUnits.map((u: { size: number; priceFen: number }) => [u.size, u.priceFen]),
    ).toEqual([
      [1, 200],
      [30, 5800],
    ]);
    expect(item(oil.id).priceFen).toBe(8800);
    const audited = await t.request("GET", `/v1/admin/products/${w.egg.id}`, { token: token.admin });
    expect(audited.json.saleUnits).toHaveLength(2);

    // A new product by weight, sold by the 斤 from the start at ¥12.50 (no fen-per-gram price needed).
    const created = await t.request("POST", "/v1/products", {
      token: token.admin,
      headers: { "idempotency-key": `new-bean-${kind}` },
      body: {
        sku: `PKL-BEAN-${kind.toUpperCase()}`,
        name: { zh: "坛子菜·酸豆角", en: "Pickled beans" },
        kind: "produce",
        unit: "gram",
        priceFen: 0,
        saleUnit: { label: { zh: "斤", en: "jin" }, size: 500, priceFen: 1250 },
      },
    });
    expect(created.status, created.text).toBe(201);
    const bean = await t.request("GET", `/v1/products/${created.json.id}`);
    expect(bean.json.priceFen).toBe(1250);
    expect(
      bean.json.saleUnits.map((u: { label: { zh: string }; size: number }) => [u.label.zh, u.size]),
    ).toEqual([["斤", 500]]);
  });

  it("buys them, reserves base units, and refuses counts off a unit's minimum or step with 400", async () => {
    // Two villagers' lots at point A, the first expiring first: 300 g + 400 g of pickles, 20 + 40 eggs.
    await intake(villager.first, w.pickle.id, 300, 5);
    await intake(villager.second, w.pickle.id, 400, 9);
    await intake(villager.first, w.egg.id, 20, 3);
    await intake(villager.second, w.egg.id, 40, 8);
    await intake(villager.first, oil.id, 1000, 300);

    const boxRule = await t.request("PATCH", `/v1/products/${w.egg.id}/sale-units/${unit.box}`, {
      token: token.admin,
      body: { minUnits: 2, stepUnits: 2 },
    });
    expect(boxRule.status).toBe(200);
    const one = await order([{ productId: w.egg.id, saleUnitId: unit.box, quantity: 1 }]);
    expect(one.status).toBe(400);
    expect(one.json.error.code).toBe("VALIDATION_FAILED");
    expect(one.json.error.message).toContain("box of 30 is sold from 2");
    expect(one.json.error.fields).toEqual([
      { path: "items.0.quantity", message: "box of 30 is sold from 2 at a time" },
    ]);
    const three = await order([{ productId: w.egg.id, saleUnitId: unit.box, quantity: 3 }]);
    expect(three.status).toBe(400);
    expect(three.json.error.fields[0].message).toBe("box of 30 is sold in steps of 2 from 2");
    await t.request("PATCH", `/v1/products/${w.egg.id}/sale-units/${unit.box}`, {
      token: token.admin,
      body: { minUnits: 1, stepUnits: 1 },
    });
    const wrongUnit = await order([{ productId: w.pickle.id, saleUnitId: unit.box, quantity: 1 }]);
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.json.error.fields[0].path).toBe("items.0.saleUnitId");
    const tooMany = await order([{ productId: w.egg.id, saleUnitId: unit.box, quantity: 3 }]);
    expect(tooMany.status).toBe(409);
    // 60 eggs are 2 whole boxes.
    expect(tooMany.json.error.details.lines).toEqual([
      { productId: w.egg.id, saleUnitId: unit.box, requested: 3, available: 2 },
    ]);

    const placed = await order([
      { productId: w.pickle.id, quantity: 1 },
      { productId: w.egg.id, saleUnitId: unit.box, quantity: 1 },
      { productId: w.egg.id, quantity: 2 },
      { productId: oil.id, saleUnitId: unit.bottle, quantity: 1 },
    ]);
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json.totalFen).toBe(1380 + 5800 + 2 * 200 + 8800);
    expect(await stockAt(w.pickle.id, w.pointA.id)).toMatchObject({ onHand: 700, reserved: 500 });
    expect(await stockAt(w.egg.id, w.pointA.id)).toMatchObject({ onHand: 60, reserved: 32 });
    expect(await stockAt(oil.id, w.pointA.id)).toMatchObject({ onHand: 1000, reserved: 500 });

    const view = await t.request("GET", `/v1/orders/${placed.json.id}`, { token: token.admin });
    const line = (productId: string, units: number) =>
      view.json.items.find(
        (l: { productId: string; units: number }) => l.productId === productId && l.units === units,
      );
    expect(line(w.egg.id, 1)).toMatchObject({
      saleUnit: { id: unit.box, label: { zh: "盒(30个)", en: "box of 30" } },
      units: 1,
      unitSize: 30,
      quantity: 30,
      unitPriceFen: 5800,
      lineTotalFen: 5800,
    });
    expect(line(w.pickle.id, 1)).toMatchObject({
      quantity: 500,
      unitSize: 500,
      unitPriceFen: 1380,
      lineTotalFen: 1380,
    });

    // Handed over at point A: the sale is recorded FEFO and each villager credited their part.
    const done = await t.request("POST", `/v1/orders/${placed.json.id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: placed.json.pickupCode, cashReceivedFen: placed.json.totalFen },
    });
    expect(done.status, done.text).toBe(200);
    expect(await stockAt(w.pickle.id, w.pointA.id)).toMatchObject({ onHand: 200, reserved: 0 });
    expect(await stockAt(w.egg.id, w.pointA.id)).toMatchObject({ onHand: 28, reserved: 0 });

    const credits = await t.db.db
      .select()
      .from(consignorEntries)
      .where(eq(consignorEntries.orderId, placed.json.id));
    const lines = await t.db.db.select().from(orderLines).where(eq(orderLines.orderId, placed.json.id));
    const pickleLine = lines.find((l) => l.productId === w.pickle.id)!;
    // 1 斤 = 300 g from the first lot + 200 g from the second: ¥13.80 split 828 + 552 (2.76 fen a gram),
    // commission 15 %: 124.2 → 124 and 82.8 → 83.
    const ofPickle = credits.filter((c) => c.orderLineId === pickleLine.id);
    expect(
      ofPickle.map((c) => [c.consignorId, c.quantity, c.grossFen, c.commissionFen, c.amountFen]).sort(),
    ).toEqual(
      [
        [villager.first, 300, 828, 124, 704],
        [villager.second, 200, 552, 83, 469],
      ].sort(),
    );
    // Every line's parts add up to the line, to the fen (the oil came from one lot).
    for (const l of lines) {
      const parts = credits.filter((c) => c.orderLineId === l.id);
      expect(parts.reduce((s, c) => s + Number(c.grossFen), 0)).toBe(l.lineTotalFen);
      expect(parts.reduce((s, c) => s + (c.quantity ?? 0), 0)).toBe(l.quantity);
    }
    // The eggs: the box and the two loose eggs drew the 20 eggs of the first lot before the second's.
    const eggsFirst = credits
      .filter(
        (c) =>
          c.consignorId === villager.first &&
          lines.some((l) => l.id === c.orderLineId && l.productId === w.egg.id),
      )
      .reduce((s, c) => s + (c.quantity ?? 0), 0);
    expect(eggsFirst).toBe(20);
    expect(await allLedgerViolations(t.db.db)).toEqual({});

    const statement = await t.request("GET", `/v1/consignors/${villager.first}/statement`, {
      token: token.agentA,
    });
    expect(statement.status, statement.text).toBe(200);
    const sum = statement.json.lines.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0);
    expect(statement.json.openingFen + sum).toBe(statement.json.closingFen);
    // The first villager's pickles and eggs, shares after commission, are all the money on the statement.
    const earned = credits
      .filter((c) => c.consignorId === villager.first)
      .reduce((s, c) => s + Number(c.amountFen), 0);
    expect(statement.json.closingFen).toBe(earned);
  });
});
