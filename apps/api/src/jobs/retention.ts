import type { Database } from "@coop/db";
import {
  idempotencyKeys,
  loginThrottle,
  notifications,
  pickupSmsCodes,
  sessions,
  webhookEvents,
} from "@coop/db/schema";
import { and, inArray, isNotNull, like, lt, notLike, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { KNOWN_DEVICE_PREFIX, KNOWN_DEVICE_RETENTION_MS } from "../domain/auth/login-throttle";

// Retention: rows that only ever served a short purpose are deleted once it is over, so the tables that
// every request touches stay small. Each purge deletes in bounded batches of rows it locks with SKIP LOCKED:
// a large backlog never holds many locks for long, a row some request is using right now is left for the
// next run, and two processes purging at once simply take different rows.

const DAY_MS = 24 * 60 * 60 * 1000;

/** An idempotency key is kept this long after its first use: a client's retries come within minutes. */
export const IDEMPOTENCY_KEY_RETENTION_MS = DAY_MS;
/** A session is kept this long after it expired or was revoked (to answer "who was logged in when"). */
export const SESSION_RETENTION_MS = 7 * DAY_MS;
/** A processed webhook event is kept this long after it arrived; Stripe retries for at most 3 days. */
export const WEBHOOK_EVENT_RETENTION_MS = 90 * DAY_MS;
/** A sent or failed notification is kept this long after it was queued. */
export const NOTIFICATION_RETENTION_MS = 90 * DAY_MS;
/** A login-throttle window is kept this long after it ended. */
export const LOGIN_THROTTLE_RETENTION_MS = DAY_MS;
/**
 * The longest login-throttle window, the most LOGIN_WINDOW_MINUTES allows (env.ts): login_throttle holds a
 * window's start, not its end, so a window that started longer ago than this plus
 * LOGIN_THROTTLE_RETENTION_MS has surely ended more than that period ago, whatever the configuration.
 */
export const LOGIN_THROTTLE_MAX_WINDOW_MS = DAY_MS;
/** A villager's one-time pickup SMS code is kept this long after it was sent (it expires in 10 minutes). */
export const PICKUP_SMS_CODE_RETENTION_MS = DAY_MS;
/** Rows deleted per statement. */
export const RETENTION_BATCH_SIZE = 5000;

export type PurgeCounts = Record<
  "idempotencyKeys" | "sessions" | "webhookEvents" | "notifications" | "loginThrottle" | "pickupSmsCodes",
  number
>;

/** Deletes, in batches, one table's rows selected by `batch` (which returns how many it deleted). */
async function inBatches(batchSize: number, batch: (limit: number) => Promise<number>) {
  let total = 0;
  for (;;) {
    const deleted = await batch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Deletes every row past its retention period as of `now`; returns how many rows each table lost. */
export async function purgeExpiredRows(
  db: Database,
  options: { now?: Date; batchSize?: number } = {},
): Promise<PurgeCounts> {
  const now = (options.now ?? new Date()).getTime();
  const size = options.batchSize ?? RETENTION_BATCH_SIZE;
  const before = (ms: number) => new Date(now - ms);

  const idempotencyCutoff = before(IDEMPOTENCY_KEY_RETENTION_MS);
  const idempotency = await inBatches(size, async (limit) => {
    // By created_at (first use, indexed); a key still held by a running request is locked and skipped.
    const old = db
      .select({ scope: idempotencyKeys.scope, key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, idempotencyCutoff))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(idempotencyKeys)
      .where(sql`(${idempotencyKeys.scope}, ${idempotencyKeys.key}) in ${old}`)
      .returning({ key: idempotencyKeys.key });
    return rows.length;
  });

  const sessionCutoff = before(SESSION_RETENTION_MS);
  const session = await inBatches(size, async (limit) => {
    const old = db
      .select({ id: sessions.id })
      .from(sessions)
      .where(or(lt(sessions.expiresAt, sessionCutoff), lt(sessions.revokedAt, sessionCutoff)))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db.delete(sessions).where(inArray(sessions.id, old)).returning({ id: sessions.id });
    return rows.length;
  });

  const webhookCutoff = before(WEBHOOK_EVENT_RETENTION_MS);
  const webhook = await inBatches(size, async (limit) => {
    // An event never processed is kept whatever its age: it is work still owed (or evidence of a failure).
    const old = db
      .select({ provider: webhookEvents.provider, eventId: webhookEvents.eventId })
      .from(webhookEvents)
      .where(and(lt(webhookEvents.receivedAt, webhookCutoff), isNotNull(webhookEvents.processedAt)))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(webhookEvents)
      .where(sql`(${webhookEvents.provider}, ${webhookEvents.eventId}) in ${old}`)
      .returning({ id: webhookEvents.eventId });
    return rows.length;
  });

  const notificationCutoff = before(NOTIFICATION_RETENTION_MS);
  const notification = await inBatches(size, async (limit) => {
    // A pending message is never purged, however old: it has not been delivered yet.
    const old = db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          inArray(notifications.status, ["sent", "failed"]),
          lt(notifications.createdAt, notificationCutoff),
        ),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(notifications)
      .where(inArray(notifications.id, old))
      .returning({ id: notifications.id });
    return rows.length;
  });

  const throttleCutoff = before(LOGIN_THROTTLE_RETENTION_MS + LOGIN_THROTTLE_MAX_WINDOW_MS);
  const knownCutoff = before(KNOWN_DEVICE_RETENTION_MS);
  const throttle = await inBatches(size, async (limit) => {
    const old = db
      .select({ bucket: loginThrottle.bucket })
      .from(loginThrottle)
      .where(
        or(
          and(
            notLike(loginThrottle.bucket, `${KNOWN_DEVICE_PREFIX}%`),
            lt(loginThrottle.windowStartedAt, throttleCutoff),
          ),
          // A known-device marker is not a window: it is last-seen, and lets its person in during an attack.
          and(
            like(loginThrottle.bucket, `${KNOWN_DEVICE_PREFIX}%`),
            lt(loginThrottle.windowStartedAt, knownCutoff),
          ),
        ),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(loginThrottle)
      .where(inArray(loginThrottle.bucket, old))
      .returning({ bucket: loginThrottle.bucket });
    return rows.length;
  });

  // A villager's one-time pickup SMS code lives 10 minutes; a day later it limits nothing (3 per hour).
  const smsCodeCutoff = before(PICKUP_SMS_CODE_RETENTION_MS);
  const pickupSmsCode = await inBatches(size, async (limit) => {
    const old = db
      .select({ id: pickupSmsCodes.id })
      .from(pickupSmsCodes)
      .where(lt(pickupSmsCodes.createdAt, smsCodeCutoff))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await db
      .delete(pickupSmsCodes)
      .where(inArray(pickupSmsCodes.id, old))
      .returning({ id: pickupSmsCodes.id });
    return rows.length;
  });

  return {
    idempotencyKeys: idempotency,
    pickupSmsCodes: pickupSmsCode,
    sessions: session,
    webhookEvents: webhook,
    notifications: notification,
    loginThrottle: throttle,
  };
}

/** The scheduled job's body: purges and logs what went, when anything did. */
export async function runRetention(db: Database, logger: Logger): Promise<PurgeCounts> {
  const counts = await purgeExpiredRows(db);
  if (Object.values(counts).some((n) => n > 0)) logger.info({ purged: counts }, "old rows purged");
  return counts;
}
