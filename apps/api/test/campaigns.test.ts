import {
  harvestCampaigns,
  notifications,
  orders,
  payments,
  stockLevels,
  stripeRefunds,
} from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { setupServer } from "msw/node";
import pino from "pino";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateCampaign } from "../src/domain/campaigns/allocate";
import { campaignState, harvestIsOver } from "../src/domain/campaigns/campaign-state";
import { finishCampaign, sweepCampaigns } from "../src/domain/campaigns/finish";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { makeConsignor, makeCoopWorld, makeProduct } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";
import { campaignViolations, reservationViolations } from "./reservation-checks";

const logger = pino({ level: "silent" });
const WEBHOOK_SECRET = "whsec_test_coop";
const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_coop",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};
const chinaDay = (offsetDays: number) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("a campaign's state", () => {
  const c = {
    opensAt: new Date("2027-03-01T00:00:00+08:00"),
    closesAt: new Date("2027-03-20T00:00:00+08:00"),
    harvestFrom: "2027-04-01",
    harvestTo: "2027-04-15",
    finishedAt: null,
  };
  it("follows its times and the China-time day", () => {
    expect(campaignState(c, new Date("2027-02-28T23:00:00+08:00"))).toBe("upcoming");
    expect(campaignState(c, new Date("2027-03-10T12:00:00+08:00"))).toBe("open");
    expect(campaignState(c, new Date("2027-03-25T12:00:00+08:00"))).toBe("closed");
    // 1 April begins at midnight in China, 16:00 UTC the day before.
    expect(campaignState(c, new Date("2027-03-31T16:30:00Z"))).toBe("harvesting");
    expect(campaignState({ ...c, finishedAt: new Date() }, new Date("2027-03-10T12:00:00+08:00"))).toBe(
      "finished",
    );
    expect(harvestIsOver(c, new Date("2027-04-15T23:59:00+08:00"))).toBe(false);
    expect(harvestIsOver(c, new Date("2027-04-16T00:01:00+08:00"))).toBe(true);
  });
});

/**
 * Issue 12, item 1: buyers pre-order up to what villagers pledged (and the cap), never above it under
 * concurrency; the harvest goes to pre-orders in placement order; the shortfall — the latest pre-orders — is
 * refunded (online, at Stripe through msw) or cancelled (cash) once each, with an SMS; villagers are told what
 * sold; stock, money and the campaign's counts stay consistent throughout.
 */
describe.each(testDbKinds())("harvest campaigns (%s)", (kind) => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  let t: TestApp;
  let stripe: Stripe;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let shootsId = "";
  let villagerA = "";
  let villagerB = "";
  let eventSeq = 0;
  const PRICE = 1800;

  const open = (body: Record<string, unknown> = {}, who = "admin") =>
    t.request("POST", "/v1/campaigns", {
      token: token[who],
      body: {
        productId: shootsId,
        title: { zh: "春笋预订", en: "Spring bamboo shoots, pre-order" },
        priceFen: PRICE,
        capUnits: 40,
        perOrderLimit: 3,
        perBuyerLimit: 3,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        harvestFrom: chinaDay(10),
        harvestTo: chinaDay(20),
        ...body,
      },
    });
  const pledge = (campaignId: string, consignorId: string, units: number, who = "agentA") =>
    t.request("POST", `/v1/campaigns/${campaignId}/pledges`, {
      token: token[who],
      body: { consignorId, units },
    });
  const preorder = (campaignId: string, phone: string, units = 1, method = "cash_on_pickup") =>
    t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: shootsId, quantity: units }],
        fulfilment: { type: "pickup", servicePointId: w.pointB.id },
        payment: { method },
        contact: { name: "预订的买家", phone },
        campaignId,
      },
    });
  /** Stripe says the intent succeeded, through the signed webhook. */
  const pay = async (orderId: string, totalFen: number) => {
    const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, orderId));
    const body = JSON.stringify({
      id: `evt_campaign_${kind}_${++eventSeq}`,
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
          amount: totalFen,
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
  };
  const campaignRow = async (id: string) =>
    (await t.db.db.select().from(harvestCampaigns).where(eq(harvestCampaigns.id, id)))[0]!;
  const closeNow = (id: string) =>
    t.db.db.execute(
      sql`UPDATE harvest_campaigns SET opens_at = now() - interval '2 hours', closes_at = now() - interval '1 second'
          WHERE id = ${id}`,
    );
  const invariants = async () => ({
    reservations: await reservationViolations(t.db.db),
    campaigns: await campaignViolations(t.db.db),
    ledgers: await allLedgerViolations(t.db.db),
  });
  const clean = { reservations: [], campaigns: [], ledgers: {} };
  /** The harvest as it really comes in: lots against the pledge at the point, collected to the warehouse. */
  const harvest = async (pledgeId: string, consignorId: string, units: number) => {
    const lot = await t.request("POST", "/v1/lots", {
      token: token.agentA,
      body: {
        consignorId,
        productId: shootsId,
        servicePointId: w.pointA.id,
        quantity: units * 500,
        bestBefore: chinaDay(5),
        qc: { passed: true },
        pledgeId,
      },
    });
    expect(lot.status, lot.text).toBe(201);
    const run = await t.request("POST", "/v1/collections", {
      token: token.agentA,
      body: { fromServicePointId: w.pointA.id, lotIds: [lot.json.id] },
    });
    expect(run.status, run.text).toBe(201);
    const received = await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
      token: token.warehouse,
      body: { lines: [{ lotId: lot.json.id, receivedQuantity: units * 500 }] },
    });
    expect(received.status, received.text).toBe(200);
    return lot.json.id as string;
  };

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    for (const who of ["admin", "agentA", "agentB"] as const)
      token[who] = await t.loginAs(w[who].login, w[who].password);
    token.warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    // Sold by the 500 g bundle (the product's default sale unit: priced per gram × 500).
    shootsId = (
      await makeProduct(t.db.db, w.coop.id, { unit: "gram", priceFen: 3, nameZh: "春笋", perishable: true })
    ).id;
    await t.db.db.execute(
      sql`UPDATE sale_units SET size = 500, price_fen = 1500 WHERE product_id = ${shootsId}`,
    );
    villagerA = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id)).id;
    villagerB = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id)).id;
  });
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  it("is opened by an admin only; nothing can be pre-ordered until villagers pledge", async () => {
    expect((await open({}, "agentA")).status).toBe(403);
    const backwards = await open({ harvestTo: chinaDay(5) });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.code).toBe("VALIDATION_FAILED");
    const res = await open();
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      state: "open",
      capUnits: 40,
      pledgedUnits: 0,
      left: 0,
      priceFen: PRICE,
    });
    const none = await preorder(res.json.id, "13800000001");
    expect(none.status, none.text).toBe(409);
    expect(none.json.error.code).toBe("OUT_OF_STOCK");
    expect(none.json.error.details.lines[0].available).toBe(0);
    expect((await t.request("GET", `/v1/campaigns/${res.json.id}`)).json.left).toBe(0);
  });

  it("takes pledges from the villager's own agent, and never below what is pre-ordered", async () => {
    const c = (await open({ capUnits: 10 })).json;
    expect((await pledge(c.id, villagerA, 6, "agentB")).status).toBe(403);
    const first = await pledge(c.id, villagerA, 6);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ pledgedUnits: 6, left: 6 });
    // A second pledge of the same villager changes it; the cap bounds what can be pre-ordered.
    expect((await pledge(c.id, villagerA, 8)).json).toMatchObject({ pledgedUnits: 8, left: 8 });
    expect((await pledge(c.id, villagerB, 5)).json).toMatchObject({ pledgedUnits: 13, left: 10 });
    for (const phone of ["13800000011", "13800000012", "13800000013"]) {
      expect((await preorder(c.id, phone, 3)).status).toBe(201);
    }
    const tooLow = await pledge(c.id, villagerA, 1);
    expect(tooLow.status, tooLow.text).toBe(409);
    expect(tooLow.json.error.code).toBe("INVALID_STATE");
    expect((await campaignRow(c.id)).pledgedUnits).toBe(13);
    const list = await t.request("GET", `/v1/campaigns/${c.id}/pledges`, { token: token.agentB });
    expect(list.json.items).toEqual([]);
    const mine = await t.request("GET", `/v1/campaigns/${c.id}/pledges`, { token: token.agentA });
    expect(mine.json.items.map((p: { units: number }) => p.units)).toEqual([8, 5]);
    expect(await invariants()).toEqual(clean);
  });

  it("refuses pre-orders outside the window, above the limits, in another product, or paid from earnings", async () => {
    const c = (await open({ perOrderLimit: 2, perBuyerLimit: 3 })).json;
    await pledge(c.id, villagerA, 30);
    const big = await preorder(c.id, "13800000021", 3);
    expect(big.status).toBe(409);
    expect(big.json.error.code).toBe("CAMPAIGN_ORDER_LIMIT");
    expect((await preorder(c.id, "13800000021", 2)).status).toBe(201);
    const again = await preorder(c.id, "13800000021", 2);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({
      code: "CAMPAIGN_BUYER_LIMIT",
      details: { limit: 3, already: 2 },
    });
    const other = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointB.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "买家", phone: "13800000022" },
        campaignId: c.id,
      },
    });
    expect(other.status).toBe(400);
    const later = (
      await open({
        opensAt: new Date(Date.now() + 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 7_200_000).toISOString(),
      })
    ).json;
    expect(later.state).toBe("upcoming");
    const early = await preorder(later.id, "13800000023");
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("CAMPAIGN_NOT_OPEN");
    const fromEarnings = await t.request("POST", "/v1/orders", {
      token: token.agentA,
      body: {
        items: [{ productId: shootsId, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "consignor_balance" },
        contact: { name: "村民", phone: "13800000024" },
        onBehalfOfConsignorId: villagerA,
        campaignId: c.id,
      },
    });
    expect(fromEarnings.status).toBe(400);
    expect(await invariants()).toEqual(clean);
  });

  it("never reserves above the cap or a buyer's limit, whoever arrives at once", async () => {
    const c = (await open({ capUnits: 25, perOrderLimit: 1, perBuyerLimit: 2 })).json;
    await pledge(c.id, villagerA, 30);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => preorder(c.id, `1390000${String(i).padStart(4, "0")}`)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(25);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.every((a) => a.status === 409 && a.json.error.code === "OUT_OF_STOCK")).toBe(true);
    expect((await campaignRow(c.id)).reservedUnits).toBe(25);

    const d = (await open({ capUnits: 25, perOrderLimit: 1, perBuyerLimit: 2 })).json;
    await pledge(d.id, villagerB, 25);
    const samePhone = await Promise.all(Array.from({ length: 6 }, () => preorder(d.id, "13911112222")));
    expect(samePhone.filter((a) => a.status === 201)).toHaveLength(2);
    expect(samePhone.filter((a) => a.json?.error?.code === "CAMPAIGN_BUYER_LIMIT")).toHaveLength(4);
    expect(await invariants()).toEqual(clean);
  });

  it("gives the harvest to pre-orders in the order they were placed, and refunds or cancels the rest once", async () => {
    const c = (await open({ capUnits: 12, perOrderLimit: 2, perBuyerLimit: 2 })).json;
    expect((await pledge(c.id, villagerA, 12)).status).toBe(200);
    const pledges = await t.request("GET", `/v1/campaigns/${c.id}/pledges`, { token: token.admin });
    const pledgeId = pledges.json.items[0].id as string;
    // 8 pre-orders of 2, 1, 2, 1, … units (12 in all), every other one paid online.
    const placed: { id: string; units: number; online: boolean; totalFen: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const units = i % 2 === 0 ? 2 : 1;
      const online = i % 3 === 1;
      const res = await preorder(
        c.id,
        `1370000${String(i).padStart(4, "0")}`,
        units,
        online ? "card" : "cash_on_pickup",
      );
      expect(res.status, res.text).toBe(201);
      expect(res.json.status).toBe(online ? "pending_payment" : "preordered");
      if (online) {
        await pay(res.json.id, res.json.totalFen);
        const [o] = await t.db.db.select().from(orders).where(eq(orders.id, res.json.id));
        expect(o!.status).toBe("preordered");
      }
      placed.push({ id: res.json.id, units, online, totalFen: res.json.totalFen });
    }
    expect(await invariants()).toEqual(clean);
    const full = await preorder(c.id, "13799999999");
    expect(full.json.error.code).toBe("OUT_OF_STOCK");

    // Nothing is at the warehouse yet: allocation waits, nothing changes.
    await closeNow(c.id);
    expect(await allocateCampaign(t.db.db, c.id)).toMatchObject({ allocatedOrders: 0, waiting: true });

    // 7 of the 12 units come in: the first orders that fit, whole, in placement order (2+1+2+1 = 6; the
    // fifth wants 2 and only 1 is left, so it and everything after it wait).
    await harvest(pledgeId, villagerA, 7);
    const [first, second] = await Promise.all([
      allocateCampaign(t.db.db, c.id),
      allocateCampaign(t.db.db, c.id),
    ]);
    expect(first.allocatedOrders + second.allocatedOrders).toBe(4);
    expect(first.allocatedUnits + second.allocatedUnits).toBe(6);
    const statusOf = async () =>
      (
        await t.db.db
          .select({ id: orders.id, status: orders.status })
          .from(orders)
          .where(eq(orders.campaignId, c.id))
          .orderBy(asc(orders.createdAt), asc(orders.id))
      ).map((o) => o.status);
    expect(await statusOf()).toEqual([
      "confirmed",
      "paid",
      "confirmed",
      "confirmed",
      "preordered",
      "preordered",
      "preordered",
      "preordered",
    ]);
    expect((await campaignRow(c.id)).allocatedUnits).toBe(6);
    expect(await invariants()).toEqual(clean);

    // The harvest window ends: the sweep of two processes at once finishes it once.
    await t.db.db.execute(
      sql`UPDATE harvest_campaigns SET harvest_from = ${chinaDay(-3)}, harvest_to = ${chinaDay(-1)} WHERE id = ${c.id}`,
    );
    const deps = { db: t.db.db, stripe, logger };
    const finished = await Promise.all([sweepCampaigns(deps), sweepCampaigns(deps)]);
    expect(finished[0]! + finished[1]!).toBe(1);
    expect(await statusOf()).toEqual([
      "confirmed",
      "paid",
      "confirmed",
      "confirmed",
      "refunded",
      "cancelled",
      "cancelled",
      "refunded",
    ]);
    const row = await campaignRow(c.id);
    expect(row).toMatchObject({ allocatedUnits: 6, shortfallUnits: 6 });
    expect(row.finishedAt).not.toBeNull();
    // Each short online pre-order is refunded in full at Stripe, once.
    const shortOnline = placed.slice(4).filter((p) => p.online);
    expect(shortOnline).toHaveLength(2);
    for (const p of shortOnline) {
      const owed = await t.db.db.select().from(stripeRefunds).where(eq(stripeRefunds.orderId, p.id));
      expect(owed).toHaveLength(1);
      expect(owed[0]!.amountFen).toBe(p.totalFen);
      const [payment] = await t.db.db.select().from(payments).where(eq(payments.orderId, p.id));
      expect(
        [...state.refunds.values()].filter((r) => r.payment_intent === payment!.providerRef),
      ).toHaveLength(1);
    }
    // Each buyer of the shortfall gets one SMS saying so; the villager is told what was pledged and sold.
    const sms = await t.db.db
      .select({ template: notifications.template, orderId: notifications.orderId, data: notifications.data })
      .from(notifications)
      .where(
        inArray(notifications.template, [
          "campaign_short_refunded",
          "campaign_short_cancelled",
          "campaign_allocated",
        ]),
      );
    const shortIds = placed.slice(4).map((p) => p.id);
    expect(
      sms
        .filter((n) => n.template !== "campaign_allocated")
        .map((n) => n.orderId)
        .sort(),
    ).toEqual([...shortIds].sort());
    expect(
      sms
        .filter((n) => n.template === "campaign_short_refunded")
        .map((n) => n.orderId)
        .sort(),
    ).toEqual(shortOnline.map((p) => p.id).sort());
    expect(sms.filter((n) => n.template === "campaign_allocated")).toHaveLength(4);
    const told = await t.db.db
      .select({ data: notifications.data })
      .from(notifications)
      .where(eq(notifications.template, "campaign_pledge_sold"));
    const villagerSms = told.map((n) => n.data as Record<string, number>).find((d) => d.delivered === 3500);
    // Pledged 12 × 500 g, delivered 7 × 500 g; the one paid allocated order (1 bundle) is sold so far.
    expect(villagerSms).toMatchObject({ pledged: 6000, delivered: 3500, sold: 500 });
    expect(villagerSms!.earnedFen).toBeGreaterThan(0);

    // Finishing again changes nothing; the admin is told it is finished.
    expect(await finishCampaign(deps, c.id)).toMatchObject({ finished: false, shortOrders: 0 });
    const again = await t.request("POST", `/v1/campaigns/${c.id}/finish`, { token: token.admin });
    expect(again.status).toBe(409);
    expect((await t.request("GET", `/v1/campaigns/${c.id}`)).json).toMatchObject({
      state: "finished",
      allocatedUnits: 6,
      shortfallUnits: 6,
    });
    const [level] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, shootsId), eq(stockLevels.locationId, w.warehouse.id)));
    // 7 bundles in, 1 sold (paid), 2+1+1 held for the cash orders, 1 left free for normal orders.
    expect(level).toMatchObject({ onHand: 6 * 500, reserved: 5 * 500 });
    expect(await invariants()).toEqual(clean);
  });
});
