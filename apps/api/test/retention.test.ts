import { randomBytes } from "node:crypto";
import { createDb, type DbHandle } from "@coop/db";
import {
  buyerLoginCodes,
  buyerSessions,
  idempotencyKeys,
  loginThrottle,
  notifications,
  orders,
  pickupSmsCodes,
  sessions,
  webhookEvents,
} from "@coop/db/schema";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BUYER_LOGIN_CODE_RETENTION_MS,
  IDEMPOTENCY_KEY_RETENTION_MS,
  LOGIN_THROTTLE_MAX_WINDOW_MS,
  LOGIN_THROTTLE_RETENTION_MS,
  NOTIFICATION_RETENTION_MS,
  PICKUP_SMS_CODE_RETENTION_MS,
  purgeExpiredRows,
  SESSION_RETENTION_MS,
  WEBHOOK_EVENT_RETENTION_MS,
} from "../src/jobs/retention";
import { makeCoop, makeStaff } from "./factories";

const MINUTE = 60_000;

describe.each(testDbKinds())("retention (%s)", (kind) => {
  let t: TestDb;
  let orderId = "";
  let userId: string;
  const now = new Date();
  /** Just past a period (gone) and just within it (kept). */
  const outside = (period: number) => new Date(now.getTime() - period - MINUTE);
  const inside = (period: number) => new Date(now.getTime() - period + MINUTE);
  const later = new Date(now.getTime() + 7 * 24 * 60 * MINUTE);

  beforeAll(async () => {
    t = await createTestDb(kind);
    const coop = await makeCoop(t.db);
    userId = (await makeStaff(t.db, coop.id, "warehouse")).id;
    orderId = newId("order");
    await t.db.insert(orders).values({
      id: orderId,
      coopId: coop.id,
      status: "confirmed",
      contactName: "村民",
      contactPhone: "13800000000",
      fulfilmentType: "delivery",
      deliveryAddress: "衡阳",
      paymentMethod: "cash_on_pickup",
      subtotalFen: 100,
      totalFen: 100,
      accessTokenHash: "h",
    });
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    for (const table of [
      idempotencyKeys,
      sessions,
      buyerSessions,
      buyerLoginCodes,
      webhookEvents,
      notifications,
      loginThrottle,
      pickupSmsCodes,
    ]) {
      await t.db.delete(table);
    }
  });

  const key = (name: string, createdAt: Date, finished = true) =>
    t.db.insert(idempotencyKeys).values({
      scope: "public",
      key: name,
      method: "POST",
      path: "/v1/orders",
      requestHash: "h",
      createdAt,
      responseStatus: finished ? 201 : null,
      responseBody: finished ? {} : null,
      completedAt: finished ? createdAt : null,
    });
  const session = (name: string, expiresAt: Date, revokedAt: Date | null = null) =>
    t.db.insert(sessions).values({
      id: newId("session"),
      userId,
      tokenHash: `${name}-${randomBytes(8).toString("hex")}`,
      userAgent: name,
      createdAt: new Date(Math.min(expiresAt.getTime(), (revokedAt ?? expiresAt).getTime()) - MINUTE),
      expiresAt,
      revokedAt,
    });
  const buyerSession = (name: string, expiresAt: Date, revokedAt: Date | null = null) =>
    t.db.insert(buyerSessions).values({ tokenHash: name, phone: "13800000000", expiresAt, revokedAt });
  const buyerCode = (phone: string, expiresAt: Date) =>
    t.db.insert(buyerLoginCodes).values({ phone, codeHash: "h", expiresAt });
  const webhook = (name: string, receivedAt: Date, processed: boolean) =>
    t.db.insert(webhookEvents).values({
      provider: "stripe",
      eventId: name,
      type: "payment_intent.succeeded",
      payload: {},
      receivedAt,
      processedAt: processed ? receivedAt : null,
    });
  const message = (name: string, createdAt: Date, status: "pending" | "sent" | "failed") =>
    t.db.insert(notifications).values({
      id: newId("notification"),
      channel: "sms",
      recipient: "13800000000",
      template: name,
      data: {},
      status,
      createdAt,
    });
  const smsCode = (name: string, createdAt: Date) =>
    t.db.insert(pickupSmsCodes).values({
      id: newId("pickupSmsCode"),
      orderId,
      codeHash: name,
      sentTo: "13800000000",
      sentByUserId: userId,
      expiresAt: new Date(createdAt.getTime() + 10 * MINUTE),
      createdAt,
    });
  const throttle = (name: string, windowStartedAt: Date) =>
    t.db.insert(loginThrottle).values({ bucket: name, windowStartedAt, failures: 3 });

  const remaining = async () => ({
    idempotencyKeys: (await t.db.select({ k: idempotencyKeys.key }).from(idempotencyKeys))
      .map((r) => r.k)
      .sort(),
    sessions: (await t.db.select({ n: sessions.userAgent }).from(sessions)).map((r) => r.n).sort(),
    buyerSessions: (await t.db.select({ h: buyerSessions.tokenHash }).from(buyerSessions))
      .map((r) => r.h)
      .sort(),
    buyerLoginCodes: (await t.db.select({ p: buyerLoginCodes.phone }).from(buyerLoginCodes))
      .map((r) => r.p)
      .sort(),
    webhookEvents: (await t.db.select({ e: webhookEvents.eventId }).from(webhookEvents))
      .map((r) => r.e)
      .sort(),
    notifications: (await t.db.select({ n: notifications.template }).from(notifications))
      .map((r) => r.n)
      .sort(),
    loginThrottle: (await t.db.select({ b: loginThrottle.bucket }).from(loginThrottle))
      .map((r) => r.b)
      .sort(),
    pickupSmsCodes: (await t.db.select({ h: pickupSmsCodes.codeHash }).from(pickupSmsCodes))
      .map((r) => r.h)
      .sort(),
  });

  it("deletes only the rows past each period, and keeps what is still owed", async () => {
    await key("key-old-finished", outside(IDEMPOTENCY_KEY_RETENTION_MS));
    await key("key-old-abandoned", outside(IDEMPOTENCY_KEY_RETENTION_MS), false);
    await key("key-recent", inside(IDEMPOTENCY_KEY_RETENTION_MS));
    await key("key-recent-running", inside(IDEMPOTENCY_KEY_RETENTION_MS), false);

    await session("expired-old", outside(SESSION_RETENTION_MS));
    await session("expired-recent", inside(SESSION_RETENTION_MS));
    await session("revoked-old", later, outside(SESSION_RETENTION_MS));
    await session("revoked-recent", later, inside(SESSION_RETENTION_MS));
    await session("active", later);

    await buyerSession("buyer-expired-old", outside(SESSION_RETENTION_MS));
    await buyerSession("buyer-revoked-recent", later, inside(SESSION_RETENTION_MS));
    await buyerSession("buyer-active", later);
    await buyerCode("13900000001", outside(BUYER_LOGIN_CODE_RETENTION_MS));
    await buyerCode("13900000002", inside(BUYER_LOGIN_CODE_RETENTION_MS));

    await webhook("evt-old-processed", outside(WEBHOOK_EVENT_RETENTION_MS), true);
    await webhook("evt-recent-processed", inside(WEBHOOK_EVENT_RETENTION_MS), true);
    await webhook("evt-old-unprocessed", outside(2 * WEBHOOK_EVENT_RETENTION_MS), false);

    await message("sms-old-sent", outside(NOTIFICATION_RETENTION_MS), "sent");
    await message("sms-old-failed", outside(NOTIFICATION_RETENTION_MS), "failed");
    await message("sms-recent-sent", inside(NOTIFICATION_RETENTION_MS), "sent");
    await message("sms-old-pending", outside(2 * NOTIFICATION_RETENTION_MS), "pending");

    const throttleSpan = LOGIN_THROTTLE_RETENTION_MS + LOGIN_THROTTLE_MAX_WINDOW_MS;
    await throttle("login:old", outside(throttleSpan));
    await throttle("login:recent", inside(throttleSpan));

    await smsCode("sms-code-old", outside(PICKUP_SMS_CODE_RETENTION_MS));
    await smsCode("sms-code-recent", inside(PICKUP_SMS_CODE_RETENTION_MS));

    const counts = await purgeExpiredRows(t.db, { now });
    expect(counts).toEqual({
      idempotencyKeys: 2,
      sessions: 2,
      buyerSessions: 1,
      buyerLoginCodes: 1,
      webhookEvents: 1,
      notifications: 2,
      loginThrottle: 1,
      pickupSmsCodes: 1,
    });
    expect(await remaining()).toEqual({
      idempotencyKeys: ["key-recent", "key-recent-running"],
      sessions: ["active", "expired-recent", "revoked-recent"],
      buyerSessions: ["buyer-active", "buyer-revoked-recent"],
      buyerLoginCodes: ["13900000002"],
      webhookEvents: ["evt-old-unprocessed", "evt-recent-processed"],
      notifications: ["sms-old-pending", "sms-recent-sent"],
      loginThrottle: ["login:recent"],
      pickupSmsCodes: ["sms-code-recent"],
    });
    // Nothing more to do on a second run.
    expect(Object.values(await purgeExpiredRows(t.db, { now }))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("works through a backlog larger than one batch", async () => {
    const old = outside(IDEMPOTENCY_KEY_RETENTION_MS);
    await t.db.insert(idempotencyKeys).values(
      Array.from({ length: 23 }, (_, i) => ({
        scope: "public",
        key: `backlog-${i}`,
        method: "POST",
        path: "/v1/orders",
        requestHash: "h",
        createdAt: old,
      })),
    );
    await key("key-recent", inside(IDEMPOTENCY_KEY_RETENTION_MS));
    const counts = await purgeExpiredRows(t.db, { now, batchSize: 5 });
    expect(counts.idempotencyKeys).toBe(23);
    expect((await remaining()).idempotencyKeys).toEqual(["key-recent"]);
  });

  // Locks held by other connections exist only on a server (PGlite has one connection): declared there only.
  if (kind === "postgres")
    describe("beside other connections", () => {
      let other: DbHandle;
      beforeAll(async () => {
        other = await createDb({ databaseUrl: t.url, maxConnections: 4 });
      });
      afterAll(() => other?.close());

      it("keeps a key a request is holding right now, without waiting for it", async () => {
        await key("key-in-use", outside(IDEMPOTENCY_KEY_RETENTION_MS), false);
        await key("key-old", outside(IDEMPOTENCY_KEY_RETENTION_MS));
        let release!: () => void;
        const held = new Promise<void>((r) => {
          release = r;
        });
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => {
          locked = r;
        });
        // A request that is storing its answer into the key holds the row's lock in its transaction.
        const request = other.db.transaction(async (tx) => {
          await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "key-in-use")).for("update");
          locked();
          await held;
          await tx
            .update(idempotencyKeys)
            .set({ responseStatus: 201, responseBody: {}, completedAt: new Date() })
            .where(eq(idempotencyKeys.key, "key-in-use"));
        });
        await isLocked;
        const started = Date.now();
        const counts = await purgeExpiredRows(t.db, { now });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(counts.idempotencyKeys).toBe(1);
        expect((await remaining()).idempotencyKeys).toEqual(["key-in-use"]);
        release();
        await request;
        const [row] = await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "key-in-use"));
        expect(row?.responseStatus).toBe(201);
        // Once the request is done, the next run takes it.
        expect((await purgeExpiredRows(t.db, { now })).idempotencyKeys).toBe(1);
      });

      it("lets two processes purge at once, each row deleted once", async () => {
        const old = outside(NOTIFICATION_RETENTION_MS);
        await t.db.insert(notifications).values(
          Array.from({ length: 2000 }, (_, i) => ({
            id: newId("notification"),
            channel: "sms" as const,
            recipient: "13800000000",
            template: `old-${i}`,
            data: {},
            status: "sent" as const,
            createdAt: old,
          })),
        );
        await message("sms-recent-sent", inside(NOTIFICATION_RETENTION_MS), "sent");
        const [a, b] = await Promise.all([
          purgeExpiredRows(t.db, { now, batchSize: 100 }),
          purgeExpiredRows(other.db, { now, batchSize: 100 }),
        ]);
        expect(a.notifications + b.notifications).toBe(2000);
        expect((await remaining()).notifications).toEqual(["sms-recent-sent"]);
      });
    });
});
