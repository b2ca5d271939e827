import { payments, stripeRefunds } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { eq, sql } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cancelOrder } from "../src/domain/orders/order-lifecycle";
import { retryDelayMinutes, sendOwedRefunds } from "../src/domain/payments/stripe-refunds";
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
const logger = pino({ level: "silent" });

/**
 * A refund the co-op owes is recorded with the order's refund, in one transaction, and sent to Stripe after
 * commit; whatever goes wrong in between (Stripe down, an answer lost, the process gone, two processes
 * sweeping) the buyer gets the money back exactly once.
 */
describe.each(testDbKinds())("refunds owed at Stripe (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let adminToken = "";
  let eventSeq = 0;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    adminToken = await t.loginAs(w.admin.login, w.admin.password);
    const agent = await t.loginAs(w.agentA.login, w.agentA.password);
    const villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id)).id;
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

  /** A card order for delivery, paid (the webhook confirmed it). */
  async function paidOrder(quantity: number) {
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
    const intentId = payment!.providerRef as string;
    const body = JSON.stringify({
      id: `evt_refunds_${kind}_${++eventSeq}`,
      object: "event",
      type: "payment_intent.succeeded",
      api_version: "2025-01-01",
      created: 1,
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: {
        object: {
          id: intentId,
          object: "payment_intent",
          amount: res.json.totalFen,
          currency: "cny",
          status: "succeeded",
          metadata: {},
        },
      },
    });
    const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    const hook = await t.request("POST", "/v1/webhooks/stripe", {
      body,
      headers: { "stripe-signature": signature },
    });
    expect(hook.status, hook.text).toBe(200);
    return { id: res.json.id as string, intentId, totalFen: res.json.totalFen as number };
  }

  const refundsAtStripe = (intentId: string) =>
    [...state.refunds.values()].filter((r) => r.payment_intent === intentId);
  const owed = async (orderId: string) =>
    t.db.db.select().from(stripeRefunds).where(eq(stripeRefunds.orderId, orderId));
  /** As if the retry delay had passed. */
  const makeDue = (orderId: string) =>
    t.db.db.execute(
      sql`UPDATE stripe_refunds SET next_attempt_at = now() - interval '1 second' WHERE order_id = ${orderId}`,
    );
  const sweep = () => sendOwedRefunds({ db: t.db.db, stripe, logger });
  const stripeDown = () =>
    server.use(
      http.post(`${STRIPE_TEST_BASE}/v1/refunds`, () =>
        HttpResponse.json(
          { error: { type: "api_error", message: "Stripe is having a bad day" } },
          { status: 503, headers: { "stripe-should-retry": "false" } },
        ),
      ),
    );

  it("keeps a refund Stripe could not take and sends it once when Stripe is back", async () => {
    const order = await paidOrder(3);
    stripeDown();
    const cancelled = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
      token: adminToken,
      body: { reason: "买家不要了" },
    });
    // The co-op's side is done and the staff member is not shown an error for Stripe's outage.
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ status: "refunded", payment: { status: "refunded" } });
    expect(refundsAtStripe(order.intentId)).toHaveLength(0);
    const [row] = await owed(order.id);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      amountFen: order.totalFen,
      idempotencyKey: `refund-${order.id}`,
    });
    expect(row!.lastError).toContain("bad day");
    // Not due yet: the sweep leaves it alone (backoff), even though Stripe is back.
    server.resetHandlers();
    expect((await sweep()).sent).not.toContain(`refund-${order.id}`);
    expect(refundsAtStripe(order.intentId)).toHaveLength(0);

    await makeDue(order.id);
    const outcome = await sweep();
    expect(outcome.sent).toContain(`refund-${order.id}`);
    expect(refundsAtStripe(order.intentId)).toHaveLength(1);
    expect(refundsAtStripe(order.intentId)[0]).toMatchObject({ amount: order.totalFen });
    const [sent] = await owed(order.id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(sent!.stripeRefundId).toMatch(/^re_/);

    // Sent is sent: later sweeps, even with the row made due, never ask again.
    await makeDue(order.id);
    await sweep();
    expect(refundsAtStripe(order.intentId)).toHaveLength(1);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("sends a refund whose process died after commit, once, with two processes sweeping at the same moment", async () => {
    const order = await paidOrder(2);
    // The refund is committed but Stripe is never asked (the process died right after the commit).
    await t.db.db.transaction((tx) =>
      cancelOrder(tx, order.id, { reason: "test: process died", byBuyer: false, actorUserId: w.admin.id }),
    );
    expect(await owed(order.id)).toMatchObject([{ status: "pending", attempts: 0 }]);
    const callsBefore = state.refundCalls;
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect([...a.sent, ...b.sent].filter((k) => k === `refund-${order.id}`)).toHaveLength(1);
    expect(state.refundCalls - callsBefore).toBe(1);
    expect(refundsAtStripe(order.intentId)).toHaveLength(1);
    expect(await owed(order.id)).toMatchObject([{ status: "sent", attempts: 1 }]);
  });

  it("asks again under the same key when Stripe's answer was lost, and Stripe answers with the first refund", async () => {
    const order = await paidOrder(2);
    // Stripe makes the refund, then the answer never arrives (a 502 from a proxy on the way back).
    let lost = 0;
    server.use(
      http.post(`${STRIPE_TEST_BASE}/v1/refunds`, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        const id = `re_lost_${kind}_${order.id}`;
        state.refunds.set(id, {
          id,
          object: "refund",
          amount: Number(form.get("amount")),
          payment_intent: form.get("payment_intent"),
          status: "succeeded",
        });
        state.refundByIdempotencyKey.set(request.headers.get("idempotency-key")!, id);
        lost++;
        return HttpResponse.json(
          { error: { type: "api_error", message: "bad gateway" } },
          { status: 502, headers: { "stripe-should-retry": "false" } },
        );
      }),
    );
    const cancelled = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
      token: adminToken,
      body: { reason: "买家不要了" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(lost).toBe(1);
    expect(await owed(order.id)).toMatchObject([{ status: "pending", attempts: 1 }]);
    server.resetHandlers();
    await makeDue(order.id);
    await sweep();
    // Asked twice, refunded once.
    expect(refundsAtStripe(order.intentId)).toHaveLength(1);
    expect(await owed(order.id)).toMatchObject([{ status: "sent", attempts: 2 }]);
  });

  it("stops asking when Stripe refuses the refund for good, and says so", async () => {
    const order = await paidOrder(1);
    server.use(
      http.post(`${STRIPE_TEST_BASE}/v1/refunds`, () =>
        HttpResponse.json(
          {
            error: {
              type: "invalid_request_error",
              code: "charge_already_refunded",
              message: "Charge has already been refunded.",
            },
          },
          { status: 400 },
        ),
      ),
    );
    const cancelled = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
      token: adminToken,
      body: { reason: "已在后台退款" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    const [row] = await owed(order.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row!.lastError).toContain("already been refunded");
    server.resetHandlers();
    await makeDue(order.id);
    const callsBefore = state.refundCalls;
    await sweep();
    expect(state.refundCalls).toBe(callsBefore);
  });

  it("refuses a second refund row for the same key and a refund of nothing, in the database itself", async () => {
    const order = await paidOrder(1);
    await t.db.db.transaction((tx) =>
      cancelOrder(tx, order.id, { reason: "test", byBuyer: false, actorUserId: w.admin.id }),
    );
    const [row] = await owed(order.id);
    await expect(t.db.db.insert(stripeRefunds).values({ ...row!, id: `${row!.id}x` })).rejects.toThrow();
    await expect(
      t.db.db
        .insert(stripeRefunds)
        .values({ ...row!, id: `${row!.id}y`, idempotencyKey: "k2", amountFen: 0 }),
    ).rejects.toThrow();
    await expect(
      t.db.db.update(stripeRefunds).set({ status: "sent" }).where(eq(stripeRefunds.id, row!.id)),
    ).rejects.toThrow();
    await sweep();
  });
});

describe("retry delay", () => {
  it("doubles from one minute and stops at an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });
});
