import { consignorEntries, notifications, orderLines, payments } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
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
 * A paid (card) order whose eggs arrive two short at the point: staff give back the money for just those two,
 * the villager's credit for them is reversed, and the order is ready with what did arrive.
 */
describe.each(testDbKinds())("refunding the missing part of a paid order's short line (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  const refundKeys: string[] = [];
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let villagerId = "";
  let order = { id: "", accessToken: "", intentId: "", totalFen: 0 };
  let runId = "";
  let shortLineId = "";

  const balance = async () =>
    (await t.request("GET", `/v1/consignors/${villagerId}`, { token: token.admin })).json
      .balanceFen as number;
  const smsOf = (template: string) =>
    t.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.orderId, order.id), eq(notifications.template, template)));
  const stripeRefunds = () => [...state.refunds.values()].filter((r) => r.payment_intent === order.intentId);

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    server.events.on("request:start", ({ request }) => {
      if (new URL(request.url).pathname === "/v1/refunds")
        refundKeys.push(request.headers.get("idempotency-key") ?? "");
    });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointB.id, { name: "王大爷" })).id;
    const lotIds: string[] = [];
    for (const [productId, quantity] of [
      [w.egg.id, 50],
      [w.pickle.id, 2000],
    ] as const) {
      const lot = await t.request("POST", "/v1/lots", {
        token: token.agentB,
        body: {
          consignorId: villagerId,
          productId,
          servicePointId: w.pointB.id,
          quantity,
          bestBefore: inDays(20),
          qc: { passed: true },
        },
      });
      expect(lot.status, lot.text).toBe(201);
      lotIds.push(lot.json.id);
    }
    const collection = await t.request("POST", "/v1/collections", {
      token: token.agentB,
      body: { fromServicePointId: w.pointB.id, lotIds },
    });
    const received = await t.request("POST", `/v1/collections/${collection.json.id}/receive`, {
      token: token.warehouseUser,
      body: {
        lines: [
          { lotId: lotIds[0], receivedQuantity: 50 },
          { lotId: lotIds[1], receivedQuantity: 2000 },
        ],
      },
    });
    expect(received.status, received.text).toBe(200);

    const placed = await t.request("POST", "/v1/orders", {
      body: {
        items: [
          { productId: w.egg.id, quantity: 10 },
          { productId: w.pickle.id, quantity: 500 },
        ],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "card" },
        contact: { name: "赵阿姨", phone: "13755556666" },
      },
    });
    expect(placed.status, placed.text).toBe(201);
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, placed.json.id));
    order = {
      id: placed.json.id,
      accessToken: placed.json.accessToken,
      intentId: payment!.providerRef!,
      totalFen: placed.json.totalFen,
    };
    expect(order.totalFen).toBe(10 * 200 + 500 * 3);
    const succeeded = {
      id: "evt_paid_1",
      object: "event",
      type: "payment_intent.succeeded",
      api_version: "2025-01-01",
      created: 1,
      livemode: false,
      pending_webhooks: 1,
      request: null,
      data: {
        object: {
          id: order.intentId,
          object: "payment_intent",
          amount: order.totalFen,
          currency: "cny",
          status: "succeeded",
          metadata: {},
        },
      },
    };
    const body = JSON.stringify(succeeded);
    const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    const hook = await t.request("POST", "/v1/webhooks/stripe", {
      body,
      headers: { "stripe-signature": signature },
    });
    expect(hook.status, hook.text).toBe(200);

    const built = await t.request("POST", "/v1/delivery-runs", {
      token: token.warehouseUser,
      body: { servicePointId: w.pointA.id },
    });
    expect(built.status, built.text).toBe(201);
    runId = built.json.items[0].id;
    const dispatched = await t.request("POST", `/v1/delivery-runs/${runId}/dispatch`, {
      token: token.warehouseUser,
    });
    expect(dispatched.status, dispatched.text).toBe(200);
    const eggLine = dispatched.json.lines.find((l: { productId: string }) => l.productId === w.egg.id);
    expect(eggLine).toMatchObject({ goods: "sold", quantity: 10 });
    shortLineId = eggLine.id;
    const counted = await t.request("POST", `/v1/delivery-runs/${runId}/receive`, {
      token: token.agentA,
      body: {
        lines: [{ lineId: shortLineId, receivedQuantity: 8, discrepancyKind: "broken", note: "压碎了" }],
      },
    });
    expect(counted.status, counted.text).toBe(200);
    expect(counted.json.readyOrderIds).toEqual([]);
  });
  afterEach(() => server.resetHandlers());
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  it("is for warehouse staff or admins only", async () => {
    const byAgent = await t.request("POST", `/v1/delivery-runs/${runId}/lines/${shortLineId}/refund`, {
      token: token.agentA,
    });
    expect(byAgent.status).toBe(403);
    expect(stripeRefunds()).toHaveLength(0);
  });

  it("refunds exactly the two missing eggs, reverses their credit, and makes the order ready once", async () => {
    const before = await balance();
    const path = `/v1/delivery-runs/${runId}/lines/${shortLineId}/refund`;
    const headers = { "idempotency-key": "refund-part-key-1" };
    const res = await t.request("POST", path, { token: token.warehouseUser, headers });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ refundedFen: 400, refundSent: true, orderReady: true });
    expect(res.json.lines.find((l: { id: string }) => l.id === shortLineId)).toMatchObject({
      quantityReceived: 8,
      resolution: "refunded",
    });

    expect(stripeRefunds()).toEqual([expect.objectContaining({ amount: 400 })]);
    expect(refundKeys).toEqual([`refund-line-${shortLineId}`]);
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(payment).toMatchObject({
      status: "partially_refunded",
      refundedFen: 400,
      amountFen: order.totalFen,
    });
    const view = await t.request("GET", `/v1/orders/${order.id}`, { token: token.admin });
    expect(view.json).toMatchObject({ status: "ready_for_pickup", totalFen: order.totalFen - 400 });
    const lines = await t.db.db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    expect(lines.find((l) => l.productId === w.egg.id)).toMatchObject({ quantity: 8, lineTotalFen: 1600 });
    expect(lines.find((l) => l.productId === w.pickle.id)).toMatchObject({ quantity: 500 });

    // Eggs sell at 200 fen with the co-op's 10 %: the villager had 180 a piece, so 360 goes back.
    expect(await balance()).toBe(before - 360);
    const reversals = await t.db.db
      .select()
      .from(consignorEntries)
      .where(and(eq(consignorEntries.orderId, order.id), eq(consignorEntries.kind, "sale_reversal")));
    expect(reversals).toEqual([expect.objectContaining({ amountFen: -360, quantity: 2 })]);
    const statement = await t.request("GET", `/v1/consignors/${villagerId}/statement`, {
      token: token.admin,
    });
    expect(statement.status, statement.text).toBe(200);
    expect(statement.json.closingFen).toBe(await balance());
    expect(statement.json.lines.at(-1)).toMatchObject({ amountFen: -360, quantity: 2 });

    expect(await smsOf("order_part_refunded")).toEqual([
      expect.objectContaining({
        recipient: "13755556666",
        data: expect.objectContaining({ amountFen: 400 }),
      }),
    ]);
    expect(await smsOf("order_ready_for_pickup")).toHaveLength(1);

    const replay = await t.request("POST", path, { token: token.warehouseUser, headers });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const again = await t.request("POST", path, { token: token.admin });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("INVALID_STATE");
    const resend = await t.request("POST", `/v1/delivery-runs/${runId}/lines/${shortLineId}/resend`, {
      token: token.warehouseUser,
    });
    expect(resend.status).toBe(409);
    expect(stripeRefunds()).toHaveLength(1);
    expect(await smsOf("order_part_refunded")).toHaveLength(1);
    expect(await smsOf("order_ready_for_pickup")).toHaveLength(1);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("cancelling the order afterwards refunds only the rest and reverses only the rest of the credit", async () => {
    const before = await balance();
    const cancelled = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
      token: token.admin,
      body: { reason: "买家不要了" },
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.payment).toMatchObject({ status: "refunded", refundedFen: order.totalFen });
    expect(stripeRefunds().map((r) => r.amount)).toEqual([400, order.totalFen - 400]);
    // The villager's only sale was this order: every credit is reversed exactly once, the 2 eggs not twice.
    const entries = await t.db.db
      .select()
      .from(consignorEntries)
      .where(eq(consignorEntries.orderId, order.id));
    const credited = entries.filter((e) => e.kind === "sale_credit").reduce((s, e) => s + e.amountFen, 0);
    const eggReversals = entries.filter((e) => e.kind === "sale_reversal" && e.quantity !== 500);
    expect(eggReversals.map((e) => [e.quantity, e.amountFen])).toEqual([
      [2, -360],
      [8, -1440],
    ]);
    expect(before).toBe(credited - 360);
    expect(await balance()).toBe(0);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });
});
