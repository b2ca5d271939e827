import type { Database } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { notificationDataWithoutSecrets } from "../domain/orders/pickup-secrets";
import type { SmsProvider } from "./sms";

// The notification outbox is delivered by whichever API process gets there first: rows are claimed (a
// lease in notifications.claimed_until) in the same statement that picks them, so two processes draining
// at once never pick the same message. Delivery is exactly once except in one case: a process that dies
// after sending a message but before marking it sent leaves it claimed; when the lease ends another
// process claims and sends it again (at least once, only after a crash).

/** Messages claimed per statement; also how many are marked sent at once. */
export const OUTBOX_BATCH_SIZE = 50;
/** How long a claim holds. Longer than a batch ever takes to send, short enough that a crash delays little. */
export const OUTBOX_LEASE_MS = 120_000;
/** A message that failed this many times is given up (status "failed") instead of retried. */
export const OUTBOX_MAX_ATTEMPTS = 5;
/** First wait before a failed message is retried; doubles with each attempt. */
export const OUTBOX_RETRY_BASE_MS = 10_000;

export interface OutboxDeps {
  db: Database;
  sms: SmsProvider;
  logger: Logger;
  batchSize?: number;
  leaseMs?: number;
}

export type ClaimedNotification = typeof notifications.$inferSelect;

/** Postgres interval of `ms` milliseconds, as an expression (one typed parameter, same on PGlite). */
const millis = (ms: number) => sql`(${ms}::double precision * interval '1 millisecond')`;

/**
 * Claims up to `limit` deliverable messages, oldest first, in one statement: rows another sender is
 * claiming right now are skipped (SKIP LOCKED), rows under a live lease are not deliverable.
 */
export async function claimNotifications(
  db: Database,
  limit: number,
  leaseMs: number,
): Promise<ClaimedNotification[]> {
  const deliverable = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.status, "pending"),
        or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, sql`now()`)),
      ),
    )
    .orderBy(asc(notifications.createdAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(notifications)
    .set({ claimedUntil: sql`now() + ${millis(leaseMs)}` })
    .where(inArray(notifications.id, deliverable))
    .returning();
  // RETURNING keeps no order; messages go out in the order they were queued.
  return claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/**
 * Sends every deliverable message, batch by batch, until none is left or the provider fails (then the rest
 * waits for the next wake-up or sweep). Returns how many were sent.
 */
export async function deliverOutbox(deps: OutboxDeps): Promise<{ sent: number; failed: number }> {
  const { db, sms, logger } = deps;
  const batchSize = deps.batchSize ?? OUTBOX_BATCH_SIZE;
  const leaseMs = deps.leaseMs ?? OUTBOX_LEASE_MS;
  let sentTotal = 0;
  let failedTotal = 0;
  for (;;) {
    const claimedAt = Date.now();
    const batch = await claimNotifications(db, batchSize, leaseMs);
    if (batch.length === 0) return { sent: sentTotal, failed: failedTotal };
    const sent: string[] = [];
    let failure: { notification: ClaimedNotification; err: unknown } | undefined;
    for (const n of batch) {
      // Never start a send late in the lease: past its end another process may claim the same row.
      if (Date.now() - claimedAt > leaseMs / 2) break;
      try {
        await sms.send({ to: n.recipient, template: n.template, data: n.data as Record<string, unknown> });
        sent.push(n.id);
      } catch (err) {
        failure = { notification: n, err };
        break;
      }
    }
    // One statement per batch, not one per message: at a flash sale every order queues an SMS.
    if (sent.length > 0) {
      await db
        .update(notifications)
        .set({
          status: "sent",
          sentAt: new Date(),
          // A pickup code or one-time code is kept only until it is sent (domain/orders/pickup-secrets.ts).
          data: notificationDataWithoutSecrets(),
          claimedUntil: null,
          attempts: sql`${notifications.attempts} + 1`,
        })
        .where(inArray(notifications.id, sent));
      sentTotal += sent.length;
    }
    const done = new Set(sent);
    if (failure) done.add(failure.notification.id);
    const untried = batch.filter((n) => !done.has(n.id)).map((n) => n.id);
    if (untried.length > 0) {
      // Handed back at once rather than left to their lease, so the next run (or another process) takes them.
      await db.update(notifications).set({ claimedUntil: null }).where(inArray(notifications.id, untried));
    }
    if (failure) {
      const { notification: n, err } = failure;
      const attempts = n.attempts + 1;
      const givenUp = attempts >= OUTBOX_MAX_ATTEMPTS;
      // The lease doubles as the back-off: the row is not deliverable again until claimed_until has passed.
      await db
        .update(notifications)
        .set({
          status: givenUp ? "failed" : "pending",
          attempts,
          ...(givenUp ? { data: notificationDataWithoutSecrets() } : {}),
          claimedUntil: givenUp ? null : sql`now() + ${millis(OUTBOX_RETRY_BASE_MS * 2 ** (attempts - 1))}`,
        })
        .where(eq(notifications.id, n.id));
      if (givenUp) failedTotal++;
      logger.warn({ err, notificationId: n.id, attempts, givenUp }, "SMS not sent");
      // The provider is likely down: stop here rather than spend every message's attempts on it.
      return { sent: sentTotal, failed: failedTotal };
    }
  }
}
