import { auditLog, legacyPickupCodes, notifications, orders } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_PICKUP_CODE_SECRET, pickupCodes, randomCode } from "../src/domain/orders/pickup-codes";
import { upgradeLegacyPickupCodes } from "../src/domain/orders/pickup-legacy";
import { recordMovement } from "../src/domain/stock/ledger";
import { readEnv } from "../src/env";
import { deliverOutbox } from "../src/jobs/outbox";
import { makeConsignor, makeCoopWorld, makeProduct, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

describe.each(testDbKinds())("pickup codes protect the goods (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let villager: { id: string; phone: string };
  let lotId = "";
  /** Every code handed to a buyer in this file, with its order: none may ever reach a staff answer. */
  const issued: Array<{ orderId: string; code: string }> = [];

  const buyer = { name: "城里张先生", phone: "13912345678" };
  const rows = async <T>(query: ReturnType<typeof sql>) => {
    const r = (await t.db.db.execute(query)) as unknown as { rows?: T[] } | T[];
    return Array.isArray(r) ? r : (r.rows ?? []);
  };

  async function placeCashOrder(quantity = 1, contact = buyer) {
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact,
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.pickupCode).toMatch(/^\d{6}$/);
    issued.push({ orderId: res.json.id, code: res.json.pickupCode });
    return res.json as { id: string; pickupCode: string; accessToken: string; totalFen: number };
  }

  const handOver = (orderId: string, body: Record<string, unknown>, who = token.agentA) =>
    t.request("POST", `/v1/orders/${orderId}/hand-over`, { token: who, body });
  const statusOf = async (orderId: string) =>
    (await t.db.db.select({ s: orders.status }).from(orders).where(eq(orders.id, orderId)))[0]!.s;
  const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨", phone: "13700001111" });
    // Eggs on point A's own shelf: an order there can be handed over at once (no delivery run needed).
    const lot = await t.request("POST", "/v1/lots", {
      token: token.agentA,
      body: {
        consignorId: villager.id,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 500,
        bestBefore: inDays(10),
        qc: { passed: true },
      },
    });
    expect(lot.status, lot.text).toBe(201);
    lotId = lot.json.id;
  });
  afterAll(() => t?.close());

  it("keeps only a keyed hash of the code: no plain code anywhere in orders", async () => {
    const order = await placeCashOrder();
    const columns = await rows<{ column_name: string }>(
      sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain("pickup_code");
    const [row] = await t.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.pickupCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.pickupCodeHash).toBe(
      pickupCodes(t.env.PICKUP_CODE_SECRET).hash(w.pointA.id, order.pickupCode),
    );
    // Another secret gives another hash: the database alone does not tell the code.
    expect(pickupCodes("x".repeat(40)).hash(w.pointA.id, order.pickupCode)).not.toBe(row!.pickupCodeHash);
    const whole = await rows<{ r: string }>(sql`SELECT row_to_json(o)::text AS r FROM orders o`);
    for (const { code } of issued) {
      for (const { r } of whole) expect(r).not.toContain(`"${code}"`);
    }
  });

  it("keeps no plain code in a keyed order's stored answer, and a replay still gives the buyer their code", async () => {
    const headers = { "idempotency-key": "pickup-code-replay-key" };
    const body = {
      items: [{ productId: w.egg.id, quantity: 1 }],
      fulfilment: { type: "pickup", servicePointId: w.pointA.id },
      payment: { method: "cash_on_pickup" },
      contact: buyer,
    };
    const first = await t.request("POST", "/v1/orders", { body, headers });
    expect(first.status, first.text).toBe(201);
    issued.push({ orderId: first.json.id, code: first.json.pickupCode });
    const stored = await rows<{ r: string }>(
      sql`SELECT response_body::text AS r FROM idempotency_keys WHERE key = ${headers["idempotency-key"]}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.r).toContain(first.json.id);
    expect(stored[0]!.r).not.toContain(first.json.pickupCode);
    const replay = await t.request("POST", "/v1/orders", { body, headers });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
  });

  it("shows the code to the buyer holding the order's token, and to no staff member", async () => {
    const order = await placeCashOrder();
    const mine = await t.request("GET", `/v1/orders/${order.id}`, { token: order.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.json.pickupCode).toBe(order.pickupCode);
    for (const who of ["agentA", "warehouseUser", "admin"]) {
      const staffView = await t.request("GET", `/v1/orders/${order.id}`, { token: token[who] });
      expect(staffView.status).toBe(200);
      expect(staffView.json.pickupCode).toBeNull();
      expect(staffView.text).not.toContain(order.pickupCode);
    }
    // Another order's token shows nothing of this one.
    const other = await placeCashOrder();
    const wrongToken = await t.request("GET", `/v1/orders/${order.id}`, { token: other.accessToken });
    expect(wrongToken.status).toBe(404);
  });

  it("hands over only with the buyer's code: none → 400, wrong → refused, nothing handed over", async () => {
    const order = await placeCashOrder(10);
    const none = await handOver(order.id, { cashReceivedFen: 2000 });
    expect(none.status).toBe(400);
    expect(none.json.error.code).toBe("VALIDATION_FAILED");
    expect(none.json.error.fields.map((f: { path: string }) => f.path)).toContain("pickupCode");
    const wrong = await handOver(order.id, { pickupCode: wrongFor(order.pickupCode), cashReceivedFen: 2000 });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ code: "PICKUP_CODE_WRONG", details: { attemptsLeft: 4 } });
    // A buyer's order has no ID-check path: that is for orders placed for a villager.
    const byId = await handOver(order.id, {
      idCheck: { idType: "resident_id", last4: "1234" },
      cashReceivedFen: 2000,
    });
    expect(byId.status).toBe(400);
    expect(await statusOf(order.id)).toBe("confirmed");
    const payments = await rows(sql`SELECT id FROM payments WHERE order_id = ${order.id}`);
    expect(payments).toHaveLength(0);

    const done = await handOver(order.id, { pickupCode: order.pickupCode, cashReceivedFen: 2500 });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: "picked_up", changeFen: 500, pickupCode: null });
    expect(await allLedgerViolations(t.db.db)).toEqual({});

    const again = await handOver(order.id, { pickupCode: order.pickupCode, cashReceivedFen: 2000 });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("ALREADY_PICKED_UP");
    expect(again.json.error.message).toContain("已取货");
  });

  it("locks the order after 5 wrong codes, even for the right one, until an admin unlocks it", async () => {
    const order = await placeCashOrder(2);
    const wrong = wrongFor(order.pickupCode);
    for (let i = 1; i <= 4; i++) {
      const res = await handOver(order.id, { pickupCode: wrong, cashReceivedFen: 400 });
      expect(res.json.error).toMatchObject({ code: "PICKUP_CODE_WRONG", details: { attemptsLeft: 5 - i } });
    }
    const fifth = await handOver(order.id, { pickupCode: wrong, cashReceivedFen: 400 });
    expect(fifth.status).toBe(409);
    expect(fifth.json.error.code).toBe("PICKUP_LOCKED");
    const right = await handOver(order.id, { pickupCode: order.pickupCode, cashReceivedFen: 400 });
    expect(right.status).toBe(409);
    expect(right.json.error.code).toBe("PICKUP_LOCKED");
    expect(await statusOf(order.id)).toBe("confirmed");
    const seen = await t.request("GET", `/v1/orders/${order.id}`, { token: token.agentA });
    expect(seen.json.pickupLocked).toBe(true);

    const byAgent = await t.request("POST", `/v1/orders/${order.id}/unlock-pickup`, {
      token: token.agentA,
      body: { reason: "buyer showed the SMS" },
    });
    expect(byAgent.status).toBe(403);
    const unlocked = await t.request("POST", `/v1/orders/${order.id}/unlock-pickup`, {
      token: token.admin,
      body: { reason: "买家本人来电核实 / buyer confirmed by phone" },
    });
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.json.pickupLocked).toBe(false);
    const done = await handOver(order.id, { pickupCode: order.pickupCode, cashReceivedFen: 400 });
    expect(done.status, done.text).toBe(200);
    expect(done.json.status).toBe("picked_up");

    // Every attempt is in the audit log, with who and how, and never the code.
    const trail = await t.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "order"), eq(auditLog.entityId, order.id)))
      .orderBy(auditLog.createdAt, auditLog.id);
    expect(trail.map((a) => a.action)).toEqual([
      ...Array(5).fill("pickup.wrong_proof"),
      "pickup.refused",
      "pickup.unlocked",
      "pickup.handed_over",
    ]);
    expect(trail.every((a) => a.actorUserId !== null)).toBe(true);
    expect(trail[4]!.data).toMatchObject({ failures: 5, locked: true, method: "code" });
    for (const a of trail) {
      expect(JSON.stringify(a.data)).not.toContain(order.pickupCode);
      expect(JSON.stringify(a.data)).not.toContain(wrong);
    }
  });

  it("counts parallel wrong codes one by one: a burst cannot get past the limit", async () => {
    const order = await placeCashOrder();
    const wrong = wrongFor(order.pickupCode);
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => handOver(order.id, { pickupCode: wrong, cashReceivedFen: 200 })),
    );
    const codes = burst.map((r) => r.json.error.code).sort();
    expect(codes.filter((c) => c === "PICKUP_CODE_WRONG")).toHaveLength(4);
    expect(codes.filter((c) => c === "PICKUP_LOCKED")).toHaveLength(4);
    const [row] = await t.db.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.pickupFailures).toBe(5);
  });

  it("finds an old order among 600 waiting at the point, all matches of a shared code, and counts misses", async () => {
    const old = await placeCashOrder();
    const codes = pickupCodes(t.env.PICKUP_CODE_SECRET);
    const [template] = await t.db.db.select().from(orders).where(eq(orders.id, old.id));
    const newer = Array.from({ length: 600 }, (_, i) => ({
      ...template!,
      id: newId("order"),
      contactName: `买家${i}`,
      contactPhone: `139${String(10_000_000 + i).slice(-8)}`,
      pickupCodeHash: codes.hash(w.pointA.id, randomCode()),
      status: i % 2 ? ("ready_for_pickup" as const) : ("confirmed" as const),
      createdAt: new Date(Date.now() + 1000 + i),
    }));
    // One newer order shares the old one's code (1 in 10^6 per pair: a big point does see it).
    newer[599]!.pickupCodeHash = template!.pickupCodeHash!;
    newer[599]!.contactName = "王小明";
    for (let i = 0; i < newer.length; i += 200) await t.db.db.insert(orders).values(newer.slice(i, i + 200));

    const found = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentA,
      body: { code: old.pickupCode },
    });
    expect(found.status, found.text).toBe(200);
    expect(found.json.matches.map((m: { orderId: string }) => m.orderId).sort()).toEqual(
      [old.id, newer[599]!.id].sort(),
    );
    const shared = found.json.matches.find((m: { orderId: string }) => m.orderId === newer[599]!.id);
    expect(shared).toMatchObject({ buyerName: "王**", phoneTail: newer[599]!.contactPhone.slice(-4) });
    const first = found.json.matches.find((m: { orderId: string }) => m.orderId === old.id);
    expect(first).toMatchObject({ buyerName: "城***", phoneTail: "5678", canHandOver: true });
    expect(found.text).not.toContain(old.pickupCode);
    expect(found.text).not.toContain(buyer.phone);

    // Agent B's point has no such order; an agent cannot search another point.
    const elsewhere = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentB,
      body: { code: old.pickupCode },
    });
    expect(elsewhere.status).toBe(404);
    const otherPoint = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentB,
      body: { code: old.pickupCode, servicePointId: w.pointA.id },
    });
    expect(otherPoint.status).toBe(403);
    const admin = await t.request("POST", "/v1/pickups/lookup", {
      token: token.admin,
      body: { code: old.pickupCode, servicePointId: w.pointA.id },
    });
    expect(admin.json.matches).toHaveLength(2);
  });

  it("says 已取货 for a used code, and refuses lookups after 10 misses (no oracle for guessing)", async () => {
    const guesser = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: w.pointA.id });
    const guesserToken = await t.loginAs(guesser.login, guesser.password);
    const order = await placeCashOrder();
    expect((await handOver(order.id, { pickupCode: order.pickupCode, cashReceivedFen: 200 })).status).toBe(
      200,
    );
    const collected = await t.request("POST", "/v1/pickups/lookup", {
      token: guesserToken,
      body: { code: order.pickupCode },
    });
    expect(collected.status).toBe(409);
    expect(collected.json.error.code).toBe("ALREADY_PICKED_UP");

    const live = await placeCashOrder();
    const taken = new Set(issued.map((i) => i.code));
    let guess = 0;
    const nextGuess = () => {
      while (taken.has(String(guess).padStart(6, "0"))) guess++;
      return String(guess++).padStart(6, "0");
    };
    // The collected code was miss 1; 9 more are allowed. A guess may hit a real order waiting at the point
    // (one this file did not record): that is a find, not a miss, so guessing goes on until 9 misses.
    let missesMade = 0;
    for (let tries = 0; missesMade < 9 && tries < 40; tries++) {
      const miss = await t.request("POST", "/v1/pickups/lookup", {
        token: guesserToken,
        body: { code: nextGuess() },
      });
      expect([404, 200]).toContain(miss.status);
      if (miss.status === 404) missesMade++;
    }
    expect(missesMade).toBe(9);
    const refused = await t.request("POST", "/v1/pickups/lookup", {
      token: guesserToken,
      body: { code: live.pickupCode },
    });
    expect(refused.status).toBe(429);
    // Another agent is not held back by the guesser's misses.
    const fine = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentA,
      body: { code: live.pickupCode },
    });
    expect(fine.status).toBe(200);
    const misses = await t.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorUserId, guesser.id), eq(auditLog.action, "pickup.lookup_miss")));
    expect(misses.length).toBeGreaterThanOrEqual(9);
    for (const m of misses) expect(JSON.stringify(m.data)).not.toMatch(/\d{6}/);
  });

  describe("orders placed for a villager (帮代办)", () => {
    async function placeAssisted() {
      const res = await t.request("POST", "/v1/orders", {
        token: token.agentA,
        body: {
          items: [{ productId: w.egg.id, quantity: 3 }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: { name: "钱阿姨", phone: "13000000000" },
          onBehalfOf: { consignorId: villager.id },
        },
      });
      expect(res.status, res.text).toBe(201);
      // The agent who placed it is not told the code; the villager's own phone is.
      expect(res.json.pickupCode).toBeNull();
      const [sms] = await t.db.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.orderId, res.json.id), eq(notifications.template, "order_placed")));
      expect(sms!.recipient).toBe(villager.phone);
      const code = (sms!.data as { pickupCode: string }).pickupCode;
      expect(code).toMatch(/^\d{6}$/);
      issued.push({ orderId: res.json.id, code });
      // Even with the order's token the agent cannot read the villager's code back.
      const asBuyer = await t.request("GET", `/v1/orders/${res.json.id}`, { token: res.json.accessToken });
      expect(asBuyer.json.pickupCode).toBeNull();
      return { id: res.json.id as string, code };
    }

    it("hands over with the villager's phone and a one-time SMS code", async () => {
      const order = await placeAssisted();
      const wrongPhone = await t.request("POST", `/v1/orders/${order.id}/pickup-sms`, {
        token: token.agentA,
        body: { phone: "13800009999" },
      });
      expect(wrongPhone.status).toBe(400);
      expect(wrongPhone.json.error).toMatchObject({
        code: "PICKUP_CODE_WRONG",
        details: { attemptsLeft: 4 },
      });
      const sent = await t.request("POST", `/v1/orders/${order.id}/pickup-sms`, {
        token: token.agentA,
        body: { phone: villager.phone },
      });
      expect(sent.status, sent.text).toBe(200);
      expect(sent.json.sentTo).toBe("137****1111");
      const [sms] = await t.db.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.orderId, order.id), eq(notifications.template, "pickup_verification")));
      expect(sms!.recipient).toBe(villager.phone);
      const smsCode = (sms!.data as { smsCode: string }).smsCode;
      const stored = await rows<{ r: string }>(sql`SELECT row_to_json(p)::text AS r FROM pickup_sms_codes p`);
      for (const { r } of stored) expect(r).not.toContain(`"${smsCode}"`);

      const wrong = await handOver(order.id, {
        villagerSms: { phone: villager.phone, smsCode: smsCode === "000000" ? "111111" : "000000" },
        cashReceivedFen: 600,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error).toMatchObject({ code: "PICKUP_CODE_WRONG", details: { attemptsLeft: 3 } });
      const done = await handOver(order.id, {
        villagerSms: { phone: villager.phone, smsCode },
        cashReceivedFen: 600,
      });
      expect(done.status, done.text).toBe(200);
      expect(done.json.status).toBe("picked_up");
      expect(done.json.history.at(-1).note).toContain("SMS");
    });

    it("expires SMS codes, uses each once, and sends at most 3 an hour", async () => {
      const order = await placeAssisted();
      const send = () =>
        t.request("POST", `/v1/orders/${order.id}/pickup-sms`, {
          token: token.agentA,
          body: { phone: villager.phone },
        });
      expect((await send()).status).toBe(200);
      await t.db.db.execute(
        sql`UPDATE pickup_sms_codes SET expires_at = now() - interval '1 second' WHERE order_id = ${order.id}`,
      );
      const [sms] = await t.db.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.orderId, order.id), eq(notifications.template, "pickup_verification")));
      const expired = await handOver(order.id, {
        villagerSms: { phone: villager.phone, smsCode: (sms!.data as { smsCode: string }).smsCode },
        cashReceivedFen: 600,
      });
      expect(expired.status).toBe(400);
      expect(expired.json.error.details.reason).toBe("sms_expired");
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      const fourth = await send();
      expect(fourth.status).toBe(429);
      // The villager's own code still works.
      const done = await handOver(order.id, { pickupCode: order.code, cashReceivedFen: 600 });
      expect(done.status, done.text).toBe(200);
    });

    it("hands over after an ID check, recorded with the agent's name", async () => {
      const order = await placeAssisted();
      const done = await handOver(order.id, {
        idCheck: { idType: "resident_id", last4: "123x" },
        cashReceivedFen: 600,
      });
      expect(done.status, done.text).toBe(200);
      const [entry] = await t.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, order.id), eq(auditLog.action, "pickup.handed_over")));
      expect(entry!.actorUserId).toBe(w.agentA.id);
      expect(entry!.data).toMatchObject({
        method: "id_check",
        idType: "resident_id",
        idLast4: "123X",
        agentName: w.agentA.displayName,
      });
      expect(done.json.history.at(-1).note).toContain("123X");
    });
  });

  it("no staff GET in the OpenAPI document answers with any buyer's pickup code", async () => {
    // Open orders of every kind: a buyer's (confirmed), one locked, and an assisted one.
    const open = await placeCashOrder();
    const run = await t.request("POST", "/v1/collections", {
      token: token.agentA,
      body: { fromServicePointId: w.pointA.id, lotIds: [lotId] },
    });
    // A buyer's order served from the warehouse, loaded on a delivery run: the run's pages are walked too.
    const supply = await makeProduct(t.db.db, w.coop.id, { kind: "supply", unit: "bag", priceFen: 16_800 });
    await recordMovement(t.db.db, {
      productId: supply.id,
      locationId: w.warehouse.id,
      lotId: null,
      kind: "count_adjustment",
      quantityDelta: 5,
      reason: "test stock",
    });
    const fromWarehouse = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: supply.id, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    expect(fromWarehouse.status, fromWarehouse.text).toBe(201);
    issued.push({ orderId: fromWarehouse.json.id, code: fromWarehouse.json.pickupCode });
    const delivery = await t.request("POST", "/v1/delivery-runs", {
      token: token.warehouseUser,
      body: { servicePointId: w.pointA.id },
    });
    expect(delivery.status, delivery.text).toBe(201);
    const deliveryRunId = delivery.json.items[0].id as string;
    const doc = (await t.request("GET", "/openapi.json")).json as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }> }>
      >;
    };
    const known: Record<string, string> = {
      orders: open.id,
      lots: lotId,
      consignors: villager.id,
      collections: run.json?.id ?? "none",
      "delivery-runs": deliveryRunId,
      "service-points": w.pointA.id,
      products: w.egg.id,
    };
    const valueFor = (name: string, path: string) => {
      if (name === "id") return known[path.split("/")[2] ?? ""] ?? "none";
      if (/^(locationId|servicePointId|pointId)$/.test(name)) return w.pointA.id;
      if (name === "productId") return w.egg.id;
      if (name === "consignorId") return villager.id;
      if (name === "from") return inDays(-30);
      if (name === "to") return inDays(1);
      if (name === "date" || name === "day") return inDays(0);
      if (name === "q") return "蛋";
      return "x";
    };
    const paths = Object.entries(doc.paths).filter(([, ops]) => ops.get);
    expect(paths.length).toBeGreaterThan(10);
    let ok = 0;
    let sawOrders = 0;
    for (const [template, ops] of paths) {
      for (const who of ["admin", "warehouseUser", "agentA"]) {
        const params = ops.get!.parameters ?? [];
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          encodeURIComponent(valueFor(name, template)),
        );
        const query = new URLSearchParams(
          params
            .filter((p) => p.in === "query" && p.required)
            .map((p): [string, string] => [p.name, valueFor(p.name, template)]),
        );
        const url = `/v1${path}${query.size ? `?${query}` : ""}`.replace("/v1/v1", "/v1");
        const res = await t.request("GET", url, { token: token[who] });
        if (res.status === 200) ok++;
        if (res.text.includes(open.id)) sawOrders++;
        for (const { code } of issued) {
          expect(res.text, `${who} GET ${url} shows a pickup code`).not.toMatch(
            new RegExp(`(?<![0-9])${code}(?![0-9])`),
          );
        }
      }
    }
    expect(ok).toBeGreaterThan(20);
    // The run's own page (pick list, manifest) was read, by the warehouse at least.
    const runPage = await t.request("GET", `/v1/delivery-runs/${deliveryRunId}`, {
      token: token.warehouseUser,
    });
    expect(runPage.status).toBe(200);
    expect(runPage.text).toContain(fromWarehouse.json.id);
    expect(sawOrders).toBeGreaterThanOrEqual(3);
    // Each list of orders, every status, every role.
    for (const status of ["confirmed", "ready_for_pickup", "picked_up"]) {
      for (const who of ["admin", "warehouseUser", "agentA"]) {
        const res = await t.request("GET", `/v1/orders?status=${status}&limit=100`, { token: token[who] });
        expect(res.status).toBe(200);
        for (const { code } of issued) expect(res.text).not.toMatch(new RegExp(`"pickupCode":"${code}"`));
        for (const item of res.json.items) expect(item.pickupCode).toBeNull();
      }
    }
  });

  it("the outbox forgets the codes once the SMS is sent", async () => {
    const order = await placeCashOrder();
    const sent: Array<{ template: string; data: Record<string, unknown> }> = [];
    const result = await deliverOutbox({
      db: t.db.db,
      sms: { send: async (m) => void sent.push(m) },
      logger: pino({ level: "silent" }),
    });
    expect(result.sent).toBeGreaterThan(0);
    const placed = sent.find((m) => m.template === "order_placed" && m.data.orderId === order.id);
    expect(placed?.data.pickupCode).toBe(order.pickupCode);
    const left = await rows<{ r: string }>(
      sql`SELECT data::text AS r FROM notifications WHERE status = 'sent'`,
    );
    expect(left.length).toBeGreaterThan(0);
    for (const { r } of left) {
      expect(r).not.toContain("pickupCode");
      expect(r).not.toContain("smsCode");
    }
    const audits = await rows<{ r: string }>(sql`SELECT coalesce(data::text, '') AS r FROM audit_log`);
    for (const { code } of issued) for (const { r } of audits) expect(r).not.toContain(`"${code}"`);
  });

  it("upgrades plain codes parked by the migration: hashed, found by lookup, the plain copy deleted", async () => {
    const order = await placeCashOrder();
    await t.db.db.update(orders).set({ pickupCodeHash: null }).where(eq(orders.id, order.id));
    const legacyCode = "135799";
    await t.db.db.insert(legacyPickupCodes).values({ orderId: order.id, code: legacyCode });
    const before = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentA,
      body: { code: legacyCode },
    });
    expect(before.status).toBe(404);
    expect(await upgradeLegacyPickupCodes(t.db.db, pickupCodes(t.env.PICKUP_CODE_SECRET))).toEqual({
      hashed: 1,
    });
    expect(await t.db.db.select().from(legacyPickupCodes)).toEqual([]);
    const after = await t.request("POST", "/v1/pickups/lookup", {
      token: token.agentA,
      body: { code: legacyCode },
    });
    expect(after.status, after.text).toBe(200);
    expect(after.json.matches[0].orderId).toBe(order.id);
    expect(await upgradeLegacyPickupCodes(t.db.db, pickupCodes(t.env.PICKUP_CODE_SECRET))).toEqual({
      hashed: 0,
    });
  });
});

describe("the pickup-code key", () => {
  const production = {
    NODE_ENV: "production",
    CLIENT_ADDRESS_SECRET: "c".repeat(40),
    PUBLIC_LINK_SECRET: "p".repeat(40),
  };

  it("is required in production, and not the development default", () => {
    expect(() => readEnv(production)).toThrow(/PICKUP_CODE_SECRET: is required when NODE_ENV=production/);
    expect(() => readEnv({ ...production, PICKUP_CODE_SECRET: DEV_PICKUP_CODE_SECRET })).toThrow(
      /PICKUP_CODE_SECRET/,
    );
    expect(() => readEnv({ ...production, PICKUP_CODE_SECRET: "short" })).toThrow(/at least 32/);
    expect(readEnv({ ...production, PICKUP_CODE_SECRET: "k".repeat(40) }).PICKUP_CODE_SECRET).toBe(
      "k".repeat(40),
    );
    expect(readEnv({}).PICKUP_CODE_SECRET).toBe(DEV_PICKUP_CODE_SECRET);
  });

  it("derives a 6-digit code from the token: the same token always, another token or key another code", () => {
    const a = pickupCodes("a".repeat(40));
    const token = "oat_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    expect(a.codeFor(token)).toMatch(/^\d{6}$/);
    expect(a.codeFor(token)).toBe(a.codeFor(token));
    const others = new Set(Array.from({ length: 50 }, (_, i) => a.codeFor(`${token}${i}`)));
    expect(others.size).toBeGreaterThan(45);
    expect(pickupCodes("b".repeat(40)).codeFor(token)).not.toBe(a.codeFor(token));
    expect(a.matches("loc_1", a.codeFor(token), a.hash("loc_1", a.codeFor(token)))).toBe(true);
    expect(a.matches("loc_2", a.codeFor(token), a.hash("loc_1", a.codeFor(token)))).toBe(false);
  });
});
