/**
 * `pnpm bench [--scale small|prefecture] [--quick] [--database-url URL] [--seconds N] [--rounds N] [--only …] [--skip-shop] [--dev-stack]`
 *
 * Runs every scenario against the PostgreSQL server on 127.0.0.1 at 1/8/32/64 clients, side by side in one
 * run, saves bench/results/<scale>.json and rewrites docs/BENCHMARKS.md from the saved results. Loads the
 * data first (pnpm bench:data) when the database does not hold that scale yet. Never part of pnpm test.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "@coop/db";
import postgres, { type Sql } from "postgres";
import { Random } from "./data/random";
import { BENCH_ADMIN_LOGIN, BENCH_PASSWORD, STATEMENT_MONTH } from "./data/scales";
import { assertLocal, DEFAULT_DATABASE_URL, parseArgs } from "./lib/args";
import { summarizeCpuProfiles } from "./lib/cpuprofile";
import { httpLoad } from "./lib/http";
import { type CpuSplit, withCpu } from "./lib/loop";
import { machineInfo } from "./lib/machine";
import { MemorySampler, memoryOf, processTree, scopePostgresCpu } from "./lib/proc";
import {
  BENCH_DIR,
  BENCH_PICKUP_CODE_SECRET,
  freePort,
  REPO_ROOT,
  type Service,
  startApi,
  startService,
} from "./lib/services";
import type { Summary } from "./lib/stats";
import { writeReport } from "./report";
import { type CampaignCheck, campaignRun } from "./scenarios/campaign";
import { type FlashCheck, flashSaleRuns } from "./scenarios/flash";
import {
  API_SQL_ROUND_TRIPS,
  alternatingRounds,
  driverLoop,
  HOT_BUCKETS,
  type OrderContext,
  orderContext,
  orderItems,
  pgbenchReference,
  placeOrderLikeTheApi,
  prepareReference,
  referenceOrder,
  type Spread,
  topUpWarehouseStock,
} from "./scenarios/orders";
import { REPORT_YEAR, type ReportsRun, reportsRun } from "./scenarios/reports";
import { ensureShopBuild, measureShop, type ShopResult } from "./scenarios/shop";

export interface Row extends Summary {
  section: string;
  scenario: string;
  variant: string;
  clients: number;
  cpu?: CpuSplit;
  /** Server transactions committed per successful operation (pg_stat_database.xact_commit). */
  commitsPerOp?: number;
  status?: Record<string, number>;
  /** Throughput of each alternating round (API vs bare orders), in the order they ran. */
  rounds?: number[];
}

/** The scenarios `--only` can pick; each saved section remembers the run it comes from. */
export const SCENARIOS = [
  "raw",
  "api",
  "orders",
  "flash",
  "campaign",
  "catalog",
  "statement",
  "reports",
  "shop",
] as const;
export type Scenario = (typeof SCENARIOS)[number];
/** Which run measured a section: `--only` re-measures some and keeps the others' saved figures. */
export interface RunStamp {
  date: string;
  commit: string;
  quick: boolean;
  secondsPerLevel: number;
}

export interface Results {
  scale: string;
  /** Per scenario, the run its figures come from (absent in results saved before `--only` kept them). */
  runs?: Partial<Record<Scenario, RunStamp>>;
  quick: boolean;
  secondsPerLevel: number;
  levels: number[];
  machine: Awaited<ReturnType<typeof machineInfo>>;
  data: Record<string, unknown> | null;
  rows: Row[];
  memory: { apiIdleKb?: number[]; apiPeakKb: number[]; apiPeakUnder64Kb: number[]; twoApiPeakKb: number[] };
  settlement: { seconds: number[]; villagers: number; month: string; checkedAgainstBalance: number } | null;
  /** The flash sales' checks in the database (issue 12): sold, oversold, most bought by one phone. */
  flash?: FlashCheck[];
  /** The harvest campaign's checks in the database (issue 12): cap held, allocation order, shortfall once. */
  campaign?: CampaignCheck | null;
  /** Issue 13: the shop's report pages rendered on the server (the API's report rows are in `rows`). */
  reports?: { range: typeof REPORT_YEAR; shop: ReportsRun["shop"] } | null;
  shop: (ShopResult & { buildSeconds: number }) | { skipped: string };
  devStack: { peakKb: number; processes: number; note: string } | { skipped: string };
  profile: Record<string, unknown> & {
    /** The CPU profile taken with the API-vs-bare order runs (`orders`). */
    orders?: {
      cpuProfile: ReturnType<typeof summarizeCpuProfiles>;
      connectionStates: Record<string, number>;
    };
  };
  durationSeconds: number;
}

const log = (m: string) => console.log(m);

/** A staff token of the benchmark's admin, from one API process. */
async function adminToken(apiUrl: string): Promise<string> {
  const login = await fetch(`${apiUrl}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: BENCH_ADMIN_LOGIN, password: BENCH_PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { token: string }).token;
}

async function commits(sql: Sql): Promise<number> {
  const [row] =
    await sql`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()`;
  return Number(row!.n);
}

async function main() {
  const startedAll = performance.now();
  const args = parseArgs(process.argv.slice(2));
  const quick = args.has("quick");
  const scale = (args.get("scale") as string | undefined) ?? "small";
  if (scale !== "small" && scale !== "prefecture") throw new Error("--scale must be small or prefecture");
  const databaseUrl =
    typeof args.get("database-url") === "string"
      ? (args.get("database-url") as string)
      : DEFAULT_DATABASE_URL;
  assertLocal(databaseUrl);
  const seconds = Number(args.get("seconds") ?? (quick ? 2 : scale === "small" ? 4 : 6));
  const levels = [1, 8, 32, 64];
  const rows: Row[] = [];
  const only = typeof args.get("only") === "string" ? (args.get("only") as string).split(",") : null;
  const unknown = only?.filter((name) => !(SCENARIOS as readonly string[]).includes(name)) ?? [];
  if (unknown.length) throw new Error(`--only takes ${SCENARIOS.join(",")}; not ${unknown.join(",")}`);
  const wants = (name: Scenario) =>
    (!only || only.includes(name)) && !(name === "shop" && args.has("skip-shop"));

  // --- The data: load it when this database does not hold the asked scale.
  let sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  let meta = await readMeta(sql);
  if (meta?.scale !== scale) {
    await sql.end();
    log(`The database does not hold ${scale} data: loading it (pnpm bench:data --scale ${scale})…`);
    const dataArgs = ["--import", "tsx", "src/data/cli.ts", "--scale", scale];
    if (databaseUrl !== DEFAULT_DATABASE_URL)
      throw new Error(`Load ${databaseUrl} first: pnpm bench:data --scale ${scale} --database-url …`);
    execFileSync(process.execPath, dataArgs, { cwd: BENCH_DIR, stdio: "inherit" });
    sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
    meta = await readMeta(sql);
  }
  // Data loaded before a newer migration (place_order, indexes) gets it now, as an operator would apply it.
  const migrator = await createDb({ databaseUrl, maxConnections: 1 });
  try {
    await migrator.migrate();
  } finally {
    await migrator.close();
  }
  const machine = await machineInfo(sql, REPO_ROOT);
  log(
    `pnpm bench — scale ${scale}, ${seconds} s per level, clients ${levels.join("/")}; ${machine.cpu}, ${machine.cores} cores`,
  );
  const ctx = await orderContext(sql);
  const topped = await topUpWarehouseStock(sql, ctx);
  log(`Warehouse stock topped up for ${topped} products (a delivery lot each, ledger kept whole).`);
  if (wants("raw")) await prepareReference(sql, ctx.productIds.length);
  await sql`VACUUM ANALYZE stock_levels`;

  const record = (row: Row) => {
    rows.push(row);
    const cpu = row.cpu
      ? ` cpu/1k: pg ${row.cpu.postgresPer1k.toFixed(2)} s, server ${Number.isFinite(row.cpu.serverPer1k) ? row.cpu.serverPer1k.toFixed(2) : "–"} s`
      : "";
    log(
      `  ${row.scenario} [${row.variant}] ×${row.clients}: ${Math.round(row.throughput)}/s p50 ${row.p50.toFixed(2)} ms p99 ${row.p99.toFixed(2)} ms${row.errors ? ` errors ${row.errors}` : ""}${cpu}`,
    );
  };
  const withCommits = async <T extends Summary>(
    work: () => Promise<T>,
  ): Promise<T & { commitsPerOp: number }> => {
    const c0 = await commits(sql);
    const result = await work();
    const c1 = await commits(sql);
    return { ...result, commitsPerOp: result.count ? (c1 - c0) / result.count : Number.NaN };
  };

  // --- 1. Raw order placement, no HTTP: reference (pgbench and postgres.js) and the API's own SQL.
  log("\n1. Raw order placement (no HTTP)");
  for (const mode of (wants("raw") ? ["spread", "hot"] : []) as Spread[]) {
    for (const clients of levels) {
      const pool = postgres(databaseUrl, {
        max: clients,
        onnotice: () => {},
        connection: { application_name: "coop-bench-raw" },
      });
      await pool`SELECT 1`;
      const ref = await withCommits(() =>
        withCpu([], () =>
          pgbenchReference({ databaseUrl, mode, clients, seconds, products: ctx.productIds.length }),
        ),
      );
      record({ ...ref, section: "raw", scenario: "reference (pgbench)", variant: mode, clients });
      if (mode === "hot") {
        // The same hot load with the hot product's stock split over 8 rows (flash-sale buckets).
        const buckets = await withCommits(() =>
          withCpu([], () =>
            pgbenchReference({
              databaseUrl,
              mode,
              clients,
              seconds,
              products: ctx.productIds.length,
              buckets: HOT_BUCKETS,
            }),
          ),
        );
        record({
          ...buckets,
          section: "raw",
          scenario: "reference, hot stock in buckets (pgbench)",
          variant: mode,
          clients,
        });
      }
      const refDriver = await withCommits(() =>
        withCpu([], () =>
          driverLoop(clients, seconds, (rng) =>
            referenceOrder(pool, orderItems(rng, ctx.productIds.length, mode)),
          ),
        ),
      );
      record({ ...refDriver, section: "raw", scenario: "reference (postgres.js)", variant: mode, clients });
      const apiSql = await withCommits(() =>
        withCpu([], () =>
          driverLoop(clients, seconds, (rng) =>
            placeOrderLikeTheApi(
              pool,
              ctx,
              orderItems(rng, ctx.productIds.length, mode),
              rng.pick(ctx.servicePointIds),
            ),
          ),
        ),
      );
      record({ ...apiSql, section: "raw", scenario: "API's SQL (postgres.js)", variant: mode, clients });
      await pool.end({ timeout: 5 });
    }
  }

  // The raw runs queued an SMS per order in the outbox; mark them delivered so the API's notifications job
  // does not spend the API benchmark working through that backlog.
  await sql`UPDATE notifications SET status = 'sent', sent_at = now() WHERE status = 'pending'`;

  // --- 2. POST /v1/orders through the API, one process and two.
  log("\n2. API POST /v1/orders");
  const memory: Results["memory"] = { apiIdleKb: [], apiPeakKb: [], apiPeakUnder64Kb: [], twoApiPeakKb: [] };
  const orderBody = (rng: Random, mode: Spread) =>
    JSON.stringify({
      items: orderItems(rng, ctx.productIds.length, mode).map((i) => ({
        productId: ctx.productIds[i.productIndex],
        quantity: i.quantity,
      })),
      fulfilment: { type: "pickup", servicePointId: rng.pick(ctx.servicePointIds) },
      payment: { method: "cash_on_pickup" },
      contact: { name: "基准买家", phone: "13800138000" },
    });
  let api: Service | undefined;
  const flashChecks: FlashCheck[] = [];
  let campaignCheck: CampaignCheck | null = null;
  // Unique across runs too: a reused key would be answered from the store without placing an order.
  const runStamp = Date.now().toString(36);
  let keySeq = 0;
  const orderKey = () => ({ "idempotency-key": `bench-${runStamp}-${++keySeq}` });
  const services: Service[] = [];
  const stopAll = async () => {
    for (const s of services.splice(0)) await s.stop();
  };
  try {
    // One API process serves the catalog, statement and shop scenarios; the second only the order runs.
    for (const processes of wants("api") || wants("flash") || wants("campaign") ? [1, 2] : [1]) {
      const apis: Service[] = [];
      for (let i = 0; i < processes; i++) {
        const s = await startApi(`api-${processes}p-${i + 1}`, databaseUrl);
        apis.push(s);
        services.push(s);
        // Resident memory right after start-up, before any load (tsx, modules, pools).
        if (processes === 1) memory.apiIdleKb?.push(memoryOf(s.pid).rssKb);
      }
      const sampler = new MemorySampler(() => apis.map((a) => a.pid)).start();
      for (const mode of (wants("api") ? ["spread", "hot"] : []) as Spread[]) {
        // Warm-up: JIT, pools and caches, not measured.
        const warm = new Random(7);
        await httpLoad(
          apis.map((a) => ({ url: a.url, connections: 4 })),
          { method: "POST", seconds: 1, next: () => ({ path: "/v1/orders", body: orderBody(warm, mode) }) },
        );
        for (const clients of levels) {
          const rng = new Random(clients * 31 + processes);
          const share = (i: number) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
          const before = apis.map((a) => memoryOf(a.pid).hwmKb);
          const result = await withCommits(() =>
            withCpu(
              apis.map((a) => a.pid),
              () =>
                httpLoad(
                  apis.map((a, i) => ({ url: a.url, connections: share(i) })),
                  {
                    method: "POST",
                    seconds,
                    next: () => ({
                      path: "/v1/orders",
                      body: orderBody(rng, mode),
                      // Every buyer's order carries a key, as the shop sends one.
                      headers: orderKey(),
                    }),
                  },
                ),
            ),
          );
          record({
            ...result,
            section: "api-orders",
            scenario: `API, ${processes} process${processes > 1 ? "es" : ""}`,
            variant: mode,
            clients,
          });
          if (clients === 64 && processes === 1)
            memory.apiPeakUnder64Kb.push(...apis.map((a) => memoryOf(a.pid).hwmKb));
          void before;
        }
      }
      // --- 2d. A flash sale of 1,000 units at 64 clients on the two processes (issue 12, item 2).
      if (processes === 2 && wants("flash")) {
        log("\n2d. Flash sale: 1,000 units, 64 clients, two API processes");
        const token = await adminToken(apis[0]!.url);
        const flash = await flashSaleRuns({
          sql,
          apis,
          token,
          ctx,
          clients: 64,
          seconds,
          rounds: Number(args.get("rounds") ?? (quick ? 2 : 3)),
          between: async () => {
            await sql`UPDATE notifications SET status = 'sent', sent_at = now() WHERE status = 'pending'`;
          },
        });
        const { variant: hotVariant, latencies: _hotLatencies, ...hot } = flash.hot;
        record({
          ...hot,
          section: "flash-sale",
          scenario: "API, 2 processes",
          variant: hotVariant,
          clients: 64,
        });
        for (const sale of flash.sales) {
          const {
            variant,
            sold,
            oversold,
            mostByOnePhone,
            sellOutSeconds,
            answered,
            latencies: _l,
            ...summary
          } = sale;
          record({ ...summary, section: "flash-sale", scenario: "API, 2 processes", variant, clients: 64 });
          flashChecks.push({ variant, sold, oversold, mostByOnePhone, sellOutSeconds, answered });
          log(
            `    ${variant}: sold ${sold} (${answered} answered 201), oversold ${oversold}, most by one phone ${mostByOnePhone}, sold out in ${sellOutSeconds.toFixed(2)} s; rounds ${summary.rounds?.map(Math.round).join("/")}/s`,
          );
        }
      }
      // --- 2e. A harvest campaign: cap 500, 2,000 pre-orders at once on the two processes, harvest 430.
      if (processes === 2 && wants("campaign")) {
        log("\n2e. Harvest campaign: cap 500, 2,000 pre-orders at once, two API processes, harvest 430");
        const token = await adminToken(apis[0]!.url);
        campaignCheck = await campaignRun({ sql, apis, token, ctx });
        const c = campaignCheck;
        log(
          `    accepted ${c.accepted} of ${c.preorders} (${c.refusedFull} full), reserved ${c.reservedUnits}; allocated ${c.allocatedOrders} (${c.allocatedOutOfOrder} out of order), short ${c.shortOrders} (${c.shortSmsWrong} without exactly one SMS)`,
        );
        await sql`UPDATE notifications SET status = 'sent', sent_at = now() WHERE status = 'pending'`;
      }
      sampler.stop();
      const peaks = apis.map((a) => Math.max(memoryOf(a.pid).hwmKb, sampler.peakRssKb.get(a.pid) ?? 0));
      if (processes === 1) memory.apiPeakKb.push(...peaks);
      else memory.twoApiPeakKb.push(...peaks);
      if (processes === 1) {
        api = apis[0];
      } else {
        for (const a of apis) {
          await a.stop();
          services.splice(services.indexOf(a), 1);
        }
      }
    }
    if (!api) throw new Error("no API process");

    // --- 2b. Where the API process spends its CPU on POST /v1/orders (32 clients, spread): node --cpu-prof.
    const profileOrders = async () => {
      const dir = path.join(BENCH_DIR, ".logs", "cpuprofile");
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const spawned = performance.now();
      const profiled = await startApi("api-profiled", databaseUrl, {}, [
        "--cpu-prof",
        `--cpu-prof-dir=${dir}`,
      ]);
      services.push(profiled);
      const rng = new Random(99);
      // A second of load first, left out of the summary with the start-up before it (one-time work).
      await httpLoad([{ url: profiled.url, connections: 8 }], {
        method: "POST",
        seconds: 1,
        next: () => ({ path: "/v1/orders", body: orderBody(rng, "spread"), headers: orderKey() }),
      });
      const skipMs = performance.now() - spawned;
      // What the API's connections are doing, sampled from pg_stat_activity every 100 ms during the load.
      const activity = new Map<string, number>();
      let samples = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const rowsNow =
            await sql`SELECT application_name AS app, state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS wait, count(*)::int AS n
            FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('coop-market', 'coop-jobs') GROUP BY 1, 2, 3`;
          samples++;
          for (const a of rowsNow) {
            const key = `${a.app} ${a.state}${a.state === "active" ? ` (${a.wait})` : ""}`;
            activity.set(key, (activity.get(key) ?? 0) + Number(a.n));
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      // Long enough that start-up (module loading) is a small part of the samples.
      await httpLoad([{ url: profiled.url, connections: 32 }], {
        method: "POST",
        seconds: Math.max(8, seconds * 2),
        next: () => ({ path: "/v1/orders", body: orderBody(rng, "spread"), headers: orderKey() }),
      });
      sampling = false;
      await sampler;
      const states = Object.fromEntries(
        [...activity]
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => [k, Math.round((n / Math.max(1, samples)) * 10) / 10]),
      );
      log(`  API connections (average count per state): ${JSON.stringify(states)}`);
      await profiled.stop();
      services.splice(services.indexOf(profiled), 1);
      const summary = summarizeCpuProfiles(dir, skipMs);
      if (summary)
        log(
          `  API CPU profile: ${summary.byPlace
            .slice(0, 6)
            .map((p) => `${p.place} ${p.pct}%`)
            .join(", ")}`,
        );
      return { cpuProfile: summary, connectionStates: states };
    };
    let cpuProfile: ReturnType<typeof summarizeCpuProfiles> = null;
    let connectionStates: Record<string, number> = {};
    if (wants("api") && !args.has("no-profile")) ({ cpuProfile, connectionStates } = await profileOrders());

    // --- 2c. POST /v1/orders: the API against a bare Hono + postgres.js server making the same call.
    let ordersProfile: Results["profile"]["orders"];
    if (wants("orders")) {
      const rounds = Number(args.get("rounds") ?? (quick ? 2 : 3));
      log(
        `\n2c. POST /v1/orders: API vs bare Hono + postgres.js (32 clients, ${rounds} alternating rounds of ${seconds} s)`,
      );
      const barePort = await freePort();
      const bare = await startService({
        name: "bare-orders",
        command: process.execPath,
        args: ["--import", "tsx", "src/bare-orders.ts"],
        cwd: BENCH_DIR,
        env: {
          DATABASE_URL: databaseUrl,
          PORT: String(barePort),
          NODE_ENV: "production",
          PICKUP_CODE_SECRET: BENCH_PICKUP_CODE_SECRET,
        },
        port: barePort,
        healthPath: "/health",
      });
      services.push(bare);
      // Each round's SMS are marked sent after it, so neither server works off the other's outbox.
      const clearOutbox = async () => {
        await sql`UPDATE notifications SET status = 'sent', sent_at = now() WHERE status = 'pending'`;
      };
      const targets = [
        { label: "API", url: api.url, pid: api.pid },
        { label: "bare Hono + postgres.js", url: bare.url, pid: bare.pid },
      ];
      for (const mode of ["spread", "hot"] as Spread[]) {
        // Warm-up at the measured load, not measured: JIT, every pool connection opened and its statement
        // prepared, and the API's one-time work (the first order learns the fee settings through an error,
        // whose stack parses the bundle's source map once: ~1 s of CPU).
        const warm = new Random(11);
        for (const t of targets)
          await httpLoad([{ url: t.url, connections: 32 }], {
            method: "POST",
            seconds: 2,
            next: () => ({ path: "/v1/orders", body: orderBody(warm, mode), headers: orderKey() }),
          });
        await clearOutbox();
        const rng = new Random(4242);
        // Only this database's backends count as PostgreSQL's CPU here (the machine's server is shared).
        scopePostgresCpu(new URL(databaseUrl).pathname.slice(1));
        const results = await alternatingRounds({
          targets,
          clients: 32,
          rounds,
          seconds,
          next: () => ({ path: "/v1/orders", body: orderBody(rng, mode), headers: orderKey() }),
          between: clearOutbox,
        }).finally(() => scopePostgresCpu(null));
        for (const result of results) {
          const { label, ...summary } = result;
          record({ ...summary, section: "orders-bare", scenario: label, variant: mode, clients: 32 });
        }
        const [a, b] = results;
        log(
          `  ${mode}: API ÷ bare ${(a!.throughput / b!.throughput).toFixed(2)}×, API CPU per order ÷ bare ${(a!.cpu.serverPer1k / b!.cpu.serverPer1k).toFixed(2)}× (rounds API ${a!.rounds.map(Math.round).join("/")}, bare ${b!.rounds.map(Math.round).join("/")})`,
        );
      }
      await bare.stop();
      services.splice(services.indexOf(bare), 1);
      if (!args.has("no-profile"))
        ordersProfile = wants("api") ? { cpuProfile, connectionStates } : await profileOrders();
    }

    // --- 3. Catalog: the API against a bare Hono + postgres.js server running the same SQL.
    log("\n3. Catalog GET /v1/products: API vs bare Hono + postgres.js");
    if (wants("catalog")) {
      const barePort = await freePort();
      const bare = await startService({
        name: "bare-catalog",
        command: process.execPath,
        args: ["--import", "tsx", "src/bare-catalog.ts"],
        cwd: BENCH_DIR,
        env: { DATABASE_URL: databaseUrl, PORT: String(barePort), NODE_ENV: "production" },
        port: barePort,
        healthPath: "/health",
      });
      services.push(bare);
      const terms = ["鸡蛋", "egg", "茶油", "rice", "腊肉", "honey", "特级", "tea", "豆腐乳", "fertilizer"];
      const catalogQueries: Record<string, (rng: Random) => string> = {
        "list page": (rng) =>
          `/v1/products?limit=20&cursor=${Buffer.from(rng.pick(ctx.productIds)).toString("base64url")}`,
        search: (rng) => `/v1/products?limit=20&q=${encodeURIComponent(rng.pick(terms))}`,
        "one product": (rng) => `/v1/products/${rng.pick(ctx.productIds)}`,
      };
      for (const [name, pathFor] of Object.entries(catalogQueries).filter(() => wants("catalog"))) {
        const warm = new Random(3);
        for (const target of [api, bare])
          await httpLoad([{ url: target.url, connections: 4 }], {
            seconds: 1,
            next: () => ({ path: pathFor(warm) }),
          });
        for (const clients of levels) {
          for (const [label, target] of [
            ["API", api],
            ["bare Hono + postgres.js", bare],
          ] as const) {
            const rng = new Random(clients * 17);
            const result = await withCpu([target.pid], () =>
              httpLoad([{ url: target.url, connections: clients }], {
                seconds,
                next: () => ({ path: pathFor(rng) }),
              }),
            );
            record({ ...result, section: "catalog", scenario: label, variant: name, clients });
          }
        }
      }
      await bare.stop();
      services.splice(services.indexOf(bare), 1);
    }

    // --- 4. Statements and the monthly settlement.
    log(`\n4. Villager's statement (${STATEMENT_MONTH.label}) and monthly settlement`);
    let settlement: Results["settlement"] = null;
    if (wants("statement")) {
      const token = await adminToken(api.url);
      const villagers = (await sql`SELECT id FROM consignors ORDER BY id`).map((r) => r.id as string);
      const period = `from=${encodeURIComponent(STATEMENT_MONTH.from.toISOString())}&to=${encodeURIComponent(STATEMENT_MONTH.to.toISOString())}`;
      const statementPath = (rng: Random) => `/v1/consignors/${rng.pick(villagers)}/statement?${period}`;
      {
        const warm = new Random(5);
        await httpLoad([{ url: api.url, connections: 4 }], {
          seconds: 1,
          headers: { authorization: `Bearer ${token}` },
          next: () => ({ path: statementPath(warm) }),
        });
      }
      for (const clients of wants("statement") ? levels : []) {
        const rng = new Random(clients * 13);
        const result = await withCpu([api.pid], () =>
          httpLoad([{ url: api!.url, connections: clients }], {
            seconds,
            headers: { authorization: `Bearer ${token}` },
            next: () => ({ path: statementPath(rng) }),
          }),
        );
        record({
          ...result,
          section: "statement",
          scenario: "GET /v1/consignors/:id/statement (admin)",
          variant: STATEMENT_MONTH.label,
          clients,
        });
      }
      settlement = await monthlySettlement(sql, ctx);
      log(
        `  monthly settlement of ${settlement.villagers} villagers: ${settlement.seconds.map((s) => `${s.toFixed(2)} s`).join(", ")}`,
      );
    }

    // --- 4b. Reports over the generated year (issue 13): the API's sales report and dashboard, the shop's pages.
    let reports: Results["reports"] = null;
    if (wants("reports")) {
      log(`\n4b. Reports over the year ${REPORT_YEAR.from} … ${REPORT_YEAR.to}`);
      const token = await adminToken(api.url);
      if (!args.has("skip-shop")) ensureShopBuild(log);
      const run = await reportsRun({
        sql,
        api,
        token,
        admin: { login: BENCH_ADMIN_LOGIN, password: BENCH_PASSWORD },
        seconds,
        levels: [1, 8],
        shop: !args.has("skip-shop"),
        log,
      });
      for (const { name, clients, ...summary } of run.api)
        rows.push({ ...summary, section: "reports", scenario: name, variant: "the year", clients });
      reports = { range: REPORT_YEAR, shop: run.shop };
    }

    // --- 5. The shop's product page.
    let shop: Results["shop"];
    if (!wants("shop")) shop = { skipped: "--skip-shop" };
    else {
      log("\n5. Shop product page");
      try {
        const build = ensureShopBuild(log);
        const [popular] =
          await sql`SELECT p.id FROM products p JOIN lots l ON l.product_id = p.id AND l.status = 'in_stock' JOIN consignors c ON c.id = l.consignor_id AND c.show_on_product_pages GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`;
        shop = {
          ...(await measureShop(api.url, (popular?.id as string) ?? ctx.productIds[0]!, log, {
            login: BENCH_ADMIN_LOGIN,
            password: BENCH_PASSWORD,
          })),
          buildSeconds: build.seconds,
        };
      } catch (error) {
        shop = {
          skipped: `failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        };
        log(`  shop scenario failed: ${JSON.stringify(shop)}`);
      }
    }
    await stopAll();

    // --- 6. Profile of the order path: statements per order, pool sizes, where the rows go.
    const profile = await orderProfile(sql);

    // --- 7. Optional: memory of the whole embedded `pnpm dev` stack.
    const devStack: Results["devStack"] = args.has("dev-stack")
      ? await measureDevStack(log)
      : {
          skipped:
            "not measured in this run (pnpm bench --dev-stack measures it; it needs ~2 minutes and a fresh PGlite)",
        };

    const stamp: RunStamp = { date: machine.date, commit: machine.commit, quick, secondsPerLevel: seconds };
    const fresh: Results = {
      scale,
      runs: Object.fromEntries(SCENARIOS.filter(wants).map((name) => [name, stamp])),
      quick,
      secondsPerLevel: seconds,
      levels,
      machine,
      data: meta,
      rows,
      memory,
      settlement,
      flash: flashChecks,
      campaign: campaignCheck,
      reports,
      shop,
      devStack,
      profile: {
        ...profile,
        apiSqlRoundTrips: API_SQL_ROUND_TRIPS,
        cpuProfile,
        connectionStates,
        ...(ordersProfile ? { orders: ordersProfile } : {}),
      },
      durationSeconds: (performance.now() - startedAll) / 1000,
    };
    const dir = path.join(BENCH_DIR, "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${scale}.json`);
    // A partial run (--only, --skip-shop) keeps the saved figures of the scenarios it did not run.
    const saved =
      SCENARIOS.every(wants) || !existsSync(file)
        ? null
        : (JSON.parse(readFileSync(file, "utf8")) as Results);
    const results = saved ? keepSaved(saved, fresh, SCENARIOS.filter(wants)) : fresh;
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    const doc = writeReport();
    log(
      `\nWrote bench/results/${scale}.json and ${path.relative(REPO_ROOT, doc)} in ${results.durationSeconds.toFixed(0)} s.`,
    );
  } finally {
    await stopAll();
    await sql.end({ timeout: 5 });
  }
}

/** The row sections of each scenario. */
const ROW_SECTIONS: Record<Scenario, string[]> = {
  raw: ["raw"],
  api: ["api-orders"],
  orders: ["orders-bare"],
  flash: ["flash-sale"],
  campaign: [],
  catalog: ["catalog"],
  statement: ["statement"],
  reports: ["reports"],
  shop: [],
};

/**
 * The saved results with the scenarios this run measured replaced: rows by section, the API's memory and CPU
 * profile with `api`, the settlement with `statement`, the shop with `shop`; each scenario keeps the stamp of
 * the run it comes from (a result saved before stamps existed is stamped with its own date and commit).
 */
export function keepSaved(saved: Results, fresh: Results, ran: Scenario[]): Results {
  const savedStamp: RunStamp = {
    date: saved.machine.date,
    commit: saved.machine.commit,
    quick: saved.quick,
    secondsPerLevel: saved.secondsPerLevel,
  };
  const runs: Partial<Record<Scenario, RunStamp>> = {};
  for (const name of SCENARIOS) {
    const stamp = ran.includes(name) ? fresh.runs?.[name] : (saved.runs?.[name] ?? savedStamp);
    if (stamp) runs[name] = stamp;
  }
  const freshSections = new Set(ran.flatMap((name) => ROW_SECTIONS[name]));
  return {
    ...fresh,
    runs,
    // The data and the machine are this run's; the other sections say which run they come from.
    rows: [...saved.rows.filter((r) => !freshSections.has(r.section)), ...fresh.rows],
    memory: ran.includes("api") ? fresh.memory : saved.memory,
    settlement: ran.includes("statement") ? fresh.settlement : saved.settlement,
    flash: ran.includes("flash") ? fresh.flash : saved.flash,
    campaign: ran.includes("campaign") ? fresh.campaign : saved.campaign,
    reports: ran.includes("reports") ? fresh.reports : saved.reports,
    shop: ran.includes("shop") ? fresh.shop : saved.shop,
    devStack: "peakKb" in fresh.devStack ? fresh.devStack : saved.devStack,
    profile: {
      ...(ran.includes("api") ? fresh.profile : saved.profile),
      orders: ran.includes("orders") ? fresh.profile.orders : saved.profile.orders,
    },
  };
}

async function readMeta(sql: Sql): Promise<Record<string, unknown> | null> {
  try {
    const [row] = await sql`SELECT value FROM bench.meta WHERE key = 'data'`;
    return (row?.value as Record<string, unknown>) ?? null;
  } catch {
    return null;
  }
}

/**
 * What a month-end settlement job computes for every villager: the opening balance, the month's sales (gross,
 * commission, share), deductions, purchases and payouts, and the closing balance, in one SQL pass. Run twice:
 * the first from a cold-ish cache, the second warm.
 */
async function monthlySettlement(sql: Sql, ctx: OrderContext) {
  const from = STATEMENT_MONTH.from;
  const to = STATEMENT_MONTH.to;
  const times: number[] = [];
  let rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    rows = await sql`
      SELECT c.id,
        coalesce(sum(e.amount_fen) FILTER (WHERE e.created_at < ${from}), 0)::bigint AS opening_fen,
        coalesce(sum(e.gross_fen) FILTER (WHERE e.kind = 'sale_credit' AND e.created_at >= ${from}), 0)::bigint AS gross_fen,
        coalesce(sum(e.commission_fen) FILTER (WHERE e.kind = 'sale_credit' AND e.created_at >= ${from}), 0)::bigint AS commission_fen,
        coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'sale_credit' AND e.created_at >= ${from}), 0)::bigint AS share_fen,
        coalesce(sum(e.amount_fen) FILTER (WHERE e.kind IN ('deduction', 'purchase', 'sale_reversal', 'adjustment') AND e.created_at >= ${from}), 0)::bigint AS other_fen,
        coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'payout' AND e.created_at >= ${from}), 0)::bigint AS payouts_fen,
        coalesce(sum(e.amount_fen), 0)::bigint AS closing_fen,
        count(e.id) FILTER (WHERE e.created_at >= ${from})::int AS lines,
        c.balance_fen
      FROM consignors c
      LEFT JOIN consignor_entries e ON e.consignor_id = c.id AND e.created_at < ${to}
      WHERE c.coop_id = ${ctx.coopId}
      GROUP BY c.id
      ORDER BY c.id`;
    times.push((performance.now() - t0) / 1000);
  }
  // The history ends at the end of the month, so each closing balance must be the villager's balance.
  const mismatched = rows.filter((r) => String(r.closing_fen) !== String(r.balance_fen)).length;
  return {
    seconds: times,
    villagers: rows.length,
    month: STATEMENT_MONTH.label,
    checkedAgainstBalance: mismatched,
  };
}

/** Facts about the order path that explain the figures: the API's pool, pg-boss, and the database's rows. */
async function orderProfile(sql: Sql) {
  const [sizes] = await sql`SELECT
      (SELECT count(*) FROM orders)::int AS orders,
      (SELECT count(*) FROM notifications)::int AS notifications,
      (SELECT count(*) FROM notifications WHERE status = 'pending')::int AS notifications_pending,
      (SELECT count(*) FROM pgboss.job)::int AS pgboss_jobs`.catch(() => [{}]);
  return { apiPoolSize: 10, pgBossPoolSize: 2, afterRun: sizes };
}

/** Starts `pnpm dev` (embedded PGlite in a fresh DATA_DIR) and sums the RSS of its whole process tree. */
async function measureDevStack(log: (m: string) => void): Promise<Results["devStack"]> {
  log("\n7. Memory of the embedded `pnpm dev` stack");
  const dataDir = path.join(BENCH_DIR, ".logs", "dev-data");
  // A fresh embedded database every time, so the first start's migration and seed are in the figure.
  rmSync(dataDir, { recursive: true, force: true });
  const apiPort = await freePort();
  const shopPort = await freePort();
  let dev: Service | undefined;
  // Sampled from the spawn on (every process below this one but itself), so start-up is seen too.
  const sampler = new MemorySampler(() =>
    processTree(process.pid).filter((pid) => pid !== process.pid),
  ).start(250);
  try {
    dev = await startService({
      name: "pnpm-dev",
      command: "pnpm",
      args: ["dev"],
      cwd: REPO_ROOT,
      env: {
        DATA_DIR: dataDir,
        PORT: String(apiPort),
        SHOP_PORT: String(shopPort),
        API_URL: `http://127.0.0.1:${apiPort}`,
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
      port: shopPort,
      healthPath: "/",
      timeoutMs: 240_000,
    });
    const apiUp = Date.now() + 120_000;
    while (
      !(await fetch(`http://127.0.0.1:${apiPort}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > apiUp) throw new Error("the API of `pnpm dev` did not answer /health within 120 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    for (let i = 0; i < 10; i++) {
      const shop = await fetch(`http://127.0.0.1:${shopPort}/`);
      await shop.arrayBuffer();
      const api = await fetch(`http://127.0.0.1:${apiPort}/v1/products`);
      await api.arrayBuffer();
      if (!shop.ok || !api.ok)
        throw new Error(`pnpm dev answered ${shop.status} (shop), ${api.status} (API)`);
      await new Promise((r) => setTimeout(r, 500));
    }
    sampler.stop();
    return {
      peakKb: sampler.peakTotalKb,
      processes: sampler.peakRssKb.size,
      note: "largest sum of the tree's RSS at one moment, sampled every 250 ms from the spawn (shared pages counted once per process)",
    };
  } catch (error) {
    return { skipped: `failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  } finally {
    sampler.stop();
    await dev?.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
