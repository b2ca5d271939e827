import type { Executor } from "@coop/db";
import { testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendCommitmentReminders } from "../src/domain/commitments/commitment-reminders";
import { commitmentsReport } from "../src/domain/commitments/commitments-report";
import { sqlRows } from "../src/lib/sql-rows";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/** A China wall-clock time as an instant ("2026-10-09 10:00" → 02:00 UTC). */
const china = (day: string, time = "10:00") => new Date(`${day}T${time}:00+08:00`);
/** Tuesday 20 October 2026, 10:00 in China: "now" for every judgement below. */
const NOW = china("2026-10-20");

/**
 * Issue 13, item 3 (限时办结) on the National Day calendar of 2026 (1–7 October off, Sunday 27 September and
 * Saturday 10 October make-up workdays): each kind of work is judged from the records that say when it
 * started and ended; an agent sees their point; the admin sets the working days; one reminder a day.
 */
describe.each(testDbKinds())("service commitments (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  const range = "from=2026-09-01&to=2026-10-20";

  async function order(db: Executor, id: string, input: { placedAt: Date; assisted: boolean }) {
    await db.execute(sql`
      INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
                          payment_method, subtotal_fen, delivery_fee_fen, total_fen, access_token_hash,
                          pickup_code_hash, placed_by_user_id, created_at, updated_at)
      VALUES (${id}, ${w.coop.id}, 'confirmed', '买家', '13800000000', 'pickup', ${w.pointA.id}, 'cash_on_pickup',
              400, 0, 400, md5(${id}), md5('c' || ${id}), ${input.assisted ? w.agentA.id : null},
              ${input.placedAt.toISOString()}::timestamptz, ${input.placedAt.toISOString()}::timestamptz)`);
    await status(db, id, null, "confirmed", input.placedAt);
  }
  async function status(db: Executor, orderId: string, from: string | null, to: string, at: Date) {
    await db.execute(sql`
      INSERT INTO order_status_history (id, order_id, from_status, to_status, created_at)
      VALUES (${newId("orderStatusChange")}, ${orderId}, ${from}, ${to}, ${at.toISOString()}::timestamptz)`);
  }
  async function entry(
    db: Executor,
    consignorId: string,
    kindOf: "sale_credit" | "purchase",
    fen: number,
    at: Date,
  ) {
    await db.execute(sql`
      INSERT INTO consignor_entries (id, consignor_id, kind, amount_fen, gross_fen, commission_fen, created_at)
      VALUES (${newId("consignorEntry")}, ${consignorId}, ${kindOf}, ${fen},
              ${kindOf === "sale_credit" ? fen : null}, ${kindOf === "sale_credit" ? 0 : null},
              ${at.toISOString()}::timestamptz)`);
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    token.admin = await t.loginAs(w.admin.login, w.admin.password);
    token.agentA = await t.loginAs(w.agentA.login, w.agentA.password);
    token.agentB = await t.loginAs(w.agentB.login, w.agentB.password);
    const db = t.db.db;
    // 3 and 4 October are a weekend: rest days already, so not marked.
    for (const d of ["01", "02", "05", "06", "07"]) {
      const res = await t.request("PUT", `/v1/admin/calendar/2026-10-${d}`, {
        token: token.admin,
        body: { kind: "holiday", name: "国庆节" },
      });
      expect(res.status, res.text).toBeLessThan(300);
    }
    for (const d of ["2026-09-27", "2026-10-10"]) {
      const res = await t.request("PUT", `/v1/admin/calendar/${d}`, {
        token: token.admin,
        body: { kind: "workday", name: "国庆节调休" },
      });
      expect(res.status, res.text).toBeLessThan(300);
    }
    await db.execute(sql`UPDATE locations SET phone = '0734-1234567' WHERE id = ${w.pointA.id}`);

    // Assisted orders (3 working days to be ready): on time across the holiday week, and late.
    await order(db, "ord_a1", { placedAt: china("2026-09-30"), assisted: true });
    await status(db, "ord_a1", "confirmed", "ready_for_pickup", china("2026-10-09"));
    await order(db, "ord_a2", { placedAt: china("2026-10-12"), assisted: true });
    await status(db, "ord_a2", "confirmed", "ready_for_pickup", china("2026-10-16"));
    // Pickups (5 working days once ready): one never collected (due 14 Oct: breached), one ready yesterday.
    await order(db, "ord_p1", { placedAt: china("2026-10-06"), assisted: false });
    await status(db, "ord_p1", "confirmed", "ready_for_pickup", china("2026-10-08"));
    await order(db, "ord_p2", { placedAt: china("2026-10-16"), assisted: false });
    await status(db, "ord_p2", "confirmed", "ready_for_pickup", china("2026-10-19"));
    // A villager's sales (10 working days to settle): one spent on supplies in time, one open, due tomorrow.
    const villager = await makeConsignor(db, w.coop.id, w.pointA.id);
    await entry(db, villager.id, "sale_credit", 1000, china("2026-09-28"));
    await entry(db, villager.id, "purchase", -1000, china("2026-10-09"));
    await entry(db, villager.id, "sale_credit", 500, china("2026-10-08"));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("judges each kind of work against its working days on the co-op's calendar", async () => {
    const report = await commitmentsReport(t.db.db, {
      coopId: w.coop.id,
      pointId: null,
      from: "2026-09-01",
      to: "2026-10-20",
      now: NOW,
    });
    const of = (k: string) => report.kinds.find((x) => x.kind === k);
    // 30 Sep + 3 working days = 10 Oct (the make-up Saturday): ready on the 9th is on time (2 days taken);
    // 12 Oct + 3 = 15 Oct: ready on the 16th is late (4 days taken).
    expect(of("assisted_ready")).toMatchObject({
      workingDays: 3,
      started: 2,
      onTime: 1,
      late: 1,
      onTimePct: 50,
      medianDays: 3,
    });
    // The assisted orders are pickups too once ready: the first (ready 9 Oct, due 15 Oct) is breached as well.
    expect(of("pickup_handover")).toMatchObject({
      started: 4,
      breached: 2,
      pending: 2,
      onTime: 0,
      onTimePct: 0,
    });
    expect(of("intake_settled")).toMatchObject({ started: 2, onTime: 1, atRisk: 1, onTimePct: 100 });
    expect(of("complaint_answered")).toMatchObject({ started: 0, onTimePct: null, medianDays: null });
    expect(report.points).toHaveLength(1);
    expect(report.points[0]).toMatchObject({
      pointId: w.pointA.id,
      started: 8,
      onTime: 2,
      late: 1,
      breached: 2,
    });
    // What needs doing now, most overdue first.
    expect(report.attention.map((a) => [a.subjectId, a.state, a.dueOn])).toEqual([
      ["ord_p1", "breached", "2026-10-14"],
      ["ord_a1", "breached", "2026-10-15"],
      [expect.stringMatching(/^cle_/), "at_risk", "2026-10-21"],
    ]);
  });

  it("answers an agent for their own point only, and refuses another point's", async () => {
    const own = await t.request("GET", `/v1/reports/commitments?${range}`, { token: token.agentB });
    expect(own.status, own.text).toBe(200);
    expect(own.json.pointId).toBe(w.pointB.id);
    expect(own.json.points).toEqual([]);
    const other = await t.request("GET", `/v1/reports/commitments?${range}&pointId=${w.pointA.id}`, {
      token: token.agentB,
    });
    expect(other.status).toBe(403);
    const backwards = await t.request("GET", "/v1/reports/commitments?from=2026-10-20&to=2026-10-01", {
      token: token.admin,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.code).toBe("VALIDATION_FAILED");
  });

  it("lets the admin set a kind's working days (audited, the same value again changes nothing)", async () => {
    const set = () =>
      t.request("PUT", "/v1/admin/commitments/pickup_handover", {
        token: token.admin,
        body: { workingDays: 10 },
        headers: { "idempotency-key": newId("audit") },
      });
    expect((await set()).status).toBe(200);
    const again = await set();
    expect(again.status).toBe(200);
    expect(again.json.items.find((i: { kind: string }) => i.kind === "pickup_handover")).toEqual({
      kind: "pickup_handover",
      workingDays: 10,
      isDefault: false,
    });
    const audited = await sqlRows<{ data: unknown }>(
      t.db.db,
      sql`SELECT data FROM audit_log WHERE action = 'commitment.set' AND entity_id = 'pickup_handover'`,
    );
    expect(audited).toHaveLength(1);
    expect(
      (
        await t.request("PUT", "/v1/admin/commitments/pickup_handover", {
          token: token.agentA,
          body: { workingDays: 1 },
          headers: { "idempotency-key": newId("audit") },
        })
      ).status,
    ).toBe(403);
    const tooMany = await t.request("PUT", "/v1/admin/commitments/pickup_handover", {
      token: token.admin,
      body: { workingDays: 61 },
      headers: { "idempotency-key": newId("audit") },
    });
    expect(tooMany.status).toBe(400);

    // The never-collected pickup is now due 10 working days after 8 Oct (the 21st): at risk, not breached.
    const report = await commitmentsReport(t.db.db, {
      coopId: w.coop.id,
      pointId: w.pointA.id,
      from: "2026-09-01",
      to: "2026-10-20",
      now: NOW,
    });
    expect(report.kinds.find((k) => k.kind === "pickup_handover")).toMatchObject({ breached: 0, atRisk: 1 });
  });

  it("texts a point with work at risk or breached once a day, however many processes run the job", async () => {
    const sent = await Promise.all([
      sendCommitmentReminders(t.db.db, NOW),
      sendCommitmentReminders(t.db.db, NOW),
    ]);
    expect(sent[0]! + sent[1]!).toBe(1);
    expect(await sendCommitmentReminders(t.db.db, NOW)).toBe(0);
    const sms = await sqlRows<{ recipient: string; data: { atRisk: number; breached: number } }>(
      t.db.db,
      sql`SELECT recipient, data FROM notifications WHERE template = 'commitment_reminder'`,
    );
    expect(sms).toEqual([
      { recipient: "0734-1234567", data: expect.objectContaining({ atRisk: 2, breached: 0 }) },
    ]);
    // The next day is another day.
    expect(await sendCommitmentReminders(t.db.db, new Date(NOW.getTime() + 86_400_000))).toBe(1);
  });
});
