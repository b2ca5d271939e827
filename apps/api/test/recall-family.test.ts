import {
  auditLog,
  locations,
  lots,
  notifications,
  orderLineLots,
  orderLines,
  orders,
  payments,
  stockLevels,
} from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, inArray } from "drizzle-orm";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { buyerPickupCode, handOver, inDays, intake, type PlacedOrder, pickupOrder } from "./cash-fixtures";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";
import { reservationViolations } from "./reservation-checks";

const WEBHOOK_SECRET = "whsec_test_recall_family";
const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_recall_family",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};

/**
 * A recall follows the goods. A delivery run splits a lot when only part of it goes to a point, so by the
 * time a lot is found unsafe its eggs may be at the warehouse, on the road and on a point's shelf, under
 * several lot numbers. Blocking any of them blocks them all, stops every order holding them, tells each buyer
 * once, and names every buyer — and receiving the run on the road afterwards puts nothing of it on sale.
 */
describe.each(testDbKinds())("recalling a lot split by delivery runs (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let eventSeq = 0;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
  });
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  const ok = (res: { status: number; text: string }, status = 200) =>
    expect(res.status, res.text).toBe(status);

  async function pay(order: PlacedOrder) {
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, order.id));
    const payload = JSON.stringify({
      id: `evt_family_${++eventSeq}`,
      object: "event",
      type: "payment_intent.succeeded",
      api_version: "2025-01-01",
      created: 1,
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: {
        object: {
          id: payment!.providerRef,
          object: "payment_intent",
          amount: order.totalFen,
          currency: "cny",
          status: "succeeded",
          metadata: { orderId: order.id },
        },
      },
    });
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    ok(
      await t.request("POST", "/v1/webhooks/stripe", {
        body: payload,
        headers: { "stripe-signature": signature },
      }),
    );
  }
  const order = (to: string, quantity: number, phone: string, method?: "card") =>
    pickupOrder(t, {
      productId: w.egg.id,
      quantity,
      servicePointId: to,
      ...(method ? { method } : {}),
      contact: { name: `买家${phone.slice(-2)}`, phone },
    });
  const statusOf = async (id: string) =>
    (await t.db.db.select({ s: orders.status }).from(orders).where(eq(orders.id, id)))[0]!.s;
  const lotRow = async (id: string) => (await t.db.db.select().from(lots).where(eq(lots.id, id)))[0]!;
  const level = async (locationId: string) => {
    const [row] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, locationId)));
    return { onHand: row?.onHand ?? 0, reserved: row?.reserved ?? 0 };
  };
  const transitId = async () =>
    (await t.db.db.select({ id: locations.id }).from(locations).where(eq(locations.kind, "transit")))[0]!.id;
  async function expectBooksAgree() {
    expect(await allLedgerViolations(t.db.db)).toEqual({});
    expect(await reservationViolations(t.db.db)).toEqual([]);
  }

  /** Lots taken in at point B and brought to the warehouse by a collection run. */
  async function collected(batches: Array<{ quantity: number; days: number }>) {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointB.id);
    const ids: string[] = [];
    for (const b of batches) {
      ids.push(
        await intake(t, token.agentB!, {
          consignorId: villager.id,
          productId: w.egg.id,
          servicePointId: w.pointB.id,
          quantity: b.quantity,
          bestBefore: inDays(b.days),
        }),
      );
    }
    const run = await t.request("POST", "/v1/collections", {
      token: token.agentB,
      body: { fromServicePointId: w.pointB.id, lotIds: ids },
    });
    ok(run, 201);
    ok(
      await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
        token: token.warehouseUser,
        body: { lines: ids.map((lotId, i) => ({ lotId, receivedQuantity: batches[i]!.quantity })) },
      }),
    );
    return ids;
  }
  /** Loads the point's waiting orders onto a run and sends it on its way. Returns the run id. */
  async function dispatchTo(pointId: string) {
    const built = await t.request("POST", "/v1/delivery-runs", {
      token: token.warehouseUser,
      body: { servicePointId: pointId },
    });
    ok(built, 201);
    const runId = built.json.items[0].id as string;
    ok(await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, { token: token.warehouseUser }));
    return runId;
  }

  let unsafe = "";
  let safe = "";
  let runToB = "";
  const o: Record<string, PlacedOrder> = {};

  it("blocking the intake lot blocks every lot split off it, wherever it went, and stops every order holding them", async () => {
    // A safe lot expiring first (it goes whole on the first run) and the unsafe one, both at the warehouse.
    [safe, unsafe] = (await collected([
      { quantity: 5, days: 3 },
      { quantity: 100, days: 10 },
    ])) as [string, string];

    // Run 1 to point B, left on the road: the safe lot goes whole for one order, 7 eggs split off the unsafe one.
    o.roadSafe = await order(w.pointB.id, 5, "13900000001");
    o.roadCash = await order(w.pointB.id, 7, "13900000002");
    runToB = await dispatchTo(w.pointB.id);
    // Run 2 to point A, received: two cash orders (each its own child lot) and a paid one drawn from the parent.
    o.takenCash = await order(w.pointA.id, 6, "13900000003");
    o.shelfCash = await order(w.pointA.id, 4, "13900000004");
    o.shelfCard = await order(w.pointA.id, 3, "13900000004", "card");
    await pay(o.shelfCard);
    const runToA = await dispatchTo(w.pointA.id);
    ok(
      await t.request("POST", `/v1/delivery-runs/${runToA}/receive`, {
        token: token.agentA,
        body: { lines: [] },
      }),
    );
    await handOver(t, token.agentA!, o.takenCash, true);
    // Still at the warehouse, not on any run: a cash order holding eggs there and a paid one drawn from the parent.
    o.warehouseCash = await order(w.pointA.id, 3, "13900000005");
    o.warehouseCard = await order(w.pointA.id, 2, "13900000006", "card");
    await pay(o.warehouseCard);

    const children = await t.db.db.select().from(lots).where(eq(lots.parentLotId, unsafe));
    expect(children).toHaveLength(3);
    const transit = await transitId();
    const onRoad = children.find((c) => c.locationId === transit)!;
    const atA = children.filter((c) => c.locationId === w.pointA.id);
    expect(onRoad.onHand).toBe(7);
    expect(atA).toHaveLength(2);
    expect(await lotRow(safe)).toMatchObject({ locationId: transit, onHand: 5 });
    // The cash order handed over at A drew its eggs from a child lot, not from the parent.
    const takenFrom = await t.db.db
      .select({ lotId: orderLineLots.lotId })
      .from(orderLineLots)
      .innerJoin(orderLines, eq(orderLines.id, orderLineLots.orderLineId))
      .where(eq(orderLines.orderId, o.takenCash.id));
    expect(takenFrom.every((d) => atA.some((c) => c.id === d.lotId))).toBe(true);
    expect(await lotRow(unsafe)).toMatchObject({
      locationId: w.warehouse.id,
      onHand: 100 - 7 - 6 - 4 - 3 - 2,
    });
    expect(await level(w.warehouse.id)).toEqual({ onHand: 78, reserved: 3 });
    expect(await level(transit)).toEqual({ onHand: 12, reserved: 12 });
    expect(await level(w.pointA.id)).toEqual({ onHand: 4, reserved: 4 });
    await expectBooksAgree();

    const headers = { "idempotency-key": "recall-family-1" };
    const body = { reason: "抽检沙门氏菌阳性 / salmonella in a sample" };
    const res = await t.request("POST", `/v1/lots/${unsafe}/block`, {
      token: token.warehouseUser,
      body,
      headers,
    });
    ok(res);
    expect(res.json).toMatchObject({ status: "blocked", onHand: 0, refundsNotSent: [] });

    // Every lot of the family is blocked, at its place: the warehouse, the road, point A's shelf.
    const family = [unsafe, ...children.map((c) => c.id)];
    for (const id of family) expect((await lotRow(id)).status, id).toBe("blocked");
    expect(res.json.recall).toMatchObject({ askedLotId: unsafe, askedLotNo: (await lotRow(unsafe)).lotNo });
    expect(
      res.json.recall.lots.map(
        (l: { lotId: string; status: string; locationId: string; blockedQuantity: number }) => [
          l.lotId,
          l.status,
          l.locationId,
        ],
      ),
    ).toEqual(expect.arrayContaining(family.map((id) => [id, "blocked", expect.any(String)])));
    const blockedAt = Object.fromEntries(
      res.json.recall.lots.map((l: { lotId: string; blockedQuantity: number }) => [
        l.lotId,
        l.blockedQuantity,
      ]),
    );
    // The parent's 78 plus the 5 refunded eggs that came back to it; the 7 on the road; the 4 on A's shelf.
    expect(blockedAt[unsafe]).toBe(78 + 3 + 2);
    expect(blockedAt[onRoad.id]).toBe(7);
    expect(atA.reduce((s, c) => s + blockedAt[c.id], 0)).toBe(4);
    expect(await lotRow(safe)).toMatchObject({ status: "in_transit", onHand: 5 });

    // Each open order holding the family's eggs is stopped once; the one carrying the safe lot goes on.
    expect(await statusOf(o.roadCash!.id)).toBe("cancelled");
    expect(await statusOf(o.shelfCash!.id)).toBe("cancelled");
    expect(await statusOf(o.warehouseCash!.id)).toBe("cancelled");
    expect(await statusOf(o.shelfCard!.id)).toBe("refunded");
    expect(await statusOf(o.warehouseCard!.id)).toBe("refunded");
    expect(await statusOf(o.takenCash!.id)).toBe("picked_up");
    expect(await statusOf(o.roadSafe!.id)).toBe("packed");
    for (const paid of [o.shelfCard!, o.warehouseCard!]) {
      const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, paid.id));
      const refunds = [...state.refunds.values()].filter((r) => r.payment_intent === payment!.providerRef);
      expect(refunds).toEqual([expect.objectContaining({ amount: paid.totalFen })]);
    }
    const actions = Object.fromEntries(
      res.json.recall.orders.map((x: { orderId: string; action: string }) => [x.orderId, x.action]),
    );
    expect(actions).toEqual({
      [o.roadCash!.id]: "cancelled",
      [o.shelfCash!.id]: "cancelled",
      [o.warehouseCash!.id]: "cancelled",
      [o.shelfCard!.id]: "refunded",
      [o.warehouseCard!.id]: "refunded",
      [o.takenCash!.id]: "handed_over",
    });

    // Held stock is exactly the open orders' lines at each place: only the safe lot's order, on the road.
    expect(await level(w.warehouse.id)).toEqual({ onHand: 0, reserved: 0 });
    expect(await level(transit)).toEqual({ onHand: 5, reserved: 5 });
    expect(await level(w.pointA.id)).toEqual({ onHand: 0, reserved: 0 });
    await expectBooksAgree();

    // One SMS per buyer: the buyer with two stopped orders gets one naming both.
    const sms = await t.db.db.select().from(notifications).where(eq(notifications.template, "lot_recall"));
    expect(sms.map((n) => n.recipient).sort()).toEqual([
      "13900000002",
      "13900000003",
      "13900000004",
      "13900000005",
      "13900000006",
    ]);
    const twoOrders = sms.find((n) => n.recipient === "13900000004")!;
    expect(
      (twoOrders.data as { orders: Array<{ orderId: string }> }).orders.map((x) => x.orderId).sort(),
    ).toEqual([o.shelfCash!.id, o.shelfCard!.id].sort());

    // The same request again replays its answer; blocking another lot of the family answers the same recall.
    const snapshot = async () => ({
      statuses: await t.db.db.select({ id: orders.id, s: orders.status }).from(orders).orderBy(orders.id),
      sms: (await t.db.db.select().from(notifications)).length,
      refunds: state.refunds.size,
      levels: await t.db.db.select().from(stockLevels).orderBy(stockLevels.locationId),
    });
    const before = await snapshot();
    const replay = await t.request("POST", `/v1/lots/${unsafe}/block`, {
      token: token.warehouseUser,
      body,
      headers,
    });
    ok(replay);
    expect(replay.json).toEqual(res.json);
    const sibling = await t.request("POST", `/v1/lots/${atA[1]!.id}/block`, {
      token: token.warehouseUser,
      body: { reason: "再次召回 / again" },
      headers: { "idempotency-key": "recall-family-2" },
    });
    ok(sibling);
    expect(sibling.json.recall).toEqual(res.json.recall);
    expect(await snapshot()).toEqual(before);
    const audits = await t.db.db.select().from(auditLog).where(eq(auditLog.action, "lot.block"));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ entityId: unsafe });

    // The trace of a child names the lot asked for, the whole family, and every buyer, the collected one too.
    const trace = await t.request("GET", `/v1/lots/${onRoad.id}/trace`, { token: token.warehouseUser });
    ok(trace);
    expect(trace.json.recall.askedLotId).toBe(unsafe);
    expect(trace.json.family.map((l: { lotId: string }) => l.lotId).sort()).toEqual([...family].sort());
    expect(trace.json.family[0].lotId).toBe(unsafe);
    const phones = Object.fromEntries(
      trace.json.recall.orders.map((x: { orderId: string; contactPhone: string }) => [
        x.orderId,
        x.contactPhone,
      ]),
    );
    expect(phones[o.takenCash!.id]).toBe("13900000003");
    expect(Object.keys(phones)).toHaveLength(6);
    expect(trace.json.orders.map((x: { orderId: string }) => x.orderId)).toContain(o.takenCash!.id);
    // Staff answers never carry a buyer's pickup code.
    const code = await buyerPickupCode(t, o.roadSafe!);
    expect(res.text).not.toContain(code);
    expect(trace.text).not.toContain(code);
  });

  it("receiving the run that was on the road puts none of the recalled eggs on sale", async () => {
    const received = await t.request("POST", `/v1/delivery-runs/${runToB}/receive`, {
      token: token.agentB,
      body: { lines: [] },
    });
    ok(received);
    // The order carrying the safe lot is ready; the recalled child arrived blocked, holding nothing sellable.
    expect(received.json.readyOrderIds).toEqual([o.roadSafe!.id]);
    const [onRoad] = await t.db.db
      .select()
      .from(lots)
      .where(and(eq(lots.parentLotId, unsafe), eq(lots.locationId, w.pointB.id)));
    expect(onRoad).toMatchObject({ status: "blocked", onHand: 0 });
    expect(await lotRow(safe)).toMatchObject({ locationId: w.pointB.id, status: "in_stock", onHand: 5 });
    expect(await level(w.pointB.id)).toEqual({ onHand: 5, reserved: 5 });
    expect(await level(await transitId())).toEqual({ onHand: 0, reserved: 0 });
    // Nothing free for a new buyer at point B: the shelf's eggs are the safe lot's, held for their order.
    const catalog = await t.request("GET", `/v1/products?servicePointId=${w.pointB.id}`);
    expect(catalog.json.items.find((p: { id: string }) => p.id === w.egg.id)?.available ?? 0).toBe(0);
    const more = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointB.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "新买家", phone: "13900000009" },
      },
    });
    expect(more.status, more.text).toBe(409);
    expect(more.json.error.code).toBe("OUT_OF_STOCK");
    await expectBooksAgree();
  });

  it("blocking a child lot recalls its parent and siblings too, and the trace names the lot asked for", async () => {
    const [parent] = (await collected([{ quantity: 30, days: 20 }])) as [string];
    const toA = await order(w.pointA.id, 10, "13900000011");
    const run = await dispatchTo(w.pointA.id);
    ok(
      await t.request("POST", `/v1/delivery-runs/${run}/receive`, {
        token: token.agentA,
        body: { lines: [] },
      }),
    );
    expect(await statusOf(toA.id)).toBe("ready_for_pickup");
    const [child] = await t.db.db.select().from(lots).where(eq(lots.parentLotId, parent));
    expect(child).toMatchObject({ locationId: w.pointA.id, onHand: 10 });

    const res = await t.request("POST", `/v1/lots/${child!.id}/block`, {
      token: token.admin,
      body: { reason: "同批次抽检不合格 / the intake failed a test" },
    });
    ok(res);
    expect(res.json.recall).toMatchObject({ askedLotId: child!.id, askedLotNo: child!.lotNo });
    expect(await lotRow(parent)).toMatchObject({ status: "blocked", onHand: 0 });
    expect(await lotRow(child!.id)).toMatchObject({ status: "blocked", onHand: 0 });
    expect(await statusOf(toA.id)).toBe("cancelled");
    const trace = await t.request("GET", `/v1/lots/${parent}/trace`, { token: token.warehouseUser });
    expect(trace.json.recall).toMatchObject({ askedLotId: child!.id });
    expect(trace.json.recall.orders).toEqual([
      expect.objectContaining({ orderId: toA.id, action: "cancelled" }),
    ]);
    const sms = await t.db.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.template, "lot_recall"), inArray(notifications.recipient, ["13900000011"])),
      );
    expect(sms).toHaveLength(1);
    expect(await level(w.pointA.id)).toEqual({ onHand: 0, reserved: 0 });
    await expectBooksAgree();
  });
});
