import { createDb, pgliteDir } from "@coop/db";
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { reindexProductSearch } from "./domain/catalog/search-text";
import { readEnv } from "./env";
import { startJobRunner } from "./jobs/runner";
import { smsProviderFromEnv } from "./jobs/sms/from-env";
import { isDatabaseUnavailable } from "./lib/db-unavailable";
import { createLogger } from "./lib/logger";
import { createStripe } from "./lib/stripe";
import { databaseStorage } from "./storage/blob-storage";

const env = readEnv();
const logger = createLogger(env);

// The last line of defence, for errors raised outside any request or job (a driver's socket callback, a
// library's timer). A database that went away must never take the process down with it: such errors are
// logged and the process carries on, reconnecting on the next query. Anything else is a bug whose state we
// cannot trust, so the process exits and its supervisor (docs/OPERATIONS.md) starts a fresh one.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled rejection (process kept running)");
});
process.on("uncaughtException", (err) => {
  if (isDatabaseUnavailable(err)) {
    logger.error({ err }, "database error outside a request (process kept running)");
    return;
  }
  logger.fatal({ err }, "uncaught exception: exiting for the supervisor to restart");
  process.exit(1);
});
const handle = await createDb({
  databaseUrl: env.DATABASE_URL,
  dataDir: pgliteDir(env.DATA_DIR),
  maxConnections: env.DATABASE_POOL_SIZE,
});
// The embedded database is private to this process, so it is brought up to date here; a PostgreSQL server
// is migrated by the operator with `pnpm db:migrate` before a release.
if (handle.kind === "pglite") await handle.migrate();
// Products written outside the API (the demo seed, a bulk import, a rename in SQL) get their search text
// (pinyin cannot be made in SQL). A failure must not keep the shop down: search then misses those rows.
await reindexProductSearch(handle.db).then(
  (count) => count > 0 && logger.info({ count }, "catalog search text written for products without it"),
  (err: unknown) => logger.warn({ err }, "catalog search text not written at start-up"),
);

const storage = databaseStorage(handle.db);
const stripe = createStripe(env);
const jobs = await startJobRunner({
  handle,
  databaseUrl: env.DATABASE_URL,
  stripe,
  logger,
  sms: smsProviderFromEnv(env, logger),
  allowPrivateWebhookAddresses: env.NODE_ENV !== "production",
});
const app = createApp({ db: handle.db, env, logger, storage, stripe, jobs: jobs.queue });
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.PORT }, (info) => {
  logger.info(
    {
      port: info.port,
      database: handle.kind === "pglite" ? `embedded PGlite (${pgliteDir(env.DATA_DIR)})` : "PostgreSQL",
    },
    `Co-op Market API listening on http://localhost:${info.port} (reference: /reference)`,
  );
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  server.close();
  await jobs.stop();
  await handle.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
