import type { DbHandle } from "@coop/db";
import { notifications, orders } from "@coop/db/schema";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { applyAtStripe, expireOrder } from "../domain/orders/order-lifecycle";
import type { JobQueue } from "./queue";
import { logSmsProvider, type SmsProvider } from "./sms";

const ORDER_EXPIRY = "order-expiry";
const EXPIRY_SWEEP = "order-expiry-sweep";
const NOTIFICATIONS = "notifications";
const NOTIFICATIONS_SWEEP = "notifications-sweep";
/** At most one "deliver the outbox" job per this long from one process; the worker drains the whole outbox. */
const NOTIFY_EVERY_MS = 1000;

export interface JobRunnerDeps {
  handle: DbHandle;
  /** With a PostgreSQL server, pg-boss keeps a small pool of its own (it runs BEGIN…COMMIT scripts). */
  databaseUrl?: string | undefined;
  stripe: Stripe | null;
  logger: Logger;
  sms?: SmsProvider;
  /** How often workers look for due jobs; tests shorten it. */
  pollingIntervalSeconds?: number;
}

/**
 * Background work on pg-boss, a PostgreSQL-backed queue: on a server through its own small pool, on the
 * embedded PGlite through the app's driver (an executeSql adapter), so jobs survive restarts either way. Each expiry is a delayed job at the order's expiry time, with a sweep every minute as a
 * safety net for any job that was lost.
 */
export async function startJobRunner(
  deps: JobRunnerDeps,
): Promise<{ queue: JobQueue; stop(): Promise<void> }> {
  const { handle, logger } = deps;
  const sms = deps.sms ?? logSmsProvider(logger);
  const boss = deps.databaseUrl
    ? new PgBoss({
        connectionString: deps.databaseUrl,
        schema: "pgboss",
        max: 2,
        application_name: "coop-jobs",
      })
    : // The embedded database has one connection, shared with the app through this adapter.
      new PgBoss({
        db: { executeSql: (text: string, values?: unknown[]) => handle.executeSql(text, values) },
        schema: "pgboss",
      } as never);
  boss.on("error", (err) => logger.error({ err }, "job runner error"));
  await boss.start();
  for (const name of [ORDER_EXPIRY, EXPIRY_SWEEP, NOTIFICATIONS, NOTIFICATIONS_SWEEP]) {
    await ensureQueue(boss, name);
  }
  const polling = { pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2 };

  const expire = async (orderId: string) => {
    const after = await handle.db.transaction((tx) => expireOrder(tx, orderId));
    if (after) {
      logger.info({ orderId }, "unpaid order expired; stock released");
      await applyAtStripe(deps.stripe, after, orderId);
      await deliverNotifications();
    }
  };

  const deliverNotifications = async () => {
    for (;;) {
      const batch = await handle.db
        .select()
        .from(notifications)
        .where(eq(notifications.status, "pending"))
        .orderBy(asc(notifications.createdAt))
        .limit(50);
      if (batch.length === 0) return;
      // Marked sent in one statement per batch, not one per message: at a flash sale every order queues
      // an SMS. A crash between sending and marking re-sends that batch (delivery is at least once).
      const sent: string[] = [];
      let failed: (typeof batch)[number] | undefined;
      for (const n of batch) {
        try {
          await sms.send({ to: n.recipient, template: n.template, data: n.data as Record<string, unknown> });
          sent.push(n.id);
        } catch (err) {
          logger.warn({ err, notificationId: n.id }, "SMS not sent");
          failed = n;
          break;
        }
      }
      if (sent.length > 0) {
        await handle.db
          .update(notifications)
          .set({ status: "sent", sentAt: new Date(), attempts: sql`${notifications.attempts} + 1` })
          .where(inArray(notifications.id, sent));
      }
      if (failed) {
        await handle.db
          .update(notifications)
          .set({ status: failed.attempts + 1 >= 5 ? "failed" : "pending", attempts: failed.attempts + 1 })
          .where(eq(notifications.id, failed.id));
        return;
      }
    }
  };

  await boss.work<{ orderId: string }>(ORDER_EXPIRY, polling, async (jobs) => {
    for (const job of jobs) await expire(job.data.orderId);
  });
  await boss.work(EXPIRY_SWEEP, polling, async () => {
    const overdue = await handle.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.status, "pending_payment"), lt(orders.expiresAt, new Date())))
      .limit(500);
    for (const o of overdue) await expire(o.id);
  });
  await boss.work(NOTIFICATIONS, polling, async () => deliverNotifications());
  // A safety net, like the expiry sweep: an SMS whose wake-up job was lost still goes within a minute.
  await boss.work(NOTIFICATIONS_SWEEP, polling, async () => deliverNotifications());
  await boss.schedule(EXPIRY_SWEEP, "* * * * *");
  await boss.schedule(NOTIFICATIONS_SWEEP, "* * * * *");

  // Hundreds of orders a second must not each write a pg-boss job: the first call in a window sends one
  // at once, later calls in the window share one trailing send at its end, so the worker always runs
  // after the last SMS was queued.
  let lastSentAt = 0;
  let trailing: NodeJS.Timeout | undefined;
  const wakeNotifications = () =>
    boss.send(NOTIFICATIONS, {}, { singletonKey: "deliver", singletonSeconds: 1 }).then(() => {});

  const queue: JobQueue = {
    async orderPlaced(orderId, expiresAt) {
      await boss.send(
        ORDER_EXPIRY,
        { orderId },
        { startAfter: expiresAt, singletonKey: orderId, retryLimit: 5 },
      );
    },
    async notificationsQueued() {
      const now = Date.now();
      if (now - lastSentAt >= NOTIFY_EVERY_MS) {
        lastSentAt = now;
        await wakeNotifications();
        return;
      }
      trailing ??= setTimeout(
        () => {
          trailing = undefined;
          lastSentAt = Date.now();
          wakeNotifications().catch((err) => logger.warn({ err }, "could not queue SMS delivery"));
        },
        NOTIFY_EVERY_MS - (now - lastSentAt),
      );
    },
  };
  return {
    queue,
    stop: () => {
      clearTimeout(trailing);
      return boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}

/**
 * Creates a queue unless it exists. Two API processes starting at once can deadlock inside pg-boss's
 * createQueue (seen with two processes on one server); the loser simply tries again.
 */
async function ensureQueue(boss: PgBoss, name: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!(await boss.getQueue(name))) await boss.createQueue(name);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 8 || (code !== "40P01" && code !== "23505")) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * (attempt + 1)));
    }
  }
}
