import { idempotencyKeys, orders, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { http } from "msw";
import { setupServer } from "msw/node";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RESUME_AFTER_MS } from "../src/domain/orders/place-order";
import { releaseStalledOrders, STALLED_AFTER_MS } from "../src/domain/orders/stalled-orders";
import { recordMovement } from "../src/domain/stock/ledger";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { makeCoopWorld, makeProduct } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";

const stripeEnv = { STRIPE_SECRET_KEY: "sk_test_coop", STRIPE_API_BASE: STRIPE_TEST_BASE };

/**
 * Issue 14, point 4: an online order whose process died while waiting for Stripe. The process "dies" here by
 * Stripe never answering its first request; the retry arrives after the first is taken for dead. It must
 * resume the same order with the same PaymentIntent, and an order nobody resumes must give its stock back
 * within minutes, not at its expiry half an hour later.
 */
describe.each(testDbKinds())("an online order whose process died mid-way (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let productId = "";

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    productId = (await makeProduct(t.db.db, w.coop.id, { kind: "supply", unit: "bag", priceFen: 16_800 })).id;
    await recordMovement(t.db.db, {
      productId,
      locationId: w.warehouse.id,
      lotId: null,
      kind: "count_adjustment",
      quantityDelta: 50,
      reason: "test stock",
    });
  });
  afterEach(() => server.resetHandlers());
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  /** Stripe's first PaymentIntent request hangs until `release()`; then it is answered as usual. */
  function stripeHangsOnce() {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.use(
      http.post(
        `${STRIPE_TEST_BASE}/v1/payment_intents`,
        async () => {
          await gate;
          // Nothing returned: msw passes the request on to the ordinary fake Stripe handler.
        },
        { once: true },
      ),
    );
    return release;
  }

  const body = (phone: string) => ({
    items: [{ productId, quantity: 2 }],
    fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
    payment: { method: "wechat_pay" },
    contact: { name: "刘女士", phone },
  });

  async function waitForClaim(key: string) {
    for (let i = 0; i < 200; i++) {
      const [row] = await t.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
      if (row?.resourceId) return row;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the first request never placed its order");
  }

  /** Makes the first request look as old as a dead one: its key and its order placed `ms` ago. */
  async function age(key: string, orderId: string, ms: number) {
    const then = new Date(Date.now() - ms);
    await t.db.db.update(idempotencyKeys).set({ createdAt: then }).where(eq(idempotencyKeys.key, key));
    await t.db.db.update(orders).set({ createdAt: then }).where(eq(orders.id, orderId));
  }

  const reserved = async () =>
    (
      await t.db.db
        .select({ reserved: stockLevels.reserved })
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, w.warehouse.id)))
    )[0]!.reserved;

  it("resumes the first order on a retry after the first request died: one order, one PaymentIntent", async () => {
    const key = "resume-order-key-1";
    const headers = { "idempotency-key": key };
    const phone = "13600000001";
    const reservedBefore = await reserved();
    const createsBefore = state.createCalls;
    const release = stripeHangsOnce();
    const first = t.request("POST", "/v1/orders", { body: body(phone), headers });
    const claim = await waitForClaim(key);
    await age(key, claim.resourceId!, RESUME_AFTER_MS + 1_000);

    const retry = await t.request("POST", "/v1/orders", { body: body(phone), headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).toBe(claim.resourceId);
    expect(retry.json.status).toBe("pending_payment");
    expect(retry.json.payment.clientSecret).toMatch(/_secret_test$/);

    // The "dead" request wakes up after all: Stripe answers it with the very same intent.
    release();
    const late = await first;
    expect(late.status).toBe(201);
    expect(late.json.payment.clientSecret).toBe(retry.json.payment.clientSecret);

    const placed = await t.db.db.select().from(orders).where(eq(orders.contactPhone, phone));
    expect(placed.map((o) => o.id)).toEqual([claim.resourceId]);
    expect(state.createCalls - createsBefore).toBe(1);
    expect(await reserved()).toBe(reservedBefore + 2);
    const replay = await t.request("POST", "/v1/orders", { body: body(phone), headers });
    expect(replay.json).toEqual(retry.json);
  });

  it("waits for a first request that may still be running instead of resuming it", async () => {
    const key = "resume-order-key-2";
    const headers = { "idempotency-key": key };
    const release = stripeHangsOnce();
    const first = t.request("POST", "/v1/orders", { body: body("13600000002"), headers });
    const claim = await waitForClaim(key);
    const retry = t.request("POST", "/v1/orders", { body: body("13600000002"), headers });
    await new Promise((r) => setTimeout(r, 300));
    release();
    const [a, b] = await Promise.all([first, retry]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json).toEqual(a.json);
    expect(a.json.id).toBe(claim.resourceId);
  });

  it("releases a stalled order's stock within minutes and cancels its intent; a later retry places anew", async () => {
    const key = "resume-order-key-3";
    const headers = { "idempotency-key": key };
    const phone = "13600000003";
    const reservedBefore = await reserved();
    const release = stripeHangsOnce();
    const first = t.request("POST", "/v1/orders", { body: body(phone), headers });
    const claim = await waitForClaim(key);
    expect(await reserved()).toBe(reservedBefore + 2);

    // Not yet: a first request younger than the stall limit is left alone.
    const deps = { db: t.db.db, stripe, logger: pino({ level: "silent" }) };
    await age(key, claim.resourceId!, STALLED_AFTER_MS - 10_000);
    expect(await releaseStalledOrders(deps)).toBe(0);
    await age(key, claim.resourceId!, STALLED_AFTER_MS + 1_000);
    expect(await releaseStalledOrders(deps)).toBe(1);
    expect(await releaseStalledOrders(deps)).toBe(0); // once only

    const [stalled] = await t.db.db.select().from(orders).where(eq(orders.id, claim.resourceId!));
    expect(stalled!.status).toBe("cancelled");
    expect(await reserved()).toBe(reservedBefore);
    // The intent the sweep found (or made) under the order's own key is cancelled: nobody can pay it.
    const intentId = state.intentByIdempotencyKey.get(`pi-${claim.resourceId}`);
    expect(state.paymentIntents.get(intentId!)?.status).toBe("canceled");

    // The buyer's retry now places a new order (the first one is gone), holding stock once.
    const retry = await t.request("POST", "/v1/orders", { body: body(phone), headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).not.toBe(claim.resourceId);
    expect(await reserved()).toBe(reservedBefore + 2);
    release();
    await first;
    const open = await t.db.db.execute(
      sql`SELECT count(*)::int AS n FROM orders WHERE contact_phone = ${phone} AND status = 'pending_payment'`,
    );
    const n = (Array.isArray(open) ? open : (open as { rows: Array<{ n: number }> }).rows)[0].n;
    expect(n).toBe(1);
  });
});
