import type { DbHandle } from "@coop/db";
import { orders } from "@coop/db/schema";
import { and, eq, lt } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { sweepCampaigns } from "../domain/campaigns/finish";
import { sendCommitmentReminders } from "../domain/commitments/commitment-reminders";
import { closeEndedFlashSales } from "../domain/flash-sales/close-flash-sale";
import { applyAtStripe, expireOrder } from "../domain/orders/order-lifecycle";
import { releaseStalledOrders } from "../domain/orders/stalled-orders";
import { deliverWebhooks } from "../domain/outgoing-webhooks/deliver";
import { sendOwedRefunds } from "../domain/payments/stripe-refunds";
import { refreshRecentRollups, SAFETY_NET_DAYS } from "../domain/reports/rollup-refresh";
import { deliverOutbox } from "./outbox";
import type { JobQueue } from "./queue";
import { runRetention } from "./retention";
import { logSmsProvider, type SmsProvider } from "./sms";

const ORDER_EXPIRY = "order-expiry";
const EXPIRY_SWEEP = "order-expiry-sweep";
const NOTIFICATIONS = "notifications";
const NOTIFICATIONS_SWEEP = "notifications-sweep";
const RETENTION = "retention";
const STALLED_SWEEP = "stalled-order-sweep";
const REFUNDS_SWEEP = "stripe-refunds-sweep";
const FLASH_SALES_CLOSE = "flash-sales-close";
const CAMPAIGNS_SWEEP = "harvest-campaigns-sweep";
const SALES_ROLLUPS = "sales-rollups";
const SALES_ROLLUPS_SAFETY_NET = "sales-rollups-safety-net";
const OUTGOING_WEBHOOKS = "outgoing-webhooks";
const COMMITMENT_REMINDERS = "commitment-reminders";
/** Each process also looks for due webhook deliveries this often: cron runs a job at most once a minute. */
const WEBHOOKS_EVERY_MS = 5000;
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
  /** Webhook receivers on private addresses (this machine, the LAN): allowed outside production only. */
  allowPrivateWebhookAddresses?: boolean;
}

/** A job run by pg-boss on a cron schedule, in whichever process picks it up first. */
interface ScheduledJob {
  name: string;
  cron: string;
  run(): Promise<unknown>;
}

/**
 * Background work on pg-boss, a PostgreSQL-backed queue: on a server through its own small pool, on the
 * embedded PGlite through the app's driver (an executeSql adapter), so jobs survive restarts either way. Each
 * expiry is a delayed job at the order's expiry time, with a sweep every minute as a safety net for any job
 * that was lost. No job may take the process down: every handler logs its own failure and lets pg-boss mark
 * the job failed (and retry it where it has retries), and the queue calls made after a request's commit never
 * fail that request.
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
  // Worker, maintenance and (patches/pg-boss@10.4.2.patch) job-outcome failures all arrive here.
  boss.on("error", (err) => logger.error({ err }, "job runner error"));
  await boss.start();
  const polling = { pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2 };

  const deliverNotifications = () => deliverOutbox({ db: handle.db, sms, logger });

  // Outgoing webhooks (decision 0045): the triggers that record events cannot wake a job, so each process
  // looks every few seconds (one probe of a partial index), and the cron job is the safety net. One run at a
  // time per process; two processes share the work through the claim (FOR UPDATE SKIP LOCKED).
  let webhookRun: Promise<unknown> | undefined;
  const deliverOutgoingWebhooks = () =>
    (webhookRun ??= deliverWebhooks({
      db: handle.db,
      logger,
      allowPrivateAddresses: deps.allowPrivateWebhookAddresses ?? false,
    }).finally(() => {
      webhookRun = undefined;
    }));

  const expire = async (orderId: string) => {
    const after = await handle.db.transaction((tx) => expireOrder(tx, orderId));
    if (after) {
      logger.info({ orderId }, "unpaid order expired; stock released");
      await applyAtStripe({ db: handle.db, stripe: deps.stripe, logger }, after);
      await deliverNotifications();
    }
  };

  const sweepExpiredOrders = async () => {
    const overdue = await handle.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.status, "pending_payment"), lt(orders.expiresAt, new Date())))
      .limit(500);
    for (const o of overdue) await expire(o.id);
  };

  // The sweeps are safety nets: an order or SMS whose own job was lost (or never enqueued) is still
  // handled within a minute. Another periodic job is one more entry here.
  const releaseStalled = async () => {
    const released = await releaseStalledOrders({ db: handle.db, stripe: deps.stripe, logger });
    if (released > 0) await deliverNotifications();
  };

  const scheduled: ScheduledJob[] = [
    { name: EXPIRY_SWEEP, cron: "* * * * *", run: sweepExpiredOrders },
    { name: NOTIFICATIONS_SWEEP, cron: "* * * * *", run: deliverNotifications },
    { name: RETENTION, cron: "17 * * * *", run: () => runRetention(handle.db, logger) },
    // An online order whose placing process died before Stripe answered holds stock nobody can pay for.
    { name: STALLED_SWEEP, cron: "* * * * *", run: releaseStalled },
    // A refund owed while Stripe was down, or by a process that died before asking, is sent here (with
    // backoff per refund: stripe_refunds.next_attempt_at).
    {
      name: REFUNDS_SWEEP,
      cron: "* * * * *",
      run: () => sendOwedRefunds({ db: handle.db, stripe: deps.stripe, logger }),
    },
    // What a flash sale did not sell goes back to normal stock within a minute of its end (decision 0040).
    { name: FLASH_SALES_CLOSE, cron: "* * * * *", run: () => closeEndedFlashSales(handle.db, logger) },
    // The harvest at the warehouse goes to pre-orders once they close, and a campaign is finished the day
    // after its harvest window (decision 0041); idempotent, so two processes may both run it.
    {
      name: CAMPAIGNS_SWEEP,
      cron: "* * * * *",
      run: async () => {
        await sweepCampaigns({ db: handle.db, stripe: deps.stripe, logger });
        await deliverNotifications();
      },
    },
    // The reports' rollups of yesterday and today, recomputed from the sales ledger (decision 0044); older
    // days are recomputed hourly for a month back, in case this job was down for a while.
    { name: SALES_ROLLUPS, cron: "* * * * *", run: () => refreshRecentRollups(handle.db) },
    {
      name: SALES_ROLLUPS_SAFETY_NET,
      cron: "41 * * * *",
      run: () => refreshRecentRollups(handle.db, SAFETY_NET_DAYS),
    },
    { name: OUTGOING_WEBHOOKS, cron: "* * * * *", run: deliverOutgoingWebhooks },
    // 限时办结: each service point with work at risk or breached is texted once a day, from 08:30 China
    // time; the later runs (hourly to 18:30) only catch a morning this job was down (decision 0047).
    {
      name: COMMITMENT_REMINDERS,
      cron: "30 0-10 * * *",
      run: async () => {
        if ((await sendCommitmentReminders(handle.db)) > 0) await deliverNotifications();
      },
    },
  ];

  for (const name of [ORDER_EXPIRY, NOTIFICATIONS, ...scheduled.map((s) => s.name)]) {
    await ensureQueue(boss, name);
  }

  /**
   * Logs a handler's failure with the job's name, then rethrows so pg-boss records the job as failed (and
   * retries it if it has retries) instead of completed.
   */
  const guarded =
    <T>(name: string, handler: (jobs: PgBoss.Job<T>[]) => Promise<unknown>) =>
    async (jobs: PgBoss.Job<T>[]) => {
      try {
        await handler(jobs);
      } catch (err) {
        logger.error({ err, job: name, jobIds: jobs.map((j) => j.id) }, "background job failed");
        throw err;
      }
    };

  await boss.work<{ orderId: string }>(
    ORDER_EXPIRY,
    polling,
    guarded(ORDER_EXPIRY, async (jobs) => {
      for (const job of jobs) await expire(job.data.orderId);
    }),
  );
  await boss.work(
    NOTIFICATIONS,
    polling,
    guarded(NOTIFICATIONS, () => deliverNotifications()),
  );
  for (const job of scheduled) {
    await boss.work(job.name, polling, guarded(job.name, job.run));
    await boss.schedule(job.name, job.cron);
  }

  const webhookTimer = setInterval(() => {
    deliverOutgoingWebhooks().catch((err) =>
      logger.warn({ err }, "webhook deliveries not sent now; the next look or the sweep sends them"),
    );
  }, WEBHOOKS_EVERY_MS);
  webhookTimer.unref();

  // Hundreds of orders a second must not each write a pg-boss job: the first call in a window sends one
  // at once, later calls in the window share one trailing send at its end, so the worker always runs
  // after the last SMS was queued.
  let lastSentAt = 0;
  let trailing: NodeJS.Timeout | undefined;
  const wakeNotifications = () =>
    boss
      .send(NOTIFICATIONS, {}, { singletonKey: "deliver", singletonSeconds: 1 })
      .then(() => {})
      // The messages are in the outbox already; the sweep delivers them within a minute.
      .catch((err) => logger.warn({ err }, "could not queue SMS delivery; the sweep will send it"));

  // Both are called after the request's transaction committed: a failure here must not turn a placed
  // order into an error response (the buyer would retry and the order exists already), so it is logged
  // and left to the sweeps.
  const queue: JobQueue = {
    async orderPlaced(orderId, expiresAt) {
      try {
        await boss.send(
          ORDER_EXPIRY,
          { orderId },
          { startAfter: expiresAt, singletonKey: orderId, retryLimit: 5 },
        );
      } catch (err) {
        logger.warn({ err, orderId }, "could not queue the order's expiry; the sweep will expire it");
      }
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
          void wakeNotifications();
        },
        NOTIFY_EVERY_MS - (now - lastSentAt),
      );
    },
  };
  return {
    queue,
    stop: async () => {
      clearTimeout(trailing);
      clearInterval(webhookTimer);
      await webhookRun?.catch(() => {});
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
