import type { Database } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { and, asc, eq, getTableColumns, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { notificationDataWithoutSecrets } from "../domain/notifications/notification-secrets";
import type { LookupResult, OutgoingSms, SendResult, SmsProvider } from "./sms";

// The notification outbox, delivered by whichever API process gets there first.
//
// What is guaranteed (docs/decisions/0024):
// - Two processes never send one message at the same time: a message is claimed (a lease in
//   notifications.claimed_until) in the same statement that picks it, skipping rows another sender is
//   claiming (FOR UPDATE SKIP LOCKED), and no send starts in the second half of a lease.
// - The claim also records the intent to send (send_attempted_at, kept from an earlier claim). It is cleared
//   again only when the message is known NOT to have reached the provider (handed back untried, or refused
//   with a throttling or other error code). So a message claimed with send_attempted_at already set had a
//   send whose outcome is unknown: a lost answer (timeout, reset, 5xx) or a process that died mid-send.
//   Such a message is first LOOKED UP at the provider by our id (Aliyun: QuerySendDetails, OutId = the
//   notification id): found → marked sent, not resent; not found → sent.
// - Hence with Aliyun each message is accepted by the provider at most once, provided the provider lists an
//   accepted message by the time the lookup runs (it runs after the retry back-off, ≥ 10 s, or after a dead
//   sender's lease, 2 min). A provider without a lookup (a test double) gets at-least-once: it is resent. The
//   log provider keeps no record, so an interrupted message is logged again (nothing real was sent).
// - A message refused for good (invalid phone, unknown template) is marked failed at once; one that keeps
//   failing for other reasons is given up after OUTBOX_MAX_ATTEMPTS. Given up with an unknown outcome means
//   it may still have been delivered (its delivery receipt, if any, still arrives and is recorded).

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

/** Postgres interval of `ms` milliseconds, as an expression (one typed parameter, same on PGlite). */
const millis = (ms: number) => sql`(${ms}::double precision * interval '1 millisecond')`;

/** A claimed row, and whether a send of it was started before this claim (its outcome is unknown). */
export type ClaimedNotification = typeof notifications.$inferSelect & { attemptedBefore: boolean };

/**
 * Claims up to `limit` deliverable messages, oldest first, in one statement: rows another sender is
 * claiming right now are skipped (SKIP LOCKED), rows under a live lease are not deliverable. The same
 * statement records the intent to send (send_attempted_at, unless an earlier claim set it) and reports which
 * rows already carried one.
 */
export async function claimNotifications(
  db: Database,
  limit: number,
  leaseMs: number,
): Promise<ClaimedNotification[]> {
  const picked = db.$with("picked").as(
    db
      .select({
        id: notifications.id,
        attemptedBefore: sql<boolean>`(${notifications.sendAttemptedAt} IS NOT NULL)`.as("attempted_before"),
      })
      .from(notifications)
      .where(
        and(
          eq(notifications.status, "pending"),
          or(isNull(notifications.claimedUntil), lt(notifications.claimedUntil, sql`now()`)),
        ),
      )
      .orderBy(asc(notifications.createdAt))
      .limit(limit)
      .for("update", { skipLocked: true }),
  );
  const claimed = await db
    .with(picked)
    .update(notifications)
    .set({
      claimedUntil: sql`now() + ${millis(leaseMs)}`,
      sendAttemptedAt: sql`coalesce(${notifications.sendAttemptedAt}, now())`,
    })
    .from(picked)
    .where(eq(notifications.id, picked.id))
    .returning({ ...getTableColumns(notifications), attemptedBefore: picked.attemptedBefore });
  // RETURNING keeps no order; messages go out in the order they were queued.
  return claimed
    .map((n) => ({
      ...n,
      attemptedBefore: n.attemptedBefore === true || String(n.attemptedBefore) === "true",
    }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

interface Delivered {
  id: string;
  providerMessageId: string | null;
  /** Found at the provider after a lost answer: not sent again, so not another attempt. */
  reconciled: boolean;
}

/** A provider's answer with the two shorthand forms (nothing = accepted; a throw = unknown) made explicit. */
async function sendOnce(sms: SmsProvider, message: OutgoingSms): Promise<SendResult> {
  try {
    return (await sms.send(message)) ?? { kind: "sent", providerMessageId: null };
  } catch (err) {
    return { kind: "unknown", reason: err instanceof Error ? err.message : String(err) };
  }
}

async function lookupOnce(sms: SmsProvider, message: OutgoingSms): Promise<LookupResult> {
  if (!sms.lookup) return { kind: "not_found" };
  try {
    return await sms.lookup(message);
  } catch (err) {
    return { kind: "unknown", reason: err instanceof Error ? err.message : String(err) };
  }
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
/** `CASE id WHEN … THEN … END`: one statement sets a different value on each row of a batch. */
const perRow = (rows: Array<{ id: string; value: SQL }>, otherwise: SQL) =>
  sql`CASE ${notifications.id} ${sql.join(
    rows.map((r) => sql`WHEN ${r.id}::text THEN ${r.value}`),
    sql` `,
  )} ELSE ${otherwise} END`;

/**
 * Sends every deliverable message, batch by batch, until none is left or the provider fails (then the rest
 * waits for the next wake-up or sweep). Returns how many were sent and how many given up.
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
    const delivered: Delivered[] = [];
    const refused: Array<{ id: string; reason: string }> = [];
    let failure: { notification: ClaimedNotification; result: SendResult | LookupResult } | undefined;
    for (const n of batch) {
      // Never start a send late in the lease: past its end another process may claim the same row.
      if (Date.now() - claimedAt > leaseMs / 2) break;
      const message: OutgoingSms = {
        id: n.id,
        to: n.recipient,
        template: n.template,
        data: n.data as Record<string, unknown>,
        attemptedAt: n.sendAttemptedAt ?? new Date(),
      };
      if (n.attemptedBefore) {
        const found = await lookupOnce(sms, message);
        if (found.kind === "found") {
          delivered.push({ id: n.id, providerMessageId: found.providerMessageId, reconciled: true });
          logger.info({ notificationId: n.id }, "SMS found at the provider after a lost answer; not resent");
          continue;
        }
        if (found.kind === "unknown") {
          failure = { notification: n, result: found };
          break;
        }
      }
      const result = await sendOnce(sms, message);
      if (result.kind === "sent") {
        delivered.push({ id: n.id, providerMessageId: result.providerMessageId, reconciled: false });
      } else if (result.kind === "failed") {
        // This message's own fault (its phone, its template): the next one may well go through.
        refused.push({ id: n.id, reason: result.reason });
      } else {
        failure = { notification: n, result };
        break;
      }
    }
    // One statement per outcome per batch, not one per message: at a flash sale every order queues an SMS.
    if (delivered.length > 0) {
      const reconciled = delivered.filter((d) => d.reconciled);
      await db
        .update(notifications)
        .set({
          status: "sent",
          sentAt: new Date(),
          // A pickup code or one-time code is kept only until it is sent (domain/notifications/notification-secrets.ts).
          data: notificationDataWithoutSecrets(),
          claimedUntil: null,
          attempts:
            reconciled.length > 0
              ? sql`${notifications.attempts} + CASE WHEN ${inArray(notifications.id, ids(reconciled))} THEN 0 ELSE 1 END`
              : sql`${notifications.attempts} + 1`,
          provider: sms.name ?? null,
          providerMessageId: perRow(
            delivered.map((d) => ({ id: d.id, value: sql`${d.providerMessageId}::text` })),
            sql`${notifications.providerMessageId}`,
          ),
        })
        .where(inArray(notifications.id, ids(delivered)));
      sentTotal += delivered.length;
    }
    if (refused.length > 0) {
      await db
        .update(notifications)
        .set({
          status: "failed",
          attempts: sql`${notifications.attempts} + 1`,
          data: notificationDataWithoutSecrets(),
          claimedUntil: null,
          // Refused, so certainly not accepted: nothing to look up later.
          sendAttemptedAt: null,
        })
        .where(inArray(notifications.id, ids(refused)));
      failedTotal += refused.length;
      for (const r of refused)
        logger.warn({ notificationId: r.id, reason: r.reason }, "SMS refused for good; not retried");
    }
    const done = new Set([...ids(delivered), ...ids(refused)]);
    if (failure) done.add(failure.notification.id);
    const untried = batch.filter((n) => !done.has(n.id));
    if (untried.length > 0) {
      // Handed back at once rather than left to their lease, so the next run (or another process) takes them.
      // Their intent is withdrawn, unless an earlier send of theirs is still unaccounted for.
      const fresh = untried.filter((n) => !n.attemptedBefore);
      await db
        .update(notifications)
        .set({
          claimedUntil: null,
          ...(fresh.length > 0
            ? {
                sendAttemptedAt: sql`CASE WHEN ${inArray(notifications.id, ids(fresh))} THEN NULL ELSE ${notifications.sendAttemptedAt} END`,
              }
            : {}),
        })
        .where(inArray(notifications.id, ids(untried)));
    }
    if (failure) {
      const { notification: n, result } = failure;
      const attempts = n.attempts + 1;
      const givenUp = attempts >= OUTBOX_MAX_ATTEMPTS;
      // "retry" answers are refusals: the provider did not take the message, so there is nothing to look up.
      const knownNotSent = result.kind === "retry";
      // The lease doubles as the back-off: the row is not deliverable again until claimed_until has passed.
      await db
        .update(notifications)
        .set({
          status: givenUp ? "failed" : "pending",
          attempts,
          ...(givenUp ? { data: notificationDataWithoutSecrets() } : {}),
          ...(knownNotSent ? { sendAttemptedAt: null } : {}),
          claimedUntil: givenUp ? null : sql`now() + ${millis(OUTBOX_RETRY_BASE_MS * 2 ** (attempts - 1))}`,
        })
        // A delivery receipt may have marked it sent meanwhile (domain/notifications/delivery-reports.ts).
        .where(and(eq(notifications.id, n.id), eq(notifications.status, "pending")));
      if (givenUp) failedTotal++;
      const reason = "reason" in result ? result.reason : result.kind;
      logger.warn({ notificationId: n.id, attempts, givenUp, outcome: result.kind, reason }, "SMS not sent");
      // The provider is likely down or throttling: stop here rather than spend every message's attempts on it.
      return { sent: sentTotal, failed: failedTotal };
    }
  }
}
