import { createDb, type DbHandle } from "@coop/db";
import { auditLog, outgoingEvents, webhookDeliveries, webhookEndpoints } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { WEBHOOK_EVENT_TYPES } from "@coop/shared";
import {
  signWebhookPayload,
  verifyWebhookSignature,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "@coop/shared/webhook-signature";
import { and, eq, inArray, sql } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  deliverWebhooks,
  retryDelaySeconds,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from "../src/domain/outgoing-webhooks/deliver";
import { isPrivateAddress, webhookUrlProblem } from "../src/domain/outgoing-webhooks/url-rules";
import { postConsignorEntry } from "../src/domain/settlement/consignor-ledger";
import { makeConsignor, makeCoopWorld, takeInStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const RECEIVER = "https://receiver.test";
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

interface Received {
  hook: string;
  body: string;
  signature: string | null;
  eventId: string | null;
}

/**
 * Issue 13, item 4: events recorded with the change they describe, signed like Stripe's, retried with backoff
 * until the receiver answers 2xx, then never again; each due delivery sent once however many senders run.
 */
describe.each(testDbKinds())("outgoing webhooks (%s)", (kind) => {
  let t: TestApp;
  const received: Received[] = [];
  /** What each receiver (the last path segment) answers to its n-th request (1-based); 200 by default. */
  const answers = new Map<string, (n: number) => number>();
  const server = setupServer(
    http.post(`${RECEIVER}/:hook`, async ({ request, params }) => {
      const hook = String(params.hook);
      const body = await request.text();
      received.push({
        hook,
        body,
        signature: request.headers.get(WEBHOOK_SIGNATURE_HEADER),
        eventId: request.headers.get(WEBHOOK_EVENT_ID_HEADER),
      });
      // A receiver that takes a moment, as a network call would: two senders really overlap.
      await new Promise((r) => setTimeout(r, 5));
      const n = received.filter((r) => r.hook === hook).length;
      const status = answers.get(hook)?.(n) ?? 200;
      return HttpResponse.json({ ok: status < 300 }, { status });
    }),
  );

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    t = await createTestApp(kind);
  });
  afterEach(() => {
    server.resetHandlers();
  });
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  const deliver = (db = t.db.db) => deliverWebhooks({ db, logger, allowPrivateAddresses: true });
  const forHook = (hook: string) => received.filter((r) => r.hook === hook);
  /** Makes every waiting delivery due now, as if its backoff had passed. */
  const makeDue = () =>
    t.db.db.execute(
      sql`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE status IN ('pending', 'failed')`,
    );

  /** A co-op of its own for each test, its staff logged in, so tests never see each other's events. */
  async function world() {
    const w = await makeCoopWorld(t.db.db);
    const token = {
      admin: await t.loginAs(w.admin.login, w.admin.password),
      agentA: await t.loginAs(w.agentA.login, w.agentA.password),
    };
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    const register = async (hook: string, events: readonly string[] = WEBHOOK_EVENT_TYPES) => {
      const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
        token: token.admin,
        body: { url: `${RECEIVER}/${hook}`, events, description: `test ${hook}` },
      });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; secret: string };
    };
    const takeIn = async (quantity = 100, passed = true) => {
      const res = await t.request("POST", "/v1/lots", {
        token: token.agentA,
        body: {
          consignorId: villager.id,
          productId: w.egg.id,
          servicePointId: w.pointA.id,
          quantity,
          bestBefore: inDays(10),
          qc: passed ? { passed: true } : { passed: false, reason: "蛋壳破裂" },
        },
      });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    return { w, token, villager, register, takeIn };
  }

  it("sends an event to a receiver that fails twice exactly once more, signed, and never again", async () => {
    const { register, takeIn, token } = await world();
    const endpoint = await register("fails-twice", ["lot.received"]);
    answers.set("fails-twice", (n) => (n <= 2 ? 500 : 200));
    const lotId = await takeIn();

    expect(await deliver()).toMatchObject({ succeeded: 0, failed: 1 });
    const [afterFirst] = await t.db.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(afterFirst).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 500 });
    expect(afterFirst!.lastError).toContain("HTTP 500");
    // The first retry waits 30 s (and up to 10% more): running again now sends nothing.
    const wait = afterFirst!.nextAttemptAt!.getTime() - afterFirst!.lastAttemptAt!.getTime();
    expect(wait).toBeGreaterThanOrEqual(29_000);
    expect(wait).toBeLessThan(34_000);
    await deliver();
    expect(forHook("fails-twice")).toHaveLength(1);

    await makeDue();
    expect(await deliver()).toMatchObject({ failed: 1 });
    await makeDue();
    expect(await deliver()).toMatchObject({ succeeded: 1 });

    const got = forHook("fails-twice");
    expect(got).toHaveLength(3);
    for (const r of got) {
      expect(verifyWebhookSignature(endpoint.secret, r.signature, r.body).valid).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ type: "lot.received", data: { lotId, quantity: 100 } });
    }
    // The same event each time: one id, in the header and the body.
    const ids = new Set(got.map((r) => r.eventId));
    expect(ids.size).toBe(1);
    expect(JSON.parse(got[0]!.body).id).toBe(got[0]!.eventId);

    const log = await t.request("GET", `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries`, {
      token: token.admin,
    });
    expect(log.status, log.text).toBe(200);
    expect(log.json.items).toHaveLength(1);
    expect(log.json.items[0]).toMatchObject({
      eventId: got[0]!.eventId,
      eventType: "lot.received",
      entityId: lotId,
      status: "succeeded",
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(log.json.items[0].deliveredAt).not.toBeNull();

    // Succeeded is final: due or not, it is never sent again.
    await makeDue();
    expect(await deliver()).toEqual({ succeeded: 0, failed: 0, abandoned: 0 });
    expect(forHook("fails-twice")).toHaveLength(3);
    const retry = await t.request(
      "POST",
      `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries/${log.json.items[0].id}/retry`,
      { token: token.admin },
    );
    expect(retry.status).toBe(409);
    expect(retry.json.error.code).toBe("INVALID_STATE");
  });

  it("signs so that an altered body or a stale timestamp fails verification", async () => {
    const { register, takeIn } = await world();
    const endpoint = await register("verify", ["lot.received"]);
    await takeIn(7);
    await deliver();
    const [r] = forHook("verify");
    expect(r).toBeDefined();
    const t0 = Number(/^t=(\d+),/.exec(r!.signature!)![1]);
    expect(Math.abs(t0 - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhookSignature(endpoint.secret, r!.signature, r!.body)).toEqual({
      valid: true,
      timestamp: t0,
    });
    const altered = r!.body.replace('"quantity":7', '"quantity":700');
    expect(altered).not.toBe(r!.body);
    expect(verifyWebhookSignature(endpoint.secret, r!.signature, altered)).toMatchObject({ valid: false });
    expect(verifyWebhookSignature("whsec_someone_else", r!.signature, r!.body).valid).toBe(false);
    // Replayed ten minutes later: refused though the signature is right.
    expect(verifyWebhookSignature(endpoint.secret, r!.signature, r!.body, 300, (t0 + 600) * 1000)).toEqual({
      valid: false,
      reason: "stale",
    });
    // Re-signed with a fresh time by someone without the secret: refused.
    const forged = signWebhookPayload("whsec_guess", r!.body);
    expect(verifyWebhookSignature(endpoint.secret, forged, r!.body).valid).toBe(false);
  });

  it("records each event once, in the transaction of the change, for every writer", async () => {
    const { w, token, villager, register, takeIn } = await world();
    const endpoint = await register("all-events");
    const events = async () =>
      t.db.db
        .select({
          type: outgoingEvents.type,
          entityId: outgoingEvents.entityId,
          payload: outgoingEvents.payload,
        })
        .from(outgoingEvents)
        .where(eq(outgoingEvents.coopId, w.coop.id));

    // Taken in (POST /v1/lots): lot.received; a lot refused at the quality check is not taken in.
    const lotId = await takeIn(200);
    await takeIn(5, false);

    // Placed by the place_order SQL function, ready at the point, handed over for cash: three events.
    const placed = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 3 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "王女士", phone: "13800001111" },
      },
    });
    expect(placed.status, placed.text).toBe(201);
    const cashOrder = placed.json as { id: string; pickupCode: string; totalFen: number };
    const ready = await t.request("POST", `/v1/orders/${cashOrder.id}/dispatch`, { token: token.agentA });
    expect(ready.status, ready.text).toBe(200);
    const handed = await t.request("POST", `/v1/orders/${cashOrder.id}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: cashOrder.pickupCode, cashReceivedFen: cashOrder.totalFen },
    });
    expect(handed.status, handed.text).toBe(200);

    // An assisted order paid from the villager's earnings (帮代办): placed and paid.
    await t.db.db.transaction((tx) =>
      postConsignorEntry(tx, {
        consignorId: villager.id,
        kind: "adjustment",
        amountFen: 50_000,
        note: "test balance",
      }),
    );
    const assisted = await t.request("POST", "/v1/orders", {
      token: token.agentA,
      body: {
        items: [{ productId: w.egg.id, quantity: 2 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "consignor_balance" },
        contact: { name: villager.name, phone: villager.phone },
        onBehalfOf: { consignorId: villager.id },
      },
    });
    expect(assisted.status, assisted.text).toBe(201);

    // Paid out at the point: payout.made.
    const payout = await t.request("POST", "/v1/payouts", {
      token: token.agentA,
      body: { consignorId: villager.id, amountFen: 1_000, method: "cash" },
    });
    expect(payout.status, payout.text).toBe(201);

    // A change that rolls back leaves no event: a payout larger than the balance.
    const refused = await t.request("POST", "/v1/payouts", {
      token: token.agentA,
      body: { consignorId: villager.id, amountFen: 10_000_000, method: "cash" },
    });
    expect(refused.status).toBe(409);

    const recorded = await events();
    const key = (e: { type: string; entityId: string }) => `${e.type} ${e.entityId}`;
    expect(recorded.map(key).sort()).toEqual(
      [
        `lot.received ${lotId}`,
        `order.placed ${cashOrder.id}`,
        `order.ready_for_pickup ${cashOrder.id}`,
        `order.collected ${cashOrder.id}`,
        `order.placed ${assisted.json.id}`,
        `order.paid ${assisted.json.id}`,
        `payout.made ${payout.json.id}`,
      ].sort(),
    );
    const byKey = new Map(recorded.map((e) => [key(e), e.payload as Record<string, unknown>]));
    expect(byKey.get(`order.collected ${cashOrder.id}`)).toMatchObject({
      orderId: cashOrder.id,
      status: "picked_up",
      previousStatus: "ready_for_pickup",
      totalFen: cashOrder.totalFen,
      paymentMethod: "cash_on_pickup",
      pickupServicePointId: w.pointA.id,
    });
    expect(byKey.get(`payout.made ${payout.json.id}`)).toMatchObject({
      payoutId: payout.json.id,
      consignorId: villager.id,
      amountFen: 1_000,
      method: "cash",
    });
    expect(byKey.get(`lot.received ${lotId}`)).toMatchObject({ lotNo: expect.any(String), quantity: 200 });
    for (const payload of byKey.values()) expect(String(payload.at)).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    // All of them reach the receiver, once each.
    await deliver();
    const got = forHook("all-events").map((r) => JSON.parse(r.body) as { type: string; data: unknown });
    expect(got.map((e) => e.type).sort()).toEqual(recorded.map((e) => e.type).sort());
    const rows = await t.db.db
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(rows.map((r) => r.status)).toEqual(recorded.map(() => "succeeded"));
  });

  it("records nothing for types no endpoint asked for, nor after the endpoint is disabled", async () => {
    const { w, token, register, takeIn } = await world();
    const endpoint = await register("payouts-only", ["payout.made"]);
    await takeIn(10);
    const count = async () =>
      (await t.db.db.select().from(outgoingEvents).where(eq(outgoingEvents.coopId, w.coop.id))).length;
    expect(await count()).toBe(0);

    // Waiting deliveries of a disabled endpoint are abandoned, and new events are not recorded for it.
    const lots = await register("lots-then-off", ["lot.received"]);
    answers.set("lots-then-off", () => 503);
    await takeIn(11);
    await deliver();
    const off = await t.request("POST", `/v1/admin/webhook-endpoints/${lots.id}/disable`, {
      token: token.admin,
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ id: lots.id, enabled: false });
    expect(off.json.disabledAt).not.toBeNull();
    const again = await t.request("POST", `/v1/admin/webhook-endpoints/${lots.id}/disable`, {
      token: token.admin,
    });
    expect(again.json.disabledAt).toBe(off.json.disabledAt);
    const [waiting] = await t.db.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, lots.id));
    expect(waiting).toMatchObject({ status: "abandoned", attempts: 1, lastError: "endpoint disabled" });
    await takeIn(12);
    expect(await count()).toBe(1);
    await makeDue();
    await deliver();
    expect(forHook("lots-then-off")).toHaveLength(1);
    const audits = await t.db.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(inArray(auditLog.entityId, [endpoint.id, lots.id]));
    expect(audits.map((a) => a.action).sort()).toEqual([
      "webhook_endpoint.create",
      "webhook_endpoint.create",
      "webhook_endpoint.disable",
    ]);
  });

  it("abandons a delivery after its last try; the admin can send it once more", async () => {
    const { token, register, takeIn } = await world();
    const endpoint = await register("abandon", ["lot.received"]);
    let down = true;
    answers.set("abandon", () => (down ? 500 : 204));
    await takeIn(3);
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS; i++) {
      await makeDue();
      await deliver();
    }
    expect(forHook("abandon")).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    const log = await t.request("GET", `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries`, {
      token: token.admin,
    });
    const [item] = log.json.items;
    expect(item).toMatchObject({ status: "abandoned", attempts: WEBHOOK_MAX_ATTEMPTS, nextAttemptAt: null });
    await makeDue();
    await deliver();
    expect(forHook("abandon")).toHaveLength(WEBHOOK_MAX_ATTEMPTS);

    down = false;
    const retry = await t.request(
      "POST",
      `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries/${item.id}/retry`,
      { token: token.admin },
    );
    expect(retry.status, retry.text).toBe(202);
    expect(await deliver()).toMatchObject({ succeeded: 1 });
    const [row] = await t.db.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, item.id));
    expect(row).toMatchObject({
      status: "succeeded",
      attempts: WEBHOOK_MAX_ATTEMPTS + 1,
      lastStatusCode: 204,
    });
  });

  it("delivers each due delivery once with two senders running at the same time", async () => {
    const { w, register } = await world();
    await register("busy", ["lot.received"]);
    // 45 lots written straight to the table (not through the API): the trigger sees every writer.
    for (let i = 0; i < 45; i++) {
      await takeInStock(t.db.db, w.coop.id, {
        productId: w.egg.id,
        locationId: w.pointA.id,
        quantity: 1 + i,
      });
    }
    // On a server the second sender has its own pool, as another API process would; PGlite has one connection.
    let other: DbHandle | undefined;
    if (t.db.url) other = await createDb({ databaseUrl: t.db.url, maxConnections: 4 });
    try {
      const [a, b] = await Promise.all([deliver(), deliver(other?.db ?? t.db.db)]);
      expect(a.succeeded).toBeGreaterThan(0);
      expect(b.succeeded).toBeGreaterThan(0);
      expect(a.succeeded + b.succeeded).toBe(45);
    } finally {
      await other?.close();
    }
    const got = forHook("busy");
    expect(got).toHaveLength(45);
    expect(new Set(got.map((r) => r.eventId)).size).toBe(45);
    const quantities = got.map((r) => (JSON.parse(r.body) as { data: { quantity: number } }).data.quantity);
    expect(quantities.sort((x, y) => x - y)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
  });

  it("lets only the co-op's admin register, list, disable and read the log", async () => {
    const mine = await world();
    const theirs = await world();
    const endpoint = await mine.register("scoped", ["order.paid"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const body = { url: `${RECEIVER}/x`, events: ["order.paid"] };

    const anonymous = await t.request("POST", "/v1/admin/webhook-endpoints", { body });
    expect(anonymous.status).toBe(401);
    const agent = await t.request("POST", "/v1/admin/webhook-endpoints", { token: mine.token.agentA, body });
    expect(agent.status).toBe(403);
    const agentList = await t.request("GET", "/v1/admin/webhook-endpoints", { token: mine.token.agentA });
    expect(agentList.status).toBe(403);

    // The list never shows a secret; another co-op's admin does not see the endpoint at all.
    const list = await t.request("GET", "/v1/admin/webhook-endpoints", { token: mine.token.admin });
    expect(list.status).toBe(200);
    expect(list.json.items.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(list.text).not.toContain(endpoint.secret);
    expect(list.json.items[0]).not.toHaveProperty("secret");
    const other = await t.request("GET", "/v1/admin/webhook-endpoints", { token: theirs.token.admin });
    expect(other.json.items).toEqual([]);
    for (const [method, path] of [
      ["GET", `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries`],
      ["POST", `/v1/admin/webhook-endpoints/${endpoint.id}/disable`],
      ["POST", `/v1/admin/webhook-endpoints/${endpoint.id}/deliveries/wdl_x/retry`],
    ] as const) {
      const res = await t.request(method, path, { token: theirs.token.admin });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
    }
    const [still] = await t.db.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(still!.enabled).toBe(true);

    // The same Idempotency-Key and body: the first endpoint again (with its secret), not a second one.
    const headers = { "idempotency-key": "webhook-endpoint-once" };
    const first = await t.request("POST", "/v1/admin/webhook-endpoints", {
      token: mine.token.admin,
      headers,
      body,
    });
    const replay = await t.request("POST", "/v1/admin/webhook-endpoints", {
      token: mine.token.admin,
      headers,
      body,
    });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.json.id).toBe(first.json.id);
    const made = await t.db.db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.coopId, mine.w.coop.id), eq(webhookEndpoints.url, `${RECEIVER}/x`)));
    expect(made).toHaveLength(1);
  });

  it.each([
    ["ftp://example.com/hook", "must start with https://"],
    ["http://example.com/hook", "http:// only for localhost"],
    ["not a url", "not a URL"],
    ["https://user:pw@example.com/hook", "user name or password"],
  ])("refuses %s with 400 VALIDATION_FAILED on url", async (url, message) => {
    const { w } = await worldOnce();
    const token = await t.loginAs(w.admin.login, w.admin.password);
    const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
      token,
      body: { url, events: ["order.placed"] },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields).toEqual([{ path: "url", message: expect.stringContaining(message) }]);
  });

  it("refuses unknown or repeated event types", async () => {
    const { w } = await worldOnce();
    const token = await t.loginAs(w.admin.login, w.admin.password);
    for (const events of [[], ["order.shipped"], ["order.paid", "order.paid"]]) {
      const res = await t.request("POST", "/v1/admin/webhook-endpoints", {
        token,
        body: { url: `${RECEIVER}/e`, events },
      });
      expect(res.status, JSON.stringify(events)).toBe(400);
      expect(res.json.error.fields[0].path).toMatch(/^events/);
    }
    const local = await t.request("POST", "/v1/admin/webhook-endpoints", {
      token,
      body: { url: "http://127.0.0.1:9000/hooks", events: ["order.paid"] },
    });
    expect(local.status, local.text).toBe(201);
  });

  it("documents the admin routes and every event's request in the OpenAPI document", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json;
    for (const path of [
      "/v1/admin/webhook-endpoints",
      "/v1/admin/webhook-endpoints/{id}/disable",
      "/v1/admin/webhook-endpoints/{id}/deliveries",
      "/v1/admin/webhook-endpoints/{id}/deliveries/{deliveryId}/retry",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const paid = doc.webhooks["order.paid"].post;
    expect(paid.description).toContain("Coop-Signature");
    expect(paid.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([WEBHOOK_SIGNATURE_HEADER, WEBHOOK_EVENT_ID_HEADER]),
    );
  });

  let shared: Awaited<ReturnType<typeof world>> | undefined;
  const worldOnce = async () => (shared ??= await world());
});

describe("webhook URL rules", () => {
  const production = { production: true };
  const development = { production: false };

  it.each([
    "https://erp.example.com/coop/hooks",
    "https://203.0.114.9/hooks",
    "https://[2606:4700::1111]/hooks",
  ])("allow %s in production", (url) => {
    expect(webhookUrlProblem(url, production)).toBeNull();
  });

  it.each([
    "http://erp.example.com/hooks",
    "http://localhost:3000/hooks",
    "https://localhost/hooks",
    "https://127.0.0.1/hooks",
    "https://10.1.2.3/hooks",
    "https://172.20.0.5/hooks",
    "https://192.168.1.10/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hooks",
    "https://0x7f.1/hooks",
    "https://[::1]/hooks",
    "https://[fd00::5]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",
    "https://db.internal/hooks",
    "https://printer.local/hooks",
    "https://intranet/hooks",
  ])("refuse %s in production", (url) => {
    expect(webhookUrlProblem(url, production)).not.toBeNull();
  });

  it("allow http://localhost and http://127.0.0.1 outside production only", () => {
    expect(webhookUrlProblem("http://localhost:3000/hooks", development)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:3000/hooks", development)).toBeNull();
    expect(webhookUrlProblem("http://192.168.1.10/hooks", development)).not.toBeNull();
    expect(webhookUrlProblem("https://192.168.1.10/hooks", development)).toBeNull();
  });

  it("know private addresses", () => {
    expect(isPrivateAddress("10.0.0.1")).toBe(true);
    expect(isPrivateAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isPrivateAddress("8.8.8.8")).toBe(false);
    expect(isPrivateAddress("2606:4700::1111")).toBe(false);
  });
});

describe("webhook retry schedule", () => {
  it("waits 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h, plus at most 10%", () => {
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(8);
    for (let attempts = 1; attempts < WEBHOOK_MAX_ATTEMPTS; attempts++) {
      const base = WEBHOOK_RETRY_DELAYS_SECONDS[attempts - 1]!;
      expect(retryDelaySeconds(attempts, () => 0)).toBe(base);
      expect(retryDelaySeconds(attempts, () => 0.999)).toBeLessThanOrEqual(Math.round(base * 1.1));
    }
    expect(WEBHOOK_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0) / 3600).toBeLessThan(24);
  });
});
