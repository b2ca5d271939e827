import type { Database } from "@coop/db";
import {
  buyerLoginCodes,
  buyerSessions,
  idempotencyKeys,
  loginThrottle,
  notifications,
  pickupSmsCodes,
  sessions,
  smsDeliveryReports,
  webhookEvents,
} from "@coop/db/schema";
import {
  and,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  notExists,
  notLike,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
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
/** A buyer's sign-in code lives 10 minutes; its row (one per phone) goes a day after it expired. */
export const BUYER_LOGIN_CODE_RETENTION_MS = DAY_MS;
/** Rows deleted per statement. */
export const RETENTION_BATCH_SIZE = 5000;

export type PurgeCounts = Record<
  | "idempotencyKeys"
  | "sessions"
  | "buyerSessions"
  | "buyerLoginCodes"
  | "webhookEvents"
  | "notifications"
  | "loginThrottle"
  | "pickupSmsCodes",
  number
>;

/**
 * Deletes the rows of `table` matching `where`, `batchSize` at a time, until none is left. Each batch locks
 * the rows it takes with SKIP LOCKED (by their key, one or more columns), so a row in use right now is left
 * for the next run and two processes purging at once take different rows.
 */
async function purgeInBatches(
  db: Database,
  batchSize: number,
  table: PgTable,
  key: [AnyPgColumn, ...AnyPgColumn[]],
  where: SQL | undefined,
): Promise<number> {
  const tuple = sql`(${sql.join(key, sql`, `)})`;
  const selection = Object.fromEntries(key.map((column, i) => [`k${i}`, column]));
  let total = 0;
  for (;;) {
    const old = db
      .select(selection)
      .from(table)
      .where(where)
      .limit(batchSize)
      .for("update", { skipLocked: true });
    const gone = await db.delete(table).where(sql`${tuple} in ${old}`).returning({ k: key[0] });
    total += gone.length;
    if (gone.length < batchSize) return total;
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

  const purge = (table: PgTable, key: [AnyPgColumn, ...AnyPgColumn[]], where: SQL | undefined) =>
    purgeInBatches(db, size, table, key, where);

  // By created_at (first use, indexed); a key still held by a running request is locked and skipped.
  const idempotency = await purge(
    idempotencyKeys,
    [idempotencyKeys.scope, idempotencyKeys.key],
    lt(idempotencyKeys.createdAt, before(IDEMPOTENCY_KEY_RETENTION_MS)),
  );
  const sessionCutoff = before(SESSION_RETENTION_MS);
  const session = await purge(
    sessions,
    [sessions.id],
    or(lt(sessions.expiresAt, sessionCutoff), lt(sessions.revokedAt, sessionCutoff)),
  );
  // A buyer's phone session is kept as long as a staff one after it ended; a spent sign-in code a day.
  const buyerSession = await purge(
    buyerSessions,
    [buyerSessions.tokenHash],
    or(lt(buyerSessions.expiresAt, sessionCutoff), lt(buyerSessions.revokedAt, sessionCutoff)),
  );
  const buyerLoginCode = await purge(
    buyerLoginCodes,
    [buyerLoginCodes.phone],
    lt(buyerLoginCodes.expiresAt, before(BUYER_LOGIN_CODE_RETENTION_MS)),
  );
  // An event never processed is kept whatever its age: it is work still owed (or evidence of a failure).
  const webhook = await purge(
    webhookEvents,
    [webhookEvents.provider, webhookEvents.eventId],
    and(
      lt(webhookEvents.receivedAt, before(WEBHOOK_EVENT_RETENTION_MS)),
      isNotNull(webhookEvents.processedAt),
    ),
  );
  // A pending message is never purged, however old: it has not been delivered yet.
  const purgeableMessage = and(
    inArray(notifications.status, ["sent", "failed"]),
    lt(notifications.createdAt, before(NOTIFICATION_RETENTION_MS)),
  );
  // Delivery receipts reference their message, so they go first: those of a purgeable message, and stray
  // ones (no message of ours) of the same age.
  await purge(
    smsDeliveryReports,
    [smsDeliveryReports.id],
    or(
      inArray(
        smsDeliveryReports.notificationId,
        db.select({ id: notifications.id }).from(notifications).where(purgeableMessage),
      ),
      and(
        isNull(smsDeliveryReports.notificationId),
        lt(smsDeliveryReports.createdAt, before(NOTIFICATION_RETENTION_MS)),
      ),
    ),
  );
  // A receipt that arrived meanwhile keeps its message until the next run (no foreign-key failure).
  const notification = await purge(
    notifications,
    [notifications.id],
    and(
      purgeableMessage,
      notExists(
        db
          .select({ one: sql`1` })
          .from(smsDeliveryReports)
          .where(sql`${smsDeliveryReports.notificationId} = ${notifications.id}`),
      ),
    ),
  );
  const throttle = await purge(
    loginThrottle,
    [loginThrottle.bucket],
    or(
      and(
        notLike(loginThrottle.bucket, `${KNOWN_DEVICE_PREFIX}%`),
        lt(loginThrottle.windowStartedAt, before(LOGIN_THROTTLE_RETENTION_MS + LOGIN_THROTTLE_MAX_WINDOW_MS)),
      ),
      // A known-device marker is not a window: it is last-seen, and lets its person in during an attack.
      and(
        like(loginThrottle.bucket, `${KNOWN_DEVICE_PREFIX}%`),
        lt(loginThrottle.windowStartedAt, before(KNOWN_DEVICE_RETENTION_MS)),
      ),
    ),
  );
  // A villager's one-time pickup SMS code lives 10 minutes; a day later it limits nothing (3 per hour).
  const pickupSmsCode = await purge(
    pickupSmsCodes,
    [pickupSmsCodes.id],
    lt(pickupSmsCodes.createdAt, before(PICKUP_SMS_CODE_RETENTION_MS)),
  );

  return {
    idempotencyKeys: idempotency,
    pickupSmsCodes: pickupSmsCode,
    sessions: session,
    buyerSessions: buyerSession,
    buyerLoginCodes: buyerLoginCode,
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
