import { createDb, type Database, type DbHandle } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { eq, inArray, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  claimNotifications,
  deliverOutbox,
  OUTBOX_MAX_ATTEMPTS,
  OUTBOX_RETRY_BASE_MS,
} from "../src/jobs/outbox";
import type { SmsProvider } from "../src/jobs/sms";

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** A provider that records what it was asked to send and yields between messages, as a network call would. */
function recordingSms(fail?: () => boolean): SmsProvider & { sent: number[] } {
  const sent: number[] = [];
  return {
    sent,
    async send(message) {
      await new Promise((r) => setTimeout(r, 0));
      if (fail?.()) throw new Error("provider unavailable");
      sent.push(message.data.n as number);
    },
  };
}

async function queueMessages(db: Database, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const id = newId("notification");
      ids.push(id);
      return {
        id,
        channel: "sms" as const,
        recipient: "13800000000",
        template: "order_placed",
        data: { n: from + start + i },
      };
    });
    await db.insert(notifications).values(rows);
  }
  return ids;
}

describe.each(testDbKinds())("notification outbox (%s)", (kind) => {
  let t: TestDb;
  /** A second, independent handle: its own pool on PostgreSQL (another process, in effect). */
  let other: DbHandle;

  beforeAll(async () => {
    t = await createTestDb(kind);
    // PGlite has exactly one connection, so there the two deliverers interleave on it; on a server they
    // run on two separate pools, as two API processes would.
    other = t.url ? await createDb({ databaseUrl: t.url, maxConnections: 4 }) : t;
  });
  afterAll(async () => {
    if (other && other !== t) await other.close();
    await t?.close();
  });
  beforeEach(async () => {
    await t.db.delete(notifications);
  });

  it("sends each of a burst of 1,500 messages exactly once with two deliverers draining at once", async () => {
    await queueMessages(t.db, 1500);
    const a = recordingSms();
    const b = recordingSms();
    const [ra, rb] = await Promise.all([
      deliverOutbox({ db: t.db, sms: a, logger }),
      deliverOutbox({ db: other.db, sms: b, logger }),
    ]);
    const all = [...a.sent, ...b.sent];
    // Both really took part, or the test would prove nothing about concurrency.
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    expect(all).toHaveLength(1500);
    expect(new Set(all).size).toBe(1500);
    expect(ra.sent + rb.sent).toBe(1500);
    const rows = await t.db
      .select({
        status: notifications.status,
        attempts: notifications.attempts,
        claimed: notifications.claimedUntil,
        sentAt: notifications.sentAt,
      })
      .from(notifications);
    expect(rows).toHaveLength(1500);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "sent", attempts: 1, claimed: null });
      expect(row.sentAt).toBeInstanceOf(Date);
    }
  });

  it("claims a row whose lease has ended, never one under a live lease", async () => {
    const [expired, live, free] = await queueMessages(t.db, 3);
    await t.db
      .update(notifications)
      .set({ claimedUntil: sql`now() - interval '1 second'` })
      .where(eq(notifications.id, expired!));
    await t.db
      .update(notifications)
      .set({ claimedUntil: sql`now() + interval '1 minute'` })
      .where(eq(notifications.id, live!));

    const claimed = await claimNotifications(other.db, 10, 60_000);
    expect(claimed.map((n) => n.id).sort()).toEqual([expired!, free!].sort());
    for (const n of claimed) expect(n.claimedUntil!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // Now all three are leased: nothing is left to claim, from either handle.
    expect(await claimNotifications(t.db, 10, 60_000)).toEqual([]);
    expect(await claimNotifications(other.db, 10, 60_000)).toEqual([]);
  });

  it("sends the messages of a deliverer that died after claiming them once its lease ends", async () => {
    await queueMessages(t.db, 5);
    // A process claims the rows and dies before sending or marking anything.
    expect(await claimNotifications(t.db, 50, 400)).toHaveLength(5);
    const sms = recordingSms();
    expect(await deliverOutbox({ db: other.db, sms, logger })).toEqual({ sent: 0, failed: 0 });
    await new Promise((r) => setTimeout(r, 600));
    expect(await deliverOutbox({ db: other.db, sms, logger })).toEqual({ sent: 5, failed: 0 });
    expect(sms.sent.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("counts a failed send, backs it off, hands the rest back, and gives up after the last attempt", async () => {
    const [first, ...rest] = await queueMessages(t.db, 3);
    const down = recordingSms(() => true);

    expect(await deliverOutbox({ db: t.db, sms: down, logger })).toEqual({ sent: 0, failed: 0 });
    const [afterOne] = await t.db.select().from(notifications).where(eq(notifications.id, first!));
    expect(afterOne).toMatchObject({ status: "pending", attempts: 1 });
    // Backed off by about OUTBOX_RETRY_BASE_MS (database clock), so an immediate rerun does not retry it.
    const wait = afterOne!.claimedUntil!.getTime() - Date.now();
    expect(wait).toBeGreaterThan(OUTBOX_RETRY_BASE_MS - 3000);
    expect(wait).toBeLessThanOrEqual(OUTBOX_RETRY_BASE_MS + 3000);
    // The untried messages were released at once, attempts untouched.
    const untried = await t.db.select().from(notifications).where(inArray(notifications.id, rest));
    for (const n of untried) expect(n).toMatchObject({ status: "pending", attempts: 0, claimedUntil: null });

    // Each later run tries one message (the provider is down); skip the back-off to reach the limit.
    const skipBackOff = () => t.db.update(notifications).set({ claimedUntil: null });
    for (let run = 0; run < 3 * OUTBOX_MAX_ATTEMPTS; run++) {
      await skipBackOff();
      await deliverOutbox({ db: t.db, sms: down, logger });
    }
    const rows = await t.db.select().from(notifications);
    expect(rows).toHaveLength(3);
    for (const n of rows) {
      expect(n).toMatchObject({ status: "failed", attempts: OUTBOX_MAX_ATTEMPTS, claimedUntil: null });
    }
    expect(down.sent).toEqual([]);

    // A failed message is not retried any more, even when the provider is back.
    const up = recordingSms();
    expect(await deliverOutbox({ db: t.db, sms: up, logger })).toEqual({ sent: 0, failed: 0 });
  });

  it("sends a message whose back-off has passed, counting the earlier attempt", async () => {
    const [id] = await queueMessages(t.db, 1);
    let failures = 1;
    const flaky = recordingSms(() => failures-- > 0);
    await deliverOutbox({ db: t.db, sms: flaky, logger });
    await t.db
      .update(notifications)
      .set({ claimedUntil: sql`now() - interval '1 second'` })
      .where(eq(notifications.id, id!));
    expect(await deliverOutbox({ db: t.db, sms: flaky, logger })).toEqual({ sent: 1, failed: 0 });
    const [row] = await t.db.select().from(notifications).where(eq(notifications.id, id!));
    expect(row).toMatchObject({ status: "sent", attempts: 2, claimedUntil: null });
  });
});
