import { auditLog, lotRecallOrders, notifications, orders, payments } from "@coop/db/schema";
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

const WEBHOOK_SECRET = "whsec_test_recall";
const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_recall",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};

/**
 * A food-safety recall of a lot that open cash orders and paid card orders hold: the block succeeds, each
 * order is cancelled or refunded once (Stripe through msw), stock and ledger agree, every affected buyer is
 * told, and the trace names them all — the ones who already took it home included.
 */
describe.each(testDbKinds())("recalling a lot held by open orders (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let agent = "";
  let warehouse = "";
  let eventSeq = 0;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    agent = await t.loginAs(w.agentA.login, w.agentA.password);
    warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
  });
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  async function paidCardOrder(quantity: number, phone: string): Promise<PlacedOrder> {
    const order = await pickupOrder(t, {
      productId: w.egg.id,
      quantity,
      servicePointId: w.pointA.id,
      method: "card",
      contact: { name: `卡${phone.slice(-2)}`, phone },
    });
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, order.id));
    const payload = JSON.stringify({
      id: `evt_recall_${++eventSeq}`,
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
    const res = await t.request("POST", "/v1/webhooks/stripe", {
      body: payload,
      headers: { "stripe-signature": signature },
    });
    expect(res.status, res.text).toBe(200);
    return order;
  }

  const cash = (quantity: number, phone: string) =>
    pickupOrder(t, {
      productId: w.egg.id,
      quantity,
      servicePointId: w.pointA.id,
      contact: { name: `现${phone.slice(-2)}`, phone },
    });
  const statusOf = async (id: string) =>
    (await t.db.db.select({ s: orders.status }).from(orders).where(eq(orders.id, id)))[0]!.s;

  it("blocks the lot, refunds or cancels each holding order once, tells the buyers and traces them all", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    const at = { consignorId: villager.id, productId: w.egg.id, servicePointId: w.pointA.id };
    // The unsafe lot expires first, so it is the one sales draw from (FEFO).
    const unsafe = await intake(t, agent, { ...at, quantity: 20, bestBefore: inDays(3) });
    await intake(t, agent, { ...at, quantity: 6, bestBefore: inDays(9) });

    const paidOpen = await paidCardOrder(2, "13800000001");
    const paidTaken = await paidCardOrder(3, "13800000002");
    await handOver(t, agent, paidTaken, false);
    const cashTaken = await cash(4, "13800000003");
    await handOver(t, agent, cashTaken, true);
    const cashOlder = await cash(3, "13800000004");
    const cashPacked = await cash(2, "13800000005");
    const packed = await t.request("POST", `/v1/orders/${cashPacked.id}/pack`, { token: warehouse });
    expect(packed.status, packed.text).toBe(200);
    const cashNewest = await cash(5, "13800000006");
    // Units left: 20 − 2 − 3 − 4 = 11 of the unsafe lot + 6 of the other; 3 + 2 + 5 = 10 held for cash orders.
    const stock = async () =>
      (await t.request("GET", `/v1/stock?productId=${w.egg.id}`, { token: warehouse })).json.locations.find(
        (l: { locationId: string }) => l.locationId === w.pointA.id,
      );
    expect(await stock()).toMatchObject({ onHand: 17, reserved: 10 });

    const headers = { "idempotency-key": "recall-egg-lot-1" };
    const body = { reason: "抽检沙门氏菌阳性 / salmonella in a sample" };
    const res = await t.request("POST", `/v1/lots/${unsafe}/block`, { token: warehouse, body, headers });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "blocked", onHand: 0, refundsNotSent: [] });

    // The paid order still at the point is refunded through Stripe, in full, once.
    expect(await statusOf(paidOpen.id)).toBe("refunded");
    const [paidPayment] = await t.db.db.select().from(payments).where(eq(payments.orderId, paidOpen.id));
    const refunds = [...state.refunds.values()].filter((r) => r.payment_intent === paidPayment!.providerRef);
    expect(refunds).toEqual([expect.objectContaining({ amount: paidOpen.totalFen })]);
    // The packed cash order may hold the lot's eggs; the newest unpacked one can no longer be covered.
    expect(await statusOf(cashPacked.id)).toBe("cancelled");
    expect(await statusOf(cashNewest.id)).toBe("cancelled");
    // The older one is still covered by the safe lot (first come, first served) and keeps its eggs.
    expect(await statusOf(cashOlder.id)).toBe("confirmed");
    expect(await statusOf(paidTaken.id)).toBe("picked_up");
    expect(await statusOf(cashTaken.id)).toBe("picked_up");
    // Only the safe lot's 6 eggs are on sale; 3 of them are held for the older cash order.
    expect(await stock()).toMatchObject({ onHand: 6, reserved: 3, available: 3 });
    expect(await allLedgerViolations(t.db.db)).toEqual({});

    const actions = Object.fromEntries(
      res.json.recall.orders.map((o: { orderId: string; action: string }) => [o.orderId, o.action]),
    );
    expect(actions).toEqual({
      [paidOpen.id]: "refunded",
      [cashPacked.id]: "cancelled",
      [cashNewest.id]: "cancelled",
      [paidTaken.id]: "handed_over",
      [cashTaken.id]: "handed_over",
    });
    const affected = [paidOpen, cashPacked, cashNewest, paidTaken, cashTaken].map((o) => o.id);
    const recallSms = await t.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.template, "lot_recall"), inArray(notifications.orderId, affected)));
    expect(recallSms.map((n) => n.orderId).sort()).toEqual([...affected].sort());

    // The same request again (a retry after a lost answer) replays the first answer and changes nothing.
    const snapshot = async () => ({
      statuses: await t.db.db.select({ id: orders.id, s: orders.status }).from(orders),
      sms: (await t.db.db.select().from(notifications)).length,
      refunds: state.refunds.size,
      touched: (await t.db.db.select().from(lotRecallOrders)).length,
      stock: await stock(),
    });
    const before = await snapshot();
    const replay = await t.request("POST", `/v1/lots/${unsafe}/block`, { token: warehouse, body, headers });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual(res.json);
    // A second recall of the same lot (another key, another person) answers the recall as it stands.
    const again = await t.request("POST", `/v1/lots/${unsafe}/block`, {
      token: warehouse,
      body: { reason: "再次召回 / again" },
      headers: { "idempotency-key": "recall-egg-lot-2" },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.json.recall).toEqual(res.json.recall);
    expect(await snapshot()).toEqual(before);

    // The trace names every affected buyer with a contact, those who already took it home included.
    const trace = await t.request("GET", `/v1/lots/${unsafe}/trace`, { token: warehouse });
    expect(trace.status).toBe(200);
    const traced = trace.json.recall.orders.map((o: { orderId: string; contactPhone: string }) => [
      o.orderId,
      o.contactPhone,
    ]);
    expect(traced).toHaveLength(5);
    expect(Object.fromEntries(traced)).toMatchObject({
      [paidTaken.id]: "13800000002",
      [cashTaken.id]: "13800000003",
      [cashNewest.id]: "13800000006",
    });
    // Audited once, with what it did to each order.
    const audits = await t.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, unsafe), eq(auditLog.action, "lot.block")));
    expect(audits).toHaveLength(1);
    expect((audits[0]!.data as { orders: unknown[] }).orders).toHaveLength(5);
    // Staff answers never carry the buyers' pickup codes.
    const code = await buyerPickupCode(t, cashOlder);
    expect(res.text).not.toContain(code);
    expect(trace.text).not.toContain(code);
  });

  it("recalls a lot that is sold out: the paid order still at the co-op is refunded, its jar recalled", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointB.id);
    const agentB = await t.loginAs(w.agentB.login, w.agentB.password);
    const lot = await intake(t, agentB, {
      consignorId: villager.id,
      productId: w.pickle.id,
      servicePointId: w.pointB.id,
      quantity: 1000,
      bestBefore: inDays(30),
    });
    const order = await pickupOrder(t, {
      productId: w.pickle.id,
      quantity: 1000,
      servicePointId: w.pointB.id,
      method: "card",
    });
    // Paid: drawn from the lot, which is now depleted.
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, order.id));
    const payload = JSON.stringify({
      id: `evt_recall_${++eventSeq}`,
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
    await t.request("POST", "/v1/webhooks/stripe", {
      body: payload,
      headers: { "stripe-signature": signature },
    });
    const res = await t.request("POST", `/v1/lots/${lot}/block`, {
      token: warehouse,
      body: { reason: "罐子漏气 / jar seal failed" },
    });
    expect(res.status, res.text).toBe(200);
    expect(await statusOf(order.id)).toBe("refunded");
    // The refunded jar came back into the lot and left sale with it: received, sold, returned, blocked.
    expect(res.json.movements.map((m: { kind: string }) => m.kind)).toEqual([
      "intake",
      "sale",
      "customer_return",
      "block",
    ]);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });
});
