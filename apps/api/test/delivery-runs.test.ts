import type { Executor } from "@coop/db";
import { deliveryRunLines, lots, notifications, stockLevels, stockMovements } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { reservationViolations } from "./reservation-checks";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

describe.each(testDbKinds())("delivery runs: warehouse → service point (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  const lotIds: string[] = [];
  const orders: Record<string, { id: string; accessToken: string }> = {};
  let runId = "";
  const bodies: string[] = [];

  async function expectBooksAgree() {
    expect(await allLedgerViolations(t.db.db)).toEqual({});
    expect(await reservationViolations(t.db.db)).toEqual([]);
  }
  async function level(productId: string, locationId: string) {
    const [row] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, locationId)));
    return { onHand: row?.onHand ?? 0, reserved: row?.reserved ?? 0 };
  }
  async function orderStatus(id: string) {
    const res = await t.request("GET", `/v1/orders/${id}`, { token: token.admin });
    return res.json.status as string;
  }
  async function readySms(orderId: string) {
    return t.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.orderId, orderId), eq(notifications.template, "order_ready_for_pickup")));
  }
  const transitId = async () => {
    const [row] = await rows<{ id: string }>(t.db.db, sql`SELECT id FROM locations WHERE kind = 'transit'`);
    return row!.id;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    // Two lots of eggs taken in at point B and collected to the warehouse: 30 expiring first, then 100.
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointB.id, { name: "李奶奶" });
    for (const [quantity, days] of [
      [30, 5],
      [100, 10],
    ] as const) {
      const lot = await t.request("POST", "/v1/lots", {
        token: token.agentB,
        body: {
          consignorId: villager.id,
          productId: w.egg.id,
          servicePointId: w.pointB.id,
          quantity,
          bestBefore: inDays(days),
          qc: { passed: true },
        },
      });
      expect(lot.status, lot.text).toBe(201);
      lotIds.push(lot.json.id);
    }
    const run = await t.request("POST", "/v1/collections", {
      token: token.agentB,
      body: { fromServicePointId: w.pointB.id, lotIds },
    });
    const received = await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
      token: token.warehouseUser,
      body: { lines: lotIds.map((lotId, i) => ({ lotId, receivedQuantity: i === 0 ? 30 : 100 })) },
    });
    expect(received.status, received.text).toBe(200);
    for (const [name, quantity] of [
      ["full", 40],
      ["short", 20],
    ] as const) {
      const res = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: w.egg.id, quantity }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: { name: `买家${name}`, phone: name === "full" ? "13911112222" : "13933334444" },
        },
      });
      expect(res.status, res.text).toBe(201);
      orders[name] = { id: res.json.id, accessToken: res.json.accessToken };
    }
  });
  afterAll(() => t?.close());

  it("no longer marks a warehouse order ready before its goods reach the point", async () => {
    const res = await t.request("POST", `/v1/orders/${orders.full!.id}/dispatch`, {
      token: token.warehouseUser,
    });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("INVALID_STATE");
    expect(await orderStatus(orders.full!.id)).toBe("confirmed");
    expect(await readySms(orders.full!.id)).toHaveLength(0);
  });

  it("lists the point with waiting orders and batches them onto one run with a FEFO pick list", async () => {
    const waiting = await t.request("GET", "/v1/delivery-runs/waiting", { token: token.warehouseUser });
    expect(waiting.status).toBe(200);
    expect(waiting.json.items).toEqual([
      expect.objectContaining({ servicePointId: w.pointA.id, orderCount: 2 }),
    ]);
    const byAgent = await t.request("POST", "/v1/delivery-runs", { token: token.agentA, body: {} });
    expect(byAgent.status).toBe(403);

    const built = await t.request("POST", "/v1/delivery-runs", {
      token: token.warehouseUser,
      body: { servicePointId: w.pointA.id },
      headers: { "idempotency-key": "build-key-1" },
    });
    expect(built.status, built.text).toBe(201);
    expect(built.json.items).toHaveLength(1);
    runId = built.json.items[0].id;
    expect(built.json.items[0]).toMatchObject({
      status: "packing",
      toLocationId: w.pointA.id,
      orderCount: 2,
    });
    // Building again finds nothing new: each line is on one run only.
    const again = await t.request("POST", "/v1/delivery-runs", { token: token.warehouseUser, body: {} });
    expect(again.json.items).toEqual([]);

    const run = await t.request("GET", `/v1/delivery-runs/${runId}`, { token: token.warehouseUser });
    expect(run.status).toBe(200);
    bodies.push(run.text);
    expect(run.json.pickList).toEqual([
      expect.objectContaining({
        productId: w.egg.id,
        quantity: 60,
        lots: [
          expect.objectContaining({ lotId: lotIds[0], take: 30 }),
          expect.objectContaining({ lotId: lotIds[1], take: 30 }),
        ],
      }),
    ]);
    expect(run.json.manifest.map((m: { orderId: string }) => m.orderId).sort()).toEqual(
      [orders.full!.id, orders.short!.id].sort(),
    );
    const otherAgent = await t.request("GET", `/v1/delivery-runs/${runId}`, { token: token.agentB });
    expect(otherAgent.status).toBe(403);
    await expectBooksAgree();
  });

  it("dispatch moves the stock into transit (one lot whole, one split), once per key", async () => {
    const before = await level(w.egg.id, w.warehouse.id);
    const first = await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, {
      token: token.warehouseUser,
      headers: { "idempotency-key": "dispatch-key-1" },
    });
    expect(first.status, first.text).toBe(200);
    const replay = await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, {
      token: token.warehouseUser,
      headers: { "idempotency-key": "dispatch-key-1" },
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const twice = await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, {
      token: token.warehouseUser,
    });
    expect(twice.status).toBe(409);
    bodies.push(first.text);
    expect(first.json.status).toBe("in_transit");

    const transit = await transitId();
    expect(await level(w.egg.id, w.warehouse.id)).toEqual({
      onHand: before.onHand - 60,
      reserved: before.reserved - 60,
    });
    expect(await level(w.egg.id, transit)).toEqual({ onHand: 60, reserved: 60 });
    const moves = await t.db.db.select().from(stockMovements).where(eq(stockMovements.batchId, runId));
    const sum = (k: string) => moves.filter((m) => m.kind === k).reduce((s, m) => s + m.quantityDelta, 0);
    expect([sum("transfer_out"), sum("transfer_in")]).toEqual([-60, 60]);
    expect(moves.every((m) => m.actorUserId === w.warehouseUser.id)).toBe(true);
    // The first-expiring lot went whole; the 30 more came off the next lot as child lots (one per order line).
    const [whole] = await t.db.db.select().from(lots).where(eq(lots.id, lotIds[0]!));
    expect(whole).toMatchObject({ locationId: transit, status: "in_transit", onHand: 30 });
    const [parent] = await t.db.db.select().from(lots).where(eq(lots.id, lotIds[1]!));
    expect(parent).toMatchObject({ locationId: w.warehouse.id, onHand: 70, status: "in_stock" });
    const children = await t.db.db.select().from(lots).where(eq(lots.parentLotId, lotIds[1]!));
    expect(children.reduce((s, c) => s + c.onHand, 0)).toBe(30);
    for (const child of children) {
      expect(child).toMatchObject({
        locationId: transit,
        status: "in_transit",
        consignorId: parent!.consignorId,
        bestBefore: parent!.bestBefore,
        originLocationId: parent!.originLocationId,
      });
      expect(child.lotNo.startsWith(`${parent!.lotNo}-`)).toBe(true);
    }
    expect(await orderStatus(orders.full!.id)).toBe("packed");
    expect(await readySms(orders.full!.id)).toHaveLength(0);
    await expectBooksAgree();
  });

  it("the agent of another point cannot receive the run; its own agent receives it with a broken bag", async () => {
    const run = await t.request("GET", `/v1/delivery-runs/${runId}`, { token: token.agentA });
    expect(run.status).toBe(200);
    const shortLine = run.json.lines.find((l: { orderId: string }) => l.orderId === orders.short!.id);
    const body = {
      lines: [{ lineId: shortLine.id, receivedQuantity: 15, discrepancyKind: "broken", note: "袋子破了" }],
    };
    const wrong = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentB,
      body,
    });
    expect(wrong.status).toBe(403);
    const unexplained = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentA,
      body: { lines: [{ lineId: shortLine.id, receivedQuantity: 15 }] },
    });
    expect(unexplained.status).toBe(400);

    const received = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentA,
      body,
      headers: { "idempotency-key": "receive-key-1" },
    });
    expect(received.status, received.text).toBe(200);
    expect(received.json.readyOrderIds).toEqual([orders.full!.id]);
    const replay = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentA,
      body,
      headers: { "idempotency-key": "receive-key-1" },
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    bodies.push(received.text);

    const line = received.json.lines.find((l: { id: string }) => l.id === shortLine.id);
    expect(line).toMatchObject({
      quantityReceived: 15,
      discrepancyKind: "broken",
      note: "袋子破了",
      resolution: null,
    });
    // 55 on the point's shelf, held for the two orders; the 5 missing are held again at the warehouse.
    expect(await level(w.egg.id, w.pointA.id)).toEqual({ onHand: 55, reserved: 55 });
    expect(await level(w.egg.id, await transitId())).toEqual({ onHand: 0, reserved: 0 });
    const broken = await t.db.db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.batchId, runId), eq(stockMovements.kind, "discrepancy")));
    expect(broken.map((m) => [m.locationId, m.quantityDelta, m.reason])).toEqual([
      [w.pointA.id, -5, "broken: 袋子破了"],
    ]);

    expect(await orderStatus(orders.full!.id)).toBe("ready_for_pickup");
    expect(await orderStatus(orders.short!.id)).toBe("packed");
    const sms = await readySms(orders.full!.id);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.data).toEqual({ orderId: orders.full!.id, servicePointName: w.pointA.nameZh });
    expect(await readySms(orders.short!.id)).toHaveLength(0);
    await expectBooksAgree();
  });

  it("re-sends the missing part on the next run; the order is ready only when it arrives", async () => {
    const run = await t.request("GET", `/v1/delivery-runs/${runId}`, { token: token.warehouseUser });
    const shortLine = run.json.lines.find((l: { orderId: string }) => l.orderId === orders.short!.id);
    const resent = await t.request("POST", `/v1/delivery-runs/${runId}/lines/${shortLine.id}/resend`, {
      token: token.warehouseUser,
      headers: { "idempotency-key": "resend-key-1" },
    });
    expect(resent.status, resent.text).toBe(200);
    const nextRun = resent.json.id;
    expect(nextRun).not.toBe(runId);
    expect(resent.json.lines).toEqual([
      expect.objectContaining({ orderId: orders.short!.id, quantity: 5, resendOfLineId: shortLine.id }),
    ]);
    const again = await t.request("POST", `/v1/delivery-runs/${runId}/lines/${shortLine.id}/resend`, {
      token: token.warehouseUser,
    });
    expect(again.status).toBe(409);
    await expectBooksAgree();

    expect(
      (await t.request("POST", `/v1/delivery-runs/${nextRun}/dispatch`, { token: token.warehouseUser }))
        .status,
    ).toBe(200);
    await expectBooksAgree();
    const done = await t.request("POST", `/v1/delivery-runs/${nextRun}/receive`, {
      token: token.agentA,
      body: { lines: [] },
    });
    expect(done.status, done.text).toBe(200);
    expect(done.json.readyOrderIds).toEqual([orders.short!.id]);
    expect(await orderStatus(orders.short!.id)).toBe("ready_for_pickup");
    expect(await readySms(orders.short!.id)).toHaveLength(1);
    expect(await readySms(orders.full!.id)).toHaveLength(1);
    expect(await level(w.egg.id, w.pointA.id)).toEqual({ onHand: 60, reserved: 60 });
    const discrepancies = await t.db.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.kind, "discrepancy"));
    expect(discrepancies).toHaveLength(1);
    const openLines = await t.db.db
      .select()
      .from(deliveryRunLines)
      .where(sql`${deliveryRunLines.quantityReceived} IS NULL`);
    expect(openLines).toHaveLength(0);
    await expectBooksAgree();
  });

  it("hands over with the buyer's code, the sale drawing from the point's shelf", async () => {
    const mine = await t.request("GET", `/v1/orders/${orders.full!.id}`, {
      headers: { authorization: `Bearer ${orders.full!.accessToken}` },
    });
    const code = mine.json.pickupCode as string;
    expect(code).toMatch(/^\d{6}$/);
    for (const body of bodies) expect(body).not.toContain(code);

    const res = await t.request("POST", `/v1/orders/${orders.full!.id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: code, cashReceivedFen: 8000 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe("picked_up");
    const sales = await t.db.db
      .select()
      .from(stockMovements)
      .where(and(eq(stockMovements.orderId, orders.full!.id), eq(stockMovements.kind, "sale")));
    expect(sales.reduce((s, m) => s + m.quantityDelta, 0)).toBe(-40);
    expect(sales.every((m) => m.locationId === w.pointA.id)).toBe(true);
    expect(await level(w.egg.id, w.pointA.id)).toEqual({ onHand: 20, reserved: 20 });
    await expectBooksAgree();
  });

  it("the point's next intake today is numbered after its intakes, not after a part split off one", async () => {
    const [parent] = await t.db.db.select().from(lots).where(eq(lots.id, lotIds[1]!));
    const res = await t.request("POST", "/v1/lots", {
      token: token.agentB,
      body: {
        consignorId: parent!.consignorId,
        productId: w.egg.id,
        servicePointId: w.pointB.id,
        quantity: 12,
        bestBefore: inDays(7),
        qc: { passed: true },
      },
    });
    expect(res.status, res.text).toBe(201);
    const next = Number(parent!.lotNo.slice(-4)) + 1;
    expect(res.json.lotNo).toBe(`${parent!.lotNo.slice(0, -4)}${String(next).padStart(4, "0")}`);
  });
});
