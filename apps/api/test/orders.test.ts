import { consignorEntries, notifications, products, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld, makeProduct } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

describe.each(testDbKinds())("orders: placement, pickup with cash, assisted orders (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let villagerId = "";

  async function stockAt(productId: string, locationId: string) {
    const [row] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, locationId)));
    return row ?? { onHand: 0, reserved: 0 };
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨" })).id;
    // 100 eggs taken in at point A and carried to the warehouse.
    const lot = await t.request("POST", "/v1/lots", {
      token: token.agentA,
      body: {
        consignorId: villagerId,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 100,
        bestBefore: inDays(10),
        qc: { passed: true },
      },
    });
    const run = await t.request("POST", "/v1/collections", {
      token: token.agentA,
      body: { fromServicePointId: w.pointA.id, lotIds: [lot.json.id] },
    });
    const received = await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
      token: token.warehouseUser,
      body: { lines: [{ lotId: lot.json.id, receivedQuantity: 100 }] },
    });
    expect(received.status, received.text).toBe(200);
  });
  afterAll(() => t?.close());

  const buyer = { name: "城里张先生", phone: "13912345678" };
  const pickupA = () => ({ type: "pickup", servicePointId: w.pointA.id });

  it("places a cash-on-pickup order priced from the database, holding the stock", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 12 }],
        fulfilment: pickupA(),
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      status: "confirmed",
      totalFen: 2400,
      payment: { method: "cash_on_pickup" },
      expiresAt: null,
    });
    expect(res.json.pickupCode).toMatch(/^\d{6}$/);
    expect(res.json.accessToken).toMatch(/^oat_/);
    const after = await stockAt(w.egg.id, w.warehouse.id);
    expect(after).toMatchObject({ onHand: before.onHand, reserved: before.reserved + 12 });

    const mine = await t.request("GET", `/v1/orders/${res.json.id}`, {
      headers: { authorization: `Bearer ${res.json.accessToken}` },
    });
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({
      status: "confirmed",
      totalFen: 2400,
      payment: { status: "unpaid" },
      items: [{ quantity: 12, unitPriceFen: 200 }],
    });
    const stranger = await t.request("GET", `/v1/orders/${res.json.id}`, {
      headers: { authorization: `Bearer oat_${"x".repeat(43)}` },
    });
    expect(stranger.status).toBe(404);
    const anonymous = await t.request("GET", `/v1/orders/${res.json.id}`);
    expect(anonymous.status).toBe(401);
    const otherAgent = await t.request("GET", `/v1/orders/${res.json.id}`, { token: token.agentB });
    expect(otherAgent.status).toBe(403);
  });

  it("refuses an order it cannot fill with 409 OUT_OF_STOCK naming the short line, reserving nothing", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const pickleBefore = await stockAt(w.pickle.id, w.warehouse.id);
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items: [
          { productId: w.egg.id, quantity: 5 },
          { productId: w.pickle.id, quantity: 500 },
        ],
        fulfilment: pickupA(),
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("OUT_OF_STOCK");
    expect(res.json.error.details.lines).toEqual([{ productId: w.pickle.id, requested: 500, available: 0 }]);
    expect(await stockAt(w.egg.id, w.warehouse.id)).toEqual(before);
    expect(await stockAt(w.pickle.id, w.warehouse.id)).toEqual(pickleBefore);
  });

  it("refuses what it cannot do: online payment without Stripe, cash for delivery, unknown products", async () => {
    const base = { items: [{ productId: w.egg.id, quantity: 1 }], fulfilment: pickupA(), contact: buyer };
    const card = await t.request("POST", "/v1/orders", { body: { ...base, payment: { method: "card" } } });
    expect(card.status).toBe(400);
    expect(card.json.error.fields[0].path).toBe("payment.method");
    const cashDelivery = await t.request("POST", "/v1/orders", {
      body: {
        ...base,
        fulfilment: { type: "delivery", address: "衡阳市蒸湘区解放西路 100 号" },
        payment: { method: "cash_on_pickup" },
      },
    });
    expect(cashDelivery.status).toBe(400);
    const unknown = await t.request("POST", "/v1/orders", {
      body: {
        ...base,
        items: [{ productId: "prd_00000000000000000000000000", quantity: 1 }],
        payment: { method: "cash_on_pickup" },
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields[0].path).toBe("items.0.productId");
    const priced = await t.request("POST", "/v1/orders", {
      body: {
        ...base,
        items: [{ productId: w.egg.id, quantity: 1, priceFen: 1 }],
        payment: { method: "cash_on_pickup" },
      },
    });
    // A client-sent price is ignored: the catalog price is charged.
    expect(priced.json.totalFen).toBe(200);
  });

  it("hands a cash order over with the right code, records the cash and credits the villager", async () => {
    const order = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 10 }],
        fulfilment: pickupA(),
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    const id = order.json.id;
    expect(
      (await t.request("POST", `/v1/orders/${id}/pack`, { token: token.warehouseUser })).json.status,
    ).toBe("packed");
    // The eggs are at the warehouse: they reach point A on a delivery run, and the order is ready once the
    // agent has received it.
    const built = await t.request("POST", "/v1/delivery-runs", {
      token: token.warehouseUser,
      body: { servicePointId: w.pointA.id },
    });
    const runId = built.json.items[0].id;
    expect(
      (await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, { token: token.warehouseUser })).status,
    ).toBe(200);
    const received = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentA,
      body: { lines: [] },
    });
    expect(received.json.readyOrderIds).toContain(id);
    expect((await t.request("GET", `/v1/orders/${id}`, { token: token.admin })).json.status).toBe(
      "ready_for_pickup",
    );
    const wrong = await t.request("POST", `/v1/orders/${id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: order.json.pickupCode === "000000" ? "111111" : "000000", cashReceivedFen: 2000 },
    });
    expect(wrong.status).toBe(400);
    const otherPoint = await t.request("POST", `/v1/orders/${id}/hand-over`, {
      token: token.agentB,
      body: { pickupCode: order.json.pickupCode, cashReceivedFen: 2000 },
    });
    expect(otherPoint.status).toBe(403);
    const short = await t.request("POST", `/v1/orders/${id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: order.json.pickupCode, cashReceivedFen: 1999 },
    });
    expect(short.status).toBe(400);
    const balanceBefore = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: token.agentA }))
      .json.balanceFen;
    const done = await t.request("POST", `/v1/orders/${id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: order.json.pickupCode, cashReceivedFen: 2500 },
    });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({
      status: "picked_up",
      changeFen: 500,
      payment: { status: "succeeded", paidFen: 2000 },
    });
    expect(done.json.history.map((h: { status: string }) => h.status)).toEqual([
      "confirmed",
      "packed",
      "ready_for_pickup",
      "picked_up",
    ]);
    // 2000 fen at the co-op's default 10 %: 1800 to the villager.
    const balanceAfter = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: token.agentA }))
      .json.balanceFen;
    expect(balanceAfter - balanceBefore).toBe(1800);
    const statement = await t.request("GET", `/v1/consignors/${villagerId}/statement`, {
      token: token.agentA,
    });
    expect(statement.json.lines.at(-1)).toMatchObject({
      kind: "sale",
      orderId: id,
      quantity: 10,
      grossFen: 2000,
      commissionFen: 200,
      amountFen: 1800,
    });
    const trace = await t.request("GET", `/v1/lots/${statement.json.lines.at(-1).lotId}/trace`, {
      token: token.admin,
    });
    expect(trace.json.orders).toContainEqual(
      expect.objectContaining({ orderId: id, quantity: 10, contactPhone: buyer.phone }),
    );
    const texts = await t.db.db.select().from(notifications).where(eq(notifications.orderId, id));
    expect(texts.map((n) => n.template).sort()).toEqual(
      ["lot_sold", "order_picked_up", "order_placed", "order_ready_for_pickup"].sort(),
    );
    expect(texts.find((n) => n.template === "lot_sold")).toMatchObject({
      data: expect.objectContaining({ earnedFen: 1800 }),
    });
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("releases a cash order's stock when staff cancel it after packing (nothing was paid)", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const order = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 6 }],
        fulfilment: pickupA(),
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    await t.request("POST", `/v1/orders/${order.json.id}/pack`, { token: token.warehouseUser });
    const cancelled = await t.request("POST", `/v1/orders/${order.json.id}/cancel`, {
      token: token.warehouseUser,
      body: { reason: "买家不来取" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ status: "cancelled", payment: { status: "unpaid" } });
    expect(await stockAt(w.egg.id, w.warehouse.id)).toEqual(before);
  });

  it("lets the buyer cancel while unpaid, releasing the stock", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const order = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 7 }],
        fulfilment: pickupA(),
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    const auth = { authorization: `Bearer ${order.json.accessToken}` };
    const cancelled = await t.request("POST", `/v1/orders/${order.json.id}/cancel`, {
      headers: auth,
      body: {},
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.status).toBe("cancelled");
    expect(await stockAt(w.egg.id, w.warehouse.id)).toEqual(before);
    const again = await t.request("POST", `/v1/orders/${order.json.id}/cancel`, { headers: auth, body: {} });
    expect(again.status).toBe(409);
  });

  it("takes an assisted farm-supply order against the villager's earnings, on their statement", async () => {
    const tray = await makeProduct(t.db.db, w.coop.id, { kind: "supply", unit: "piece", priceFen: 150 });
    await t.db.db.insert(stockLevels).values({ productId: tray.id, locationId: w.warehouse.id, onHand: 0 });
    // Supplies bought in by the co-op: a lot with no villager, taken in at the warehouse.
    const { recordMovement } = await import("../src/domain/stock/ledger");
    const { lots } = await import("@coop/db/schema");
    const lotId = "lot_01supplytray0000000000000";
    await t.db.db.insert(lots).values({
      id: lotId,
      coopId: w.coop.id,
      lotNo: "WH-TRAYS-1",
      productId: tray.id,
      originLocationId: w.warehouse.id,
      locationId: w.warehouse.id,
      status: "in_stock",
      quantityReceived: 50,
      onHand: 0,
      qcPassed: true,
    });
    await recordMovement(t.db.db, {
      productId: tray.id,
      locationId: w.warehouse.id,
      lotId,
      kind: "intake",
      quantityDelta: 50,
    });

    const balance = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: token.agentA })).json
      .balanceFen;
    const tooDear = await t.request("POST", "/v1/orders", {
      token: token.agentA,
      body: {
        items: [{ productId: tray.id, quantity: Math.ceil((balance + 1) / 150) }],
        fulfilment: pickupA(),
        payment: { method: "consignor_balance" },
        contact: { name: "钱阿姨", phone: "13700000000" },
        onBehalfOf: { consignorId: villagerId },
      },
    });
    expect(tooDear.status).toBe(409);
    expect(tooDear.json.error.code).toBe("INSUFFICIENT_BALANCE");

    const order = await t.request("POST", "/v1/orders", {
      token: token.agentA,
      body: {
        items: [{ productId: tray.id, quantity: 4 }],
        fulfilment: pickupA(),
        payment: { method: "consignor_balance" },
        contact: { name: "钱阿姨", phone: "13700000000" },
        onBehalfOf: { consignorId: villagerId },
      },
    });
    expect(order.status, order.text).toBe(201);
    expect(order.json).toMatchObject({ status: "paid", totalFen: 600 });
    const after = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: token.agentA })).json
      .balanceFen;
    expect(after).toBe(balance - 600);
    const [purchase] = await t.db.db
      .select()
      .from(consignorEntries)
      .where(and(eq(consignorEntries.orderId, order.json.id), eq(consignorEntries.kind, "purchase")));
    expect(purchase!.amountFen).toBe(-600);
    const statement = await t.request("GET", `/v1/consignors/${villagerId}/statement`, {
      token: token.agentA,
    });
    expect(statement.json.lines.at(-1)).toMatchObject({
      kind: "purchase",
      amountFen: -600,
      orderId: order.json.id,
    });

    const foreign = await t.request("POST", "/v1/orders", {
      token: token.agentB,
      body: {
        items: [{ productId: tray.id, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointB.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "钱阿姨", phone: "13700000000" },
        onBehalfOf: { consignorId: villagerId },
      },
    });
    expect(foreign.status).toBe(403);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("creates one order when the same request is sent 10 times at once with one Idempotency-Key", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const body = {
      items: [{ productId: w.egg.id, quantity: 3 }],
      fulfilment: pickupA(),
      payment: { method: "cash_on_pickup" },
      contact: buyer,
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request("POST", "/v1/orders", { body, headers: { "idempotency-key": "order-key-0001" } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect((await stockAt(w.egg.id, w.warehouse.id)).reserved).toBe(before.reserved + 3);
  });

  it("replays a placed order to a retry even after its product was taken off sale", async () => {
    const body = {
      items: [{ productId: w.egg.id, quantity: 1 }],
      fulfilment: pickupA(),
      payment: { method: "cash_on_pickup" },
      contact: buyer,
    };
    const headers = { "idempotency-key": "order-key-off-sale-1" };
    const first = await t.request("POST", "/v1/orders", { body, headers });
    expect(first.status, first.text).toBe(201);
    await t.db.db.update(products).set({ active: false }).where(eq(products.id, w.egg.id));
    try {
      const retry = await t.request("POST", "/v1/orders", { body, headers });
      expect(retry.status, retry.text).toBe(201);
      expect(retry.json).toEqual(first.json);
      // A new request for it is refused as it should be.
      const fresh = await t.request("POST", "/v1/orders", { body });
      expect(fresh.status).toBe(400);
    } finally {
      await t.db.db.update(products).set({ active: true }).where(eq(products.id, w.egg.id));
    }
  });

  it("answers a retried refusal from the store, and refuses the same key for a different order", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const tooMany = {
      items: [{ productId: w.egg.id, quantity: 100_000 }],
      fulfilment: pickupA(),
      payment: { method: "cash_on_pickup" },
      contact: buyer,
    };
    const headers = { "idempotency-key": "order-key-refused-1" };
    const first = await t.request("POST", "/v1/orders", { body: tooMany, headers });
    expect(first.status).toBe(409);
    expect(first.json.error.code).toBe("OUT_OF_STOCK");
    const again = await t.request("POST", "/v1/orders", { body: tooMany, headers });
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);

    const other = await t.request("POST", "/v1/orders", {
      body: { ...tooMany, items: [{ productId: w.egg.id, quantity: 1 }] },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await stockAt(w.egg.id, w.warehouse.id)).toEqual(before);
  });

  it("replays a placed order to a retry: the same order and access token, nothing reserved twice", async () => {
    const before = await stockAt(w.egg.id, w.warehouse.id);
    const body = {
      items: [
        { productId: w.egg.id, quantity: 1 },
        { productId: w.egg.id, quantity: 1 },
      ],
      fulfilment: pickupA(),
      payment: { method: "cash_on_pickup" },
      contact: buyer,
      note: "放门口",
    };
    const headers = { "idempotency-key": "order-key-replayed-1" };
    const first = await t.request("POST", "/v1/orders", { body, headers });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ status: "confirmed", totalFen: 2 * w.egg.priceFen, expiresAt: null });
    const retry = await t.request("POST", "/v1/orders", { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json).toEqual(first.json);
    expect((await stockAt(w.egg.id, w.warehouse.id)).reserved).toBe(before.reserved + 2);
    // The replayed access token opens the order: one line of 2 (the same product twice is one line).
    const view = await t.request("GET", `/v1/orders/${first.json.id}`, {
      headers: { authorization: `Bearer ${retry.json.accessToken}` },
    });
    expect(view.status).toBe(200);
    expect(view.json.items).toMatchObject([{ productId: w.egg.id, quantity: 2 }]);
  });
});
