import { coops, payments, stockLevels, stockMovements, webhookEvents } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";

const WEBHOOK_SECRET = "whsec_test_coop";
const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_coop",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/**
 * Online payment end to end, offline: the official Stripe SDK talks to msw handlers standing in for Stripe,
 * and webhook payloads are signed by the SDK's own test helper. Replays, out-of-order events and forged
 * signatures must never count a payment twice or lose one.
 */
describe.each(testDbKinds())("online payments and Stripe webhooks (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let villagerId = "";
  let adminToken = "";
  let eventSeq = 0;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    adminToken = await t.loginAs(w.admin.login, w.admin.password);
    const agent = await t.loginAs(w.agentA.login, w.agentA.password);
    villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id)).id;
    const lot = await t.request("POST", "/v1/lots", {
      token: agent,
      body: {
        consignorId: villagerId,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 200,
        bestBefore: inDays(9),
        qc: { passed: true },
      },
    });
    const run = await t.request("POST", "/v1/collections", {
      token: agent,
      body: { fromServicePointId: w.pointA.id, lotIds: [lot.json.id] },
    });
    const warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
      token: warehouse,
      body: { lines: [{ lotId: lot.json.id, receivedQuantity: 200 }] },
    });
  });
  afterEach(() => server.resetHandlers());
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  async function cardOrder(quantity = 10) {
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity }],
        fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
        payment: { method: "card" },
        contact: { name: "刘女士", phone: "13687654321" },
      },
    });
    expect(res.status, res.text).toBe(201);
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, res.json.id));
    return { ...res.json, intentId: payment!.providerRef as string };
  }

  function event(type: string, object: Record<string, unknown>) {
    return {
      id: `evt_test_${++eventSeq}`,
      object: "event",
      type,
      api_version: "2025-01-01",
      created: 1,
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: { object },
    };
  }
  const intentEvent = (type: string, intentId: string, amount: number, status: string) =>
    event(type, { id: intentId, object: "payment_intent", amount, currency: "cny", status, metadata: {} });
  const refundEvent = (intentId: string, amount: number) =>
    event("charge.refunded", {
      id: `ch_${intentId}`,
      object: "charge",
      amount,
      amount_refunded: amount,
      refunded: true,
      payment_intent: intentId,
    });

  async function deliver(payload: unknown, secret = WEBHOOK_SECRET) {
    const body = JSON.stringify(payload);
    const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    return t.request("POST", "/v1/webhooks/stripe", { body, headers: { "stripe-signature": signature } });
  }

  const orderStatus = async (o: { id: string; accessToken: string }) =>
    (await t.request("GET", `/v1/orders/${o.id}`, { headers: { authorization: `Bearer ${o.accessToken}` } }))
      .json;
  const saleLines = async (orderId: string) =>
    (
      await t.db.db
        .select()
        .from(stockMovements)
        .where(and(eq(stockMovements.orderId, orderId), eq(stockMovements.kind, "sale")))
    ).length;

  it("creates a PaymentIntent in fen with an expiry, and holds the stock meanwhile", async () => {
    const order = await cardOrder(10);
    expect(order).toMatchObject({
      status: "pending_payment",
      totalFen: 2000 + 1000,
      payment: { method: "card" },
    });
    expect(order.payment.clientSecret).toContain(order.intentId);
    expect(state.paymentIntents.get(order.intentId)).toMatchObject({
      amount: 3000,
      currency: "cny",
      metadata: { orderId: order.id },
    });
    expect(new Date(order.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const options = await t.request("GET", "/v1/checkout/options");
    expect(options.json.paymentMethods).toEqual(["cash_on_pickup", "card", "alipay", "wechat_pay"]);
  });

  it("replays an online order to a retry with its key: one order, one PaymentIntent, the same client secret", async () => {
    const intentsBefore = state.paymentIntents.size;
    const body = {
      items: [{ productId: w.egg.id, quantity: 2 }],
      fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
      payment: { method: "alipay" },
      contact: { name: "刘女士", phone: "13687654321" },
    };
    const headers = { "idempotency-key": "online-order-key-1" };
    const [a, b] = await Promise.all([
      t.request("POST", "/v1/orders", { body, headers }),
      t.request("POST", "/v1/orders", { body, headers }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json).toEqual(a.json);
    expect(a.json.payment.clientSecret).toMatch(/_secret_test$/);
    expect(state.paymentIntents.size).toBe(intentsBefore + 1);
  });

  it("cancels the order and frees its stock when Stripe refuses, and a retry with the same key then succeeds", async () => {
    const [before] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
    server.use(
      http.post(`${STRIPE_TEST_BASE}/v1/payment_intents`, () =>
        HttpResponse.json({ error: { type: "api_error", message: "down" } }, { status: 400 }),
      ),
    );
    const body = {
      items: [{ productId: w.egg.id, quantity: 3 }],
      fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
      payment: { method: "card" },
      contact: { name: "刘女士", phone: "13687654321" },
    };
    const headers = { "idempotency-key": "online-order-key-2" };
    const failed = await t.request("POST", "/v1/orders", { body, headers });
    expect(failed.status).toBe(503);
    expect(failed.json.error.code).toBe("PAYMENT_UNAVAILABLE");
    const [after] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
    expect(after!.reserved).toBe(before!.reserved);

    server.resetHandlers();
    const retried = await t.request("POST", "/v1/orders", { body, headers });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(retried.json.payment.clientSecret).toBeTruthy();
  });

  it("counts a payment once however often its event is delivered", async () => {
    const order = await cardOrder(10);
    const balanceBefore = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: adminToken })).json
      .balanceFen;
    const succeeded = intentEvent("payment_intent.succeeded", order.intentId, 3000, "succeeded");
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await deliver(succeeded));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.map((r) => r.json.duplicate)).toEqual([false, true, true, true, true]);
    // Five more deliveries at the same instant.
    const burst = await Promise.all(Array.from({ length: 5 }, () => deliver(succeeded)));
    expect(burst.every((r) => r.status === 200 && r.json.duplicate)).toBe(true);

    const now = await orderStatus(order);
    expect(now).toMatchObject({ status: "paid", payment: { status: "succeeded", paidFen: 3000 } });
    expect(await saleLines(order.id)).toBe(1);
    const balanceAfter = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: adminToken })).json
      .balanceFen;
    expect(balanceAfter - balanceBefore).toBe(1800); // 2000 of eggs at 10 %; the delivery fee is the co-op's
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("ignores a failure that arrives after the success", async () => {
    const order = await cardOrder(5);
    await deliver(intentEvent("payment_intent.succeeded", order.intentId, 2000, "succeeded"));
    const late = await deliver(
      intentEvent("payment_intent.payment_failed", order.intentId, 2000, "requires_payment_method"),
    );
    expect(late.status).toBe(200);
    expect(await orderStatus(order)).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
  });

  it("keeps a refund that arrives before the success: the order ends refunded, nothing sold, stock released", async () => {
    const [before] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
    const order = await cardOrder(6);
    await deliver(refundEvent(order.intentId, 2200));
    await deliver(intentEvent("payment_intent.succeeded", order.intentId, 2200, "succeeded"));
    await deliver(refundEvent(order.intentId, 2200));
    const now = await orderStatus(order);
    expect(now).toMatchObject({ status: "refunded", payment: { status: "refunded", refundedFen: 2200 } });
    expect(await saleLines(order.id)).toBe(0);
    const [after] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
    expect(after).toEqual(before);
  });

  it("refuses a bad signature with 400 and no effect", async () => {
    const order = await cardOrder(3);
    const payload = intentEvent("payment_intent.succeeded", order.intentId, 1600, "succeeded");
    const forged = await deliver(payload, "whsec_wrong_secret");
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe("INVALID_SIGNATURE");
    const unsigned = await t.request("POST", "/v1/webhooks/stripe", { body: payload });
    expect(unsigned.status).toBe(400);
    const tampered = JSON.stringify(payload);
    const signature = stripe.webhooks.generateTestHeaderString({ payload: tampered, secret: WEBHOOK_SECRET });
    const changed = await t.request("POST", "/v1/webhooks/stripe", {
      body: tampered.replace('"amount":1600', '"amount":1'),
      headers: { "stripe-signature": signature },
    });
    expect(changed.status).toBe(400);
    expect(await orderStatus(order)).toMatchObject({ status: "pending_payment" });
    const [seen] = await t.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookEvents)
      .where(eq(webhookEvents.eventId, payload.id));
    expect(seen!.n).toBe(0);
  });

  it("refunds through Stripe when staff cancel a paid order, returning the goods to their lot and reversing the credit", async () => {
    const order = await cardOrder(4);
    await deliver(intentEvent("payment_intent.succeeded", order.intentId, 1800, "succeeded"));
    const balanceBefore = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: adminToken })).json
      .balanceFen;
    const cancelled = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
      token: adminToken,
      body: { reason: "买家不要了" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({
      status: "refunded",
      payment: { status: "refunded", refundedFen: 1800 },
    });
    expect([...state.refunds.values()].filter((r) => r.payment_intent === order.intentId)).toHaveLength(1);
    const balanceAfter = (await t.request("GET", `/v1/consignors/${villagerId}`, { token: adminToken })).json
      .balanceFen;
    expect(balanceAfter - balanceBefore).toBe(-720);
    // Stripe's own charge.refunded for it changes nothing more.
    await deliver(refundEvent(order.intentId, 1800));
    expect(
      (await t.request("GET", `/v1/consignors/${villagerId}`, { token: adminToken })).json.balanceFen,
    ).toBe(balanceAfter);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("refunds a payment that succeeds after the order expired", async () => {
    const order = await cardOrder(2);
    const { expireOrder } = await import("../src/domain/orders/order-lifecycle");
    await t.db.db.execute(
      sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ${order.id}`,
    );
    await t.db.db.transaction((tx) => expireOrder(tx, order.id));
    expect((await orderStatus(order)).status).toBe("cancelled");
    await deliver(intentEvent("payment_intent.succeeded", order.intentId, 1400, "succeeded"));
    expect([...state.refunds.values()].filter((r) => r.payment_intent === order.intentId)).toHaveLength(1);
    expect(await orderStatus(order)).toMatchObject({ status: "cancelled", payment: { status: "refunded" } });
    expect(await saleLines(order.id)).toBe(0);
  });

  it("releases the stock of an unpaid order when it expires, through the job runner", async () => {
    const { startJobRunner } = await import("../src/jobs/runner");
    const pino = (await import("pino")).default;
    await t.db.db.update(coops).set({ unpaidOrderSeconds: 2 }).where(eq(coops.id, w.coop.id));
    const runner = await startJobRunner({
      handle: t.db,
      databaseUrl: t.db.url,
      stripe,
      logger: pino({ level: "silent" }),
      pollingIntervalSeconds: 0.5,
    });
    try {
      const [before] = await t.db.db
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
      const order = await cardOrder(8);
      await runner.queue.orderPlaced(order.id, new Date(order.expiresAt));
      const [held] = await t.db.db
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
      expect(held!.reserved).toBe(before!.reserved + 8);
      const deadline = Date.now() + 20_000;
      while ((await orderStatus(order)).status === "pending_payment" && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(await orderStatus(order)).toMatchObject({
        status: "cancelled",
        payment: { status: "canceled" },
      });
      const [after] = await t.db.db
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, w.egg.id), eq(stockLevels.locationId, w.warehouse.id)));
      expect(after).toEqual(before);
      expect(state.paymentIntents.get(order.intentId)!.status).toBe("canceled");
    } finally {
      await runner.stop();
      await t.db.db.update(coops).set({ unpaidOrderSeconds: 1800 }).where(eq(coops.id, w.coop.id));
    }
  }, 40_000);
});
