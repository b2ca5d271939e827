import { payments, payouts } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { chinaDate as chinaDayOf } from "@coop/shared";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../src/domain/auth/sessions";
import { postConsignorEntry } from "../src/domain/settlement/consignor-ledger";
import { handOver, inDays, intake, type PlacedOrder, pickupOrder } from "./cash-fixtures";
import { makeConsignor, makeCoopWorld, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";

type Command =
  | { kind: "order"; agent: number; quantity: number }
  | { kind: "handOver"; pick: number }
  | { kind: "cancel"; pick: number }
  | { kind: "cancelTaken"; pick: number }
  | { kind: "payout"; agent: number; amountFen: number }
  | { kind: "clock"; minutes: number }
  | { kind: "handIn"; agent: number; daysBack: number; offFen: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("order" as const),
      agent: fc.nat(2),
      quantity: fc.integer({ min: 1, max: 7 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("handOver" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancelTaken" as const), pick: fc.nat(50) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("payout" as const),
      agent: fc.nat(2),
      amountFen: fc.integer({ min: 1, max: 3_000 }),
    }),
  },
  // Up to 15 hours at a time, so runs cross China midnights (16:00 UTC) at every hour.
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("clock" as const), minutes: fc.integer({ min: 1, max: 900 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("handIn" as const),
      agent: fc.nat(2),
      daysBack: fc.nat(3),
      offFen: fc.oneof(fc.constant(0), fc.integer({ min: -500, max: 500 })),
    }),
  },
);

/**
 * The property: whatever happens — cash orders, hand-overs, payouts to villagers, cancellations,
 * across three agents at two points and several China days — each agent's day-close equals, to the fen, the
 * cash payment and payout rows of that day as the test itself kept them, and hand-ins reconcile: what each
 * expects is the day's rest, and open cash is taken − paid out − counted.
 */
describe.each(testDbKinds())("cash day-close and hand-ins, property-tested (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let adminToken = "";

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    adminToken = await t.loginAs(w.admin.login, w.admin.password);
    for (const [point, agent] of [
      [w.pointA, w.agentA],
      [w.pointB, w.agentB],
    ] as const) {
      const villager = await makeConsignor(t.db.db, w.coop.id, point.id);
      const token = await t.loginAs(agent.login, agent.password);
      await intake(t, token, {
        consignorId: villager.id,
        productId: w.egg.id,
        servicePointId: point.id,
        quantity: 100_000,
        bestBefore: inDays(20),
      });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function runScenario(commands: Command[]) {
    // Fresh agents each run (two at point A, one at point B), so runs do not see each other's cash.
    const points = [w.pointA, w.pointA, w.pointB];
    const agents: Array<{ id: string; token: string; pointId: string; villagerId: string }> = [];
    for (const point of points) {
      const staff = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: point.id });
      const { token } = await createSession(t.db.db, { userId: staff.id, ttlHours: 1 });
      const villager = await makeConsignor(t.db.db, w.coop.id, point.id);
      await postConsignorEntry(t.db.db, {
        consignorId: villager.id,
        kind: "adjustment",
        amountFen: 20_000,
        note: "test balance",
      });
      agents.push({ id: staff.id, token, pointId: point.id, villagerId: villager.id });
    }
    // Simulated time starts five days ago, at a random hour, and only moves forward (never past now).
    let clock = Date.now() - 5 * 86_400_000 + (commands.length % 24) * 3_600_000;
    const now = () => new Date(Math.min(clock, Date.now() - 1000));
    const open: Array<PlacedOrder & { agent: number }> = [];
    const taken: Array<PlacedOrder & { agent: number }> = [];
    /** agent → China day → the rows the test made, as it made them. */
    const model = agents.map(() => new Map<string, { taken: number; paid: number; rows: number }>());
    const handIns = agents.map(() => [] as Array<{ day: string; expected: number; counted: number }>);
    const dayOf = (a: number, day: string) => {
      const m = model[a]!;
      if (!m.has(day)) m.set(day, { taken: 0, paid: 0, rows: 0 });
      return m.get(day)!;
    };

    for (const c of commands) {
      if (c.kind === "clock") {
        clock += c.minutes * 60_000;
      } else if (c.kind === "order") {
        const order = await pickupOrder(t, {
          productId: w.egg.id,
          quantity: c.quantity,
          servicePointId: agents[c.agent]!.pointId,
        });
        open.push({ ...order, agent: c.agent });
      } else if (c.kind === "handOver" && open.length) {
        const order = open.splice(c.pick % open.length, 1)[0]!;
        // Any agent of the order's point may hand it over; the one of the order's index does.
        const byIndex = agents.findIndex(
          (a, i) => a.pointId === agents[order.agent]!.pointId && i >= order.agent,
        );
        await handOver(t, agents[byIndex]!.token, order, true);
        const at = now();
        await t.db.db.update(payments).set({ createdAt: at }).where(eq(payments.orderId, order.id));
        const d = dayOf(byIndex, chinaDayOf(at));
        d.taken += order.totalFen;
        d.rows++;
        taken.push({ ...order, agent: byIndex });
      } else if (c.kind === "cancel" && open.length) {
        const order = open.splice(c.pick % open.length, 1)[0]!;
        const res = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
          token: agents[order.agent]!.token,
          body: { reason: "buyer did not come" },
        });
        expect(res.status, res.text).toBe(200);
      } else if (c.kind === "cancelTaken" && taken.length) {
        // Handed over and paid in cash: it can no longer be cancelled, and the cash stays counted.
        const order = taken[c.pick % taken.length]!;
        const res = await t.request("POST", `/v1/orders/${order.id}/cancel`, {
          token: agents[order.agent]!.token,
          body: { reason: "too late" },
        });
        expect(res.status).toBe(409);
      } else if (c.kind === "payout") {
        const a = agents[c.agent]!;
        const res = await t.request("POST", "/v1/payouts", {
          token: a.token,
          body: { consignorId: a.villagerId, amountFen: c.amountFen, method: "cash" },
        });
        if (res.status === 409) continue; // more than the villager's balance: nothing paid
        expect(res.status, res.text).toBe(201);
        const at = now();
        await t.db.db.update(payouts).set({ createdAt: at }).where(eq(payouts.id, res.json.id));
        const d = dayOf(c.agent, chinaDayOf(at));
        d.paid += c.amountFen;
        d.rows++;
      } else if (c.kind === "handIn") {
        const a = agents[c.agent]!;
        const day = chinaDayOf(new Date(now().getTime() - c.daysBack * 86_400_000));
        const d = dayOf(c.agent, day);
        const before = handIns[c.agent]!.filter((h) => h.day === day);
        const expected = d.taken - d.paid - before.reduce((s, h) => s + h.expected, 0);
        const counted = Math.max(0, expected + c.offFen);
        const res = await t.request("POST", "/v1/cash/hand-ins", {
          token: a.token,
          body: {
            day,
            countedFen: counted,
            expectedFen: expected,
            reason: counted === expected ? undefined : "少了零钱 / short of change",
          },
        });
        if (expected === 0 && before.length > 0) {
          expect(res.status).toBe(409);
          continue;
        }
        expect(res.status, res.text).toBe(201);
        expect(res.json).toMatchObject({
          day,
          expectedFen: expected,
          countedFen: counted,
          differenceFen: counted - expected,
        });
        handIns[c.agent]!.push({ day, expected, counted });
      }
    }

    for (const [i, a] of agents.entries()) {
      for (const [day, d] of model[i]!) {
        const res = await t.request("GET", `/v1/cash/day?date=${day}&agentId=${a.id}`, { token: adminToken });
        expect(res.status, res.text).toBe(200);
        const handedIn = handIns[i]!.filter((h) => h.day === day).reduce((s, h) => s + h.expected, 0);
        expect(res.json).toMatchObject({
          takenFen: d.taken,
          paidOutFen: d.paid,
          netFen: d.taken - d.paid,
          handedInFen: handedIn,
          toHandInFen: d.taken - d.paid - handedIn,
        });
        expect(res.json.takings.length + res.json.payouts.length).toBe(d.rows);
      }
      // The agent's own view of today agrees with the admin's.
      const own = await t.request("GET", `/v1/cash/day?date=${chinaDayOf(now())}`, { token: a.token });
      expect(own.status).toBe(200);
      const admins = await t.request("GET", `/v1/cash/day?date=${chinaDayOf(now())}&agentId=${a.id}`, {
        token: adminToken,
      });
      expect(own.json).toEqual(admins.json);
    }
    const openCash = await t.request("GET", "/v1/cash/open", { token: adminToken });
    expect(openCash.status).toBe(200);
    for (const [i, a] of agents.entries()) {
      const row = openCash.json.agents.find((x: { agentId: string }) => x.agentId === a.id);
      const days = [...model[i]!.entries()];
      const takenFen = days.reduce((s, [, d]) => s + d.taken, 0);
      const paidOutFen = days.reduce((s, [, d]) => s + d.paid, 0);
      const countedFen = handIns[i]!.reduce((s, h) => s + h.counted, 0);
      if (!row) {
        expect(takenFen + paidOutFen + handIns[i]!.length).toBe(0);
        continue;
      }
      expect(row).toMatchObject({
        takenFen,
        paidOutFen,
        handedInFen: countedFen,
        openFen: takenFen - paidOutFen - countedFen,
      });
      const unsettled = days
        .filter(([day, d]) => {
          const mine = handIns[i]!.filter((h) => h.day === day);
          return (
            (d.rows > 0 && mine.length === 0) || d.taken - d.paid !== mine.reduce((s, h) => s + h.expected, 0)
          );
        })
        .map(([day]) => day)
        .sort();
      expect(row.days.map((d: { day: string }) => d.day).sort()).toEqual(unsettled);
    }
  }

  it("each agent's day-close equals their cash rows of that day, to the fen, and hand-ins reconcile", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), (commands) =>
        runScenario(commands),
      ),
      { numRuns: 50, endOnFailure: true },
    );
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("keeps agents to their own cash and the admin's confirmation honest", async () => {
    const agentA = await t.loginAs(w.agentA.login, w.agentA.password);
    const others = await t.request("GET", `/v1/cash/day?agentId=${w.agentB.id}`, { token: agentA });
    expect(others.status).toBe(403);
    const warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    expect((await t.request("GET", "/v1/cash/open", { token: warehouse })).status).toBe(403);
    expect((await t.request("GET", "/v1/cash/open", { token: agentA })).status).toBe(403);

    const order = await pickupOrder(t, { productId: w.egg.id, quantity: 3, servicePointId: w.pointA.id });
    await handOver(t, agentA, order, true);
    const day = chinaDayOf(new Date());
    const close = await t.request("GET", `/v1/cash/day?date=${day}`, { token: agentA });
    const expected = close.json.toHandInFen as number;
    expect(close.json.takenFen).toBeGreaterThanOrEqual(600);
    // A difference without a reason is refused; a stale screen is refused; tomorrow is refused.
    const noReason = await t.request("POST", "/v1/cash/hand-ins", {
      token: agentA,
      body: { day, countedFen: expected - 100 },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.fields[0].path).toBe("reason");
    const stale = await t.request("POST", "/v1/cash/hand-ins", {
      token: agentA,
      body: { day, countedFen: expected, expectedFen: expected - 1 },
    });
    expect(stale.status).toBe(409);
    const tomorrow = chinaDayOf(new Date(Date.now() + 86_400_000));
    expect(
      (
        await t.request("POST", "/v1/cash/hand-ins", {
          token: agentA,
          body: { day: tomorrow, countedFen: 0 },
        })
      ).status,
    ).toBe(400);

    const headers = { "idempotency-key": "hand-in-a-1" };
    const body = { day, countedFen: expected - 100, reason: "找错零钱 / wrong change given" };
    const handIn = await t.request("POST", "/v1/cash/hand-ins", { token: agentA, body, headers });
    expect(handIn.status, handIn.text).toBe(201);
    expect(handIn.json).toMatchObject({ expectedFen: expected, differenceFen: -100, confirmed: null });
    const replay = await t.request("POST", "/v1/cash/hand-ins", { token: agentA, body, headers });
    expect(replay.json).toEqual(handIn.json);
    const after = await t.request("GET", `/v1/cash/day?date=${day}`, { token: agentA });
    expect(after.json.toHandInFen).toBe(0);
    expect(after.json.handIns).toHaveLength(1);

    const open = await t.request("GET", "/v1/cash/open", { token: adminToken });
    expect(open.json.awaitingConfirmation.map((h: { id: string }) => h.id)).toContain(handIn.json.id);
    // Only an admin confirms; a recount that differs from the agent's needs a note.
    const url = `/v1/cash/hand-ins/${handIn.json.id}/confirm`;
    expect(
      (await t.request("POST", url, { token: agentA, body: { countedFen: expected - 100 } })).status,
    ).toBe(403);
    expect(
      (await t.request("POST", url, { token: adminToken, body: { countedFen: expected - 50 } })).status,
    ).toBe(400);
    const confirmed = await t.request("POST", url, {
      token: adminToken,
      body: { countedFen: expected - 50, note: "抽屉里多找到 50 分 / 50 fen found in the drawer" },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json.confirmed).toMatchObject({ countedFen: expected - 50 });
    expect((await t.request("POST", url, { token: adminToken, body: { countedFen: expected } })).status).toBe(
      409,
    );
    const row = (await t.request("GET", "/v1/cash/open", { token: adminToken })).json.agents.find(
      (a: { agentId: string }) => a.agentId === w.agentA.id,
    );
    expect(row.handedInFen).toBe(expected - 50);
    expect(row.openFen).toBe(row.takenFen - row.paidOutFen - (expected - 50));
  });
});
