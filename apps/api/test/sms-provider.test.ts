import { createDb, type Database, type DbHandle } from "@coop/db";
import { notifications, smsDeliveryReports } from "@coop/db/schema";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { eq, inArray, ne } from "drizzle-orm";
import PgBoss from "pg-boss";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { publicLinks } from "../src/domain/lots/public-link";
import { SMS_TEMPLATES } from "../src/domain/notifications/sms-templates";
import { claimNotifications, deliverOutbox } from "../src/jobs/outbox";
import { NOTIFICATION_RETENTION_MS, purgeExpiredRows } from "../src/jobs/retention";
import { aliyunSmsProvider } from "../src/jobs/sms/aliyun";
import { type ApiProcess, startApi } from "./api-process";
import { createTestApp, type TestApp } from "./helpers";
import { type FakeAliyun, startFakeAliyun } from "./mocks/fake-aliyun-sms";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
const SECRET = "fake-aliyun-access-key-secret";
const REPORT_TOKEN = "sms-report-token-for-tests-0123456789";
const LINK_SECRET = "public-link-secret-for-the-sms-tests-000";
/** One code per template, as an operator would configure SMS_TEMPLATE_CODES. */
const TEMPLATE_CODES = Object.fromEntries(
  Object.keys(SMS_TEMPLATES).map((name, i) => [name, `SMS_${1000 + i}`]),
);
const PHONES = ["13800000001", "13800000002", "13800000003"];

/** Payout messages to a few phones, so one phone has more records than one QuerySendDetails page holds. */
async function queuePayoutSms(db: Database, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId("notification"),
    channel: "sms" as const,
    recipient: PHONES[i % PHONES.length]!,
    template: "payout_made",
    data: { payoutId: `pay_${i}`, amountFen: 1000 + i, method: "cash", balanceAfterFen: 50_00 },
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(notifications).values(rows.slice(i, i + 500));
  return rows.map((r) => r.id);
}

const rowsOf = (db: Database, ids: string[]) =>
  db.select().from(notifications).where(inArray(notifications.id, ids));

/** Every OutId accepted by the fake exactly once, and nothing else accepted. */
function expectEachAcceptedOnce(fake: FakeAliyun, ids: string[]) {
  const counts = fake.acceptedPerOutId();
  expect([...counts.keys()].sort()).toEqual([...ids].sort());
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
}

describe.each(testDbKinds())("Aliyun SMS through the outbox, in-process (%s)", (kind) => {
  let t: TestApp;
  let other: DbHandle | TestDb;
  let fake: FakeAliyun;
  const provider = (timeoutMs = 1000) =>
    aliyunSmsProvider({
      endpoint: fake.url,
      accessKeyId: "key-in-process",
      accessKeySecret: SECRET,
      signName: "供销社",
      templateCodes: TEMPLATE_CODES,
      render: { links: publicLinks(LINK_SECRET, "https://shop.example") },
      timeoutMs,
    });
  /** Drains until nothing is pending, skipping each back-off (the clock of a day, in a test). */
  async function drainSkippingBackOff(rounds = 12, timeoutMs = 1000) {
    for (let round = 0; round < rounds; round++) {
      await deliverOutbox({ db: t.db.db, sms: provider(timeoutMs), logger });
      if ((await t.db.db.$count(notifications, eq(notifications.status, "pending"))) === 0) return round + 1;
      await t.db.db
        .update(notifications)
        .set({ claimedUntil: null })
        .where(eq(notifications.status, "pending"));
    }
    throw new Error("messages still pending");
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { SMS_REPORT_TOKEN: REPORT_TOKEN, PUBLIC_LINK_SECRET: LINK_SECRET });
    // A second handle: its own pool on PostgreSQL (another process, in effect); PGlite has one connection.
    other = t.db.url ? await createDb({ databaseUrl: t.db.url, maxConnections: 4 }) : t.db;
  });
  afterAll(async () => {
    if (other && other !== t.db) await other.close();
    await t?.close();
  });
  beforeEach(async () => {
    fake = await startFakeAliyun({ keys: { "key-in-process": SECRET }, delayMs: 2 });
    await t.db.db.delete(smsDeliveryReports);
    await t.db.db.delete(notifications);
  });
  afterEach(() => fake.close());

  it("sends each message once with two deliverers, keeps its BizId, and stores each receipt once when pushed twice", async () => {
    const ids = await queuePayoutSms(t.db.db, 120);
    const [a, b] = await Promise.all([
      deliverOutbox({ db: t.db.db, sms: provider(), logger, batchSize: 10 }),
      deliverOutbox({ db: other.db, sms: provider(), logger, batchSize: 10 }),
    ]);
    expect(a.sent + b.sent).toBe(120);
    expectEachAcceptedOnce(fake, ids);
    expect(fake.badSignatures).toBe(0);
    // What reached Aliyun: the template code, the variables, the sign name.
    expect(fake.accepted[0]).toMatchObject({
      templateCode: TEMPLATE_CODES.payout_made,
      signName: "供销社",
      params: { amount: expect.stringMatching(/^¥10\.\d\d$/), method: "现金", balance: "¥50.00" },
    });
    const bizOf = new Map(fake.accepted.map((m) => [m.outId, m.bizId]));
    for (const row of await rowsOf(t.db.db, ids)) {
      expect(row).toMatchObject({ status: "sent", provider: "aliyun", providerMessageId: bizOf.get(row.id) });
      expect(row.sendAttemptedAt).toBeInstanceOf(Date);
    }

    const reports = fake.reportsFor(fake.accepted);
    const push = (body: unknown, token = REPORT_TOKEN) =>
      t.request("POST", `/v1/webhooks/sms/aliyun?token=${encodeURIComponent(token)}`, { body });
    const first = await push(reports);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ code: 0, msg: "成功" });
    // Aliyun pushes again (our answer was lost): acknowledged, nothing new.
    expect((await push(reports)).json).toEqual({ code: 0, msg: "成功" });
    expect((await push(reports.slice(0, 5))).status).toBe(200);
    const stored = await t.db.db.select().from(smsDeliveryReports);
    expect(stored).toHaveLength(120);
    expect(new Set(stored.map((r) => r.notificationId))).toEqual(new Set(ids));
    for (const row of await rowsOf(t.db.db, ids)) {
      expect(row.deliveredAt).toBeInstanceOf(Date);
      expect(row.deliveryFailed).toBe(false);
    }
  });

  it("refuses a receipt push without the right token, before reading it", async () => {
    const reports = [{ success: true, biz_id: "1^0", out_id: "ntf_x" }];
    expect((await t.request("POST", "/v1/webhooks/sms/aliyun", { body: reports })).status).toBe(401);
    const wrong = await t.request("POST", "/v1/webhooks/sms/aliyun?token=not-the-token-000000", {
      body: "{",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("UNAUTHENTICATED");
    const bad = await t.request("POST", `/v1/webhooks/sms/aliyun?token=${REPORT_TOKEN}`, {
      body: [{ x: 1 }],
    });
    expect(bad.status).toBe(400);
    expect(await t.db.db.select().from(smsDeliveryReports)).toEqual([]);
  });

  it("a 5xx after acceptance and an answer that never comes are looked up, not sent again; a plain 5xx is resent", async () => {
    const ids = await queuePayoutSms(t.db.db, 12);
    const [acceptedThen500, plain500, acceptedThenHang] = ids;
    fake.setPlan((outId, call) => {
      if (call > 1) return "accept";
      if (outId === acceptedThen500) return "accept-then-500";
      if (outId === plain500) return "500";
      if (outId === acceptedThenHang) return "accept-then-hang";
      return "accept";
    });
    const rounds = await drainSkippingBackOff(12, 300);
    expect(rounds).toBeGreaterThan(1);
    expectEachAcceptedOnce(fake, ids);
    // The two whose answers were lost were asked for once and found by QuerySendDetails; the plain 500 twice.
    expect(fake.calls.get(acceptedThen500!)).toBe(1);
    expect(fake.calls.get(acceptedThenHang!)).toBe(1);
    expect(fake.calls.get(plain500!)).toBe(2);
    expect(fake.queries).toBeGreaterThanOrEqual(3);
    const rows = await rowsOf(t.db.db, ids);
    for (const row of rows) expect(row).toMatchObject({ status: "sent", provider: "aliyun" });
    // Found by lookup: Aliyun's record carries no BizId; the delivery receipt brings it.
    const found = fake.accepted.filter((m) => m.outId === acceptedThen500 || m.outId === acceptedThenHang);
    expect(rows.find((r) => r.id === acceptedThen500)?.providerMessageId).toBeNull();
    await t.request("POST", `/v1/webhooks/sms/aliyun?token=${REPORT_TOKEN}`, {
      body: fake.reportsFor(found),
    });
    for (const row of await rowsOf(t.db.db, [acceptedThen500!, acceptedThenHang!])) {
      expect(row.providerMessageId).toBe(found.find((m) => m.outId === row.id)?.bizId);
      expect(row.deliveredAt).toBeInstanceOf(Date);
    }
  });

  it("a throttled message is retried; an invalid phone is failed for good and never retried", async () => {
    const [throttled, invalid, fine] = await queuePayoutSms(t.db.db, 3);
    fake.setPlan((outId, call) =>
      outId === invalid ? "invalid-phone" : outId === throttled && call === 1 ? "throttle" : "accept",
    );
    await drainSkippingBackOff();
    expectEachAcceptedOnce(fake, [throttled!, fine!]);
    expect(fake.calls.get(invalid!)).toBe(1);
    // Throttling is a refusal: nothing to look up, so no query was made for it.
    expect(fake.queries).toBe(0);
    const rows = new Map((await rowsOf(t.db.db, [throttled!, invalid!, fine!])).map((r) => [r.id, r]));
    expect(rows.get(invalid!)).toMatchObject({ status: "failed", attempts: 1, sendAttemptedAt: null });
    expect(rows.get(throttled!)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a receipt saying the phone never got it marks the message delivery_failed", async () => {
    const [id] = await queuePayoutSms(t.db.db, 1);
    await deliverOutbox({ db: t.db.db, sms: provider(), logger });
    const [report] = fake.reportsFor(fake.accepted);
    const res = await t.request("POST", `/v1/webhooks/sms/aliyun?token=${REPORT_TOKEN}`, {
      body: [{ ...report, success: false, err_code: "MK:0001", err_msg: "空号" }],
    });
    expect(res.json).toEqual({ code: 0, msg: "成功" });
    const [row] = await rowsOf(t.db.db, [id!]);
    expect(row).toMatchObject({ status: "sent", deliveryFailed: true, deliveredAt: null });
    const [stored] = await t.db.db.select().from(smsDeliveryReports);
    expect(stored).toMatchObject({ success: false, errorCode: "MK:0001", notificationId: id });
  });

  it("retention purges an old message together with its delivery receipt", async () => {
    const [old, recent] = await queuePayoutSms(t.db.db, 2);
    await deliverOutbox({ db: t.db.db, sms: provider(), logger });
    await t.request("POST", `/v1/webhooks/sms/aliyun?token=${REPORT_TOKEN}`, {
      body: fake.reportsFor(fake.accepted),
    });
    await t.db.db
      .update(notifications)
      .set({ createdAt: new Date(Date.now() - NOTIFICATION_RETENTION_MS - 60_000) })
      .where(eq(notifications.id, old!));
    expect((await purgeExpiredRows(t.db.db)).notifications).toBe(1);
    expect((await t.db.db.select().from(notifications)).map((n) => n.id)).toEqual([recent]);
    expect((await t.db.db.select().from(smsDeliveryReports)).map((r) => r.notificationId)).toEqual([recent]);
  });

  it("after a sender died mid-send, what had reached Aliyun is found, not resent; the rest is sent once", async () => {
    const ids = await queuePayoutSms(t.db.db, 6);
    // A process claims the batch (recording its intent), sends two, and dies before marking anything.
    const claimed = await claimNotifications(t.db.db, 50, 300);
    expect(claimed.every((n) => !n.attemptedBefore && n.sendAttemptedAt instanceof Date)).toBe(true);
    for (const n of claimed.slice(0, 2)) {
      await provider().send({
        id: n.id,
        to: n.recipient,
        template: n.template,
        data: n.data as Record<string, unknown>,
        attemptedAt: n.sendAttemptedAt!,
      });
    }
    await new Promise((r) => setTimeout(r, 400));
    const again = await claimNotifications(other.db, 50, 60_000);
    expect(again.every((n) => n.attemptedBefore)).toBe(true);
    await t.db.db.update(notifications).set({ claimedUntil: null });
    expect(await deliverOutbox({ db: other.db, sms: provider(), logger })).toEqual({ sent: 6, failed: 0 });
    expectEachAcceptedOnce(fake, ids);
    for (const n of claimed.slice(0, 2)) expect(fake.calls.get(n.id)).toBe(1);
  });
});

/**
 * Issue 9's check: two real API processes (src/server.ts) on a PostgreSQL server, both with SMS_PROVIDER=aliyun
 * pointed at the fake, drain 200 queued SMS. Each process signs with its own key, so the fake can tell that
 * both took part. Some answers are lost (a 5xx after the fake took the message, a hang past the 10 s timeout)
 * and some sends plainly fail (5xx): every OutId is still accepted exactly once, and the delivery receipts,
 * pushed twice and to both processes, are recorded once.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("Aliyun SMS with two API processes (postgres)", () => {
  let t: TestDb;
  let fake: FakeAliyun;
  let boss: PgBoss;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    t = await createTestDb("postgres");
    fake = await startFakeAliyun({ keys: { "process-a": SECRET, "process-b": SECRET }, delayMs: 15 });
    const env = (key: string) => ({
      SMS_PROVIDER: "aliyun",
      SMS_ALIYUN_ENDPOINT: fake.url,
      SMS_ALIYUN_ACCESS_KEY_ID: key,
      SMS_ALIYUN_ACCESS_KEY_SECRET: SECRET,
      SMS_SIGN_NAME: "供销社",
      SMS_TEMPLATE_CODES: JSON.stringify(TEMPLATE_CODES),
      SMS_REPORT_TOKEN: REPORT_TOKEN,
      PUBLIC_LINK_SECRET: LINK_SECRET,
    });
    apis.push(
      ...(await Promise.all([startApi(t.url!, env("process-a")), startApi(t.url!, env("process-b"))])),
    );
    // The test wakes the senders as traffic would (each request that queues an SMS sends this job).
    boss = new PgBoss({
      connectionString: t.url!,
      schema: "pgboss",
      max: 2,
      supervise: false,
      schedule: false,
    });
    boss.on("error", () => {});
    await boss.start();
  }, 120_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => {});
    await Promise.all(apis.map((api) => api.stop()));
    await fake?.close();
    await t?.close();
  });

  it("drains 200 SMS exactly once across both processes, through lost answers, and records receipts once", async () => {
    const ids = await queuePayoutSms(t.db, 200);
    const lostAfterAccept = new Set(ids.slice(40, 42));
    const hang = new Set(ids.slice(90, 91));
    const plainFailure = new Set(ids.slice(150, 152));
    fake.setPlan((outId, call) => {
      if (call > 1) return "accept";
      if (lostAfterAccept.has(outId)) return "accept-then-500";
      if (hang.has(outId)) return "accept-then-hang";
      if (plainFailure.has(outId)) return "500";
      return "accept";
    });
    const pendingCount = () => t.db.$count(notifications, ne(notifications.status, "sent"));
    const deadline = Date.now() + 150_000;
    while ((await pendingCount()) > 0) {
      if (Date.now() > deadline) {
        throw new Error(`still pending after 150 s\n${apis.map((a) => a.output()).join("\n---\n")}`);
      }
      await Promise.all([boss.send("notifications", {}), boss.send("notifications", {})]);
      await new Promise((r) => setTimeout(r, 1500));
    }

    expectEachAcceptedOnce(fake, ids);
    expect(fake.badSignatures).toBe(0);
    const perKey = fake.acceptedPerKey();
    expect(perKey.get("process-a")).toBeGreaterThan(0);
    expect(perKey.get("process-b")).toBeGreaterThan(0);
    for (const id of [...lostAfterAccept, ...hang]) expect(fake.calls.get(id)).toBe(1);
    for (const id of plainFailure) expect(fake.calls.get(id)).toBe(2);

    // Receipts: all 200 pushed to both processes at once, then again to one of them.
    const reports = fake.reportsFor(fake.accepted);
    const push = async (api: ApiProcess, body: unknown) => {
      const res = await fetch(`${api.url}/v1/webhooks/sms/aliyun?token=${REPORT_TOKEN}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ code: 0, msg: "成功" });
    };
    await Promise.all([push(apis[0]!, reports), push(apis[1]!, reports)]);
    await push(apis[0]!, reports.slice(0, 100));
    expect(await t.db.select().from(smsDeliveryReports)).toHaveLength(200);
    const bizOf = new Map(fake.accepted.map((m) => [m.outId, m.bizId]));
    for (const row of await rowsOf(t.db, ids)) {
      expect(row).toMatchObject({ status: "sent", provider: "aliyun", providerMessageId: bizOf.get(row.id) });
      expect(row.deliveredAt).toBeInstanceOf(Date);
    }
  }, 240_000);
});
