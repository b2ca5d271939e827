import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BENCH_DIR, REPO_ROOT } from "./lib/services";
import { fmt } from "./lib/stats";
import type { Results, Row } from "./run";
import { HOT_BUCKETS } from "./scenarios/orders";

/** Rewrites docs/BENCHMARKS.md from every saved result (bench/results/<scale>.json), prefecture first. */
export function writeReport(): string {
  const parts: string[] = [HEADER];
  for (const scale of ["prefecture", "small"]) {
    const file = path.join(BENCH_DIR, "results", `${scale}.json`);
    if (!existsSync(file)) {
      parts.push(`## Scale: ${scale}\n\nNot run yet: \`pnpm bench --scale ${scale}\`.\n`);
      continue;
    }
    parts.push(section(JSON.parse(readFileSync(file, "utf8")) as Results));
  }
  parts.push(FINDINGS);
  const out = path.join(REPO_ROOT, "docs/BENCHMARKS.md");
  writeFileSync(out, `${parts.join("\n").trimEnd()}\n`);
  return out;
}

const HEADER = `# Benchmarks

Written by \`pnpm bench\` (bench/src/run.ts) from bench/results/<scale>.json; do not edit by hand. Each scale
below is one run: every figure in a section was measured side by side in that run, on the machine it names,
so compare figures only within a section (single figures on these machines vary ±25 %). Throughput counts
successful operations per second over closed-loop clients; p50/p99 are per-operation latencies in ms. Goals
are those of issue 5.

How to run: \`pnpm bench:data --scale small|prefecture\` loads the data (deterministic, seeded) into the
database coop_bench on 127.0.0.1:5432; \`pnpm bench --scale small|prefecture [--quick]\` runs the scenarios
(loading the data first when needed) and rewrites this file. See bench/README.md.
`;

/**
 * Read from the runs of 2026-11-23 (small and prefecture) and the code at that commit; revise it when the
 * figures above change.
 */
const FINDINGS = `## Findings for the lead (from the runs above and the code)

Nothing in the API was changed by the benchmark work; these are the places the figures point at.

1. **Order placement makes 13 round trips and 7+ transactions per order** (apps/api/src/domain/orders/place-order.ts
   \`placeOrder\`): five autocommit reads before the transaction — \`db.select().from(products)\`, the \`coops\` row,
   the pickup \`locations\` row, the warehouse lookup (\`locations … kind = 'warehouse' ORDER BY code LIMIT 1\`),
   \`stock_levels\` at the point — then BEGIN, the reservation UPDATE, INSERT orders, INSERT order_lines, INSERT
   order_status_history (\`recordInitialStatus\`), INSERT notifications (\`queueSms\`), COMMIT, and a final
   \`select status from orders\` whose answer is already known ("confirmed" or "pending_payment"). The coop row and
   the warehouse id are the same for every order (cacheable per process); prices and the point's stock can be read by
   the reservation statement itself; the final read can go. Replayed without HTTP this SQL reaches only ~0.15× the
   minimal reference transaction spread (table "Order placement without HTTP").
2. **Every Drizzle query is sent unprepared**: drizzle-orm's postgres-js session passes \`prepare: name !== undefined\`
   (false unless a query is given a name), so PostgreSQL parses and plans all 13 statements for every order. The
   replay costs PostgreSQL ~1.8–2.3 s of CPU per 1,000 orders against ~0.5 s for the prepared reference; named
   prepared queries (\`.prepare("name")\`) or one statement / one function call per order would cut both.
3. **A pg-boss \`send\` per order, and an SMS delivery UPDATE per order**: apps/api/src/routes/orders.ts calls
   \`jobs.notificationsQueued()\` after every order (an INSERT into pgboss.job on pg-boss's own pool of 2, with a
   singleton key), and the \`notifications\` worker (apps/api/src/jobs/runner.ts \`deliverNotifications\`) then polls
   and UPDATEs each notification one by one on the API's pool. Through HTTP, PostgreSQL spends ~3 s per 1,000 orders
   against ~2 s for the same order SQL without them. Batch the delivery (one UPDATE … WHERE id = ANY) and skip the
   send when a delivery is already queued.
4. **The API process itself costs ~4 ms of CPU per order** (see "CPU s/1k"): one 2-core machine then tops out near
   ~200 orders/s whatever PostgreSQL could do; the CPU profile above shows where (Drizzle query building and result
   mapping, JSON, socket writes, the per-request middleware). A second process helps only while a core is free.
5. **Catalog at ~0.5–0.6× a bare endpoint with the same SQL**: the difference is per-request work in the API
   (apps/api/src/app.ts middleware chain — request id, a pino child logger per request in
   middleware/request-logger.ts even at LOG_LEVEL=warn, secure headers, CORS, body limit, authenticate — plus
   zod-openapi query validation and Drizzle's mapping); the API process spends ~2–3× the bare server's CPU per
   request. Also: the \`available\` subquery in apps/api/src/domain/catalog/list-products.ts renders as
   \`SELECT sum("on_hand" - "reserved") FROM "stock_levels" WHERE "product_id" = "id"\` with unqualified columns; it is
   right only because stock_levels has no \`id\` column (a future \`stock_levels.id\` would silently change it).
6. **The statement's goods query reads a villager's whole history** (apps/api/src/domain/settlement/statement.ts,
   the \`goods\` select): it finds all the villager's lots (lots_consignor_idx), then every ledger line of each lot
   through stock_movements_lot_idx, and only then filters by kind and month — the work grows with the years of
   history, not with the month asked for, and each line is a random heap read in a 5-million-row table (cold: ~18 ms
   for a busy villager at prefecture scale, planning ~3.5 ms for the unprepared statement). An index on
   stock_movements (lot_id, created_at) — or (lot_id, kind, created_at) — lets the month bound the scan.
7. **Hand-over and payment lock every in-stock lot of the product at the place**
   (apps/api/src/domain/settlement/record-sale.ts, \`SELECT … FROM lots … ORDER BY best_before, created_at, id FOR
   UPDATE\` without a limit): at prefecture scale a product has a median of 54 and up to 201 in-stock lots at the
   warehouse, all read and locked for each sold line, so concurrent hand-overs or webhooks of one product queue on
   all of them. Locking in FEFO order only as many as the quantity needs (a LIMIT, or a cumulative-sum cut-off)
   keeps the guarantee.
8. **Memory**: one API process sits at ~300 MB RSS after the order runs (goal 200 MB). Part is the runtime
   TypeScript loader (the API runs through tsx in production, \`pnpm start:api\` = \`tsx src/server.ts\`); compare the
   start-up figure under "Memory" with the peak before chasing leaks.
`;

const find = (rows: Row[], section: string, scenario: string, variant: string, clients: number) =>
  rows.find(
    (r) => r.section === section && r.scenario === scenario && r.variant === variant && r.clients === clients,
  );

const verdict = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "**met**" : "**not met**");

function section(r: Results): string {
  const out: string[] = [];
  const rows = r.rows;
  const data = (r.data ?? {}) as {
    counts?: Record<string, number>;
    totalSeconds?: number;
    phases?: Record<string, number>;
    databaseSize?: string;
    seed?: number;
  };
  out.push(`## Scale: ${r.scale}${r.quick ? " (quick run)" : ""}\n`);
  out.push(
    [
      `- Date: ${r.machine.date}`,
      `- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory} memory; load average at start ${r.machine.load}`,
      `- Node ${r.machine.node}; ${r.machine.postgres} (${r.machine.postgresSettings})`,
      `- Git commit: ${r.machine.commit}`,
      `- ${r.secondsPerLevel} s per measurement, clients ${r.levels.join(" / ")}; whole run ${Math.round(r.durationSeconds)} s`,
      `- Data (seed ${data.seed ?? "?"}): ${Object.entries(data.counts ?? {})
        .map(([k, v]) => `${v.toLocaleString("en")} ${k}`)
        .join(
          ", ",
        )}; database ${data.databaseSize ?? "?"}; loaded by \`pnpm bench:data\` in ${data.totalSeconds ? `${data.totalSeconds.toFixed(0)} s` : "?"}${data.phases?.["load (COPY)"] ? ` (COPY ${data.phases["load (COPY)"].toFixed(0)} s, VACUUM ANALYZE ${data.phases["vacuum analyze"]?.toFixed(0)} s, invariant checks ${data.phases["verify invariants"]?.toFixed(0) ?? "–"} s)` : ""}`,
    ].join("\n"),
  );

  // Goals.
  const ref = (mode: string) => find(rows, "raw", "reference (pgbench)", mode, 32);
  const api1 = (mode: string) => find(rows, "api-orders", "API, 1 process", mode, 32);
  const api2 = (mode: string) => find(rows, "api-orders", "API, 2 processes", mode, 32);
  const ratio = (a?: Row, b?: Row) => (a && b ? a.throughput / b.throughput : Number.NaN);
  const goals: string[][] = [];
  for (const mode of ["spread", "hot"]) {
    const x1 = ratio(api1(mode), ref(mode));
    const x2 = ratio(api2(mode), ref(mode));
    goals.push([
      `POST /v1/orders at 32 clients, ${mode}: ≥ 1.0× the raw minimal interactive transaction (pgbench)`,
      `1 process ${fmt.ratio(x1)} (${fmt.rate(api1(mode)?.throughput ?? Number.NaN)}/s vs ${fmt.rate(ref(mode)?.throughput ?? Number.NaN)}/s); 2 processes ${fmt.ratio(x2)}`,
      verdict(Number.isFinite(x1) ? Math.max(x1, x2) >= 1 : null),
    ]);
  }
  const p99 = api1("spread")?.p99 ?? Number.NaN;
  goals.push([
    "POST /v1/orders p99 ≤ 50 ms at 32 clients, spread",
    `${fmt.ms(p99)} ms (1 process), ${fmt.ms(api2("spread")?.p99 ?? Number.NaN)} ms (2)`,
    verdict(Number.isFinite(p99) ? p99 <= 50 : null),
  ]);
  for (const q of ["list page", "search", "one product"]) {
    const a = find(rows, "catalog", "API", q, 32);
    const b = find(rows, "catalog", "bare Hono + postgres.js", q, 32);
    const x = ratio(a, b);
    goals.push([
      `Catalog GET (${q}) at 32 clients ≥ 0.8× bare Hono + postgres.js`,
      `${fmt.ratio(x)} (${fmt.rate(a?.throughput ?? Number.NaN)}/s vs ${fmt.rate(b?.throughput ?? Number.NaN)}/s)`,
      verdict(Number.isFinite(x) ? x >= 0.8 : null),
    ]);
  }
  const st1 = find(
    rows,
    "statement",
    "GET /v1/consignors/:id/statement (admin)",
    r.settlement?.month ?? "",
    1,
  );
  const st8 = find(
    rows,
    "statement",
    "GET /v1/consignors/:id/statement (admin)",
    r.settlement?.month ?? "",
    8,
  );
  const atScale = r.scale === "prefecture" ? "" : " (goal is for prefecture scale; shown for reference)";
  goals.push([
    `Villager's statement p99 ≤ 20 ms${atScale}`,
    `${fmt.ms(st1?.p99 ?? Number.NaN)} ms at 1 client, ${fmt.ms(st8?.p99 ?? Number.NaN)} ms at 8`,
    verdict(st1 ? st1.p99 <= 20 : null),
  ]);
  const settle = r.settlement?.seconds[0];
  goals.push([
    `Monthly settlement of every villager ≤ 60 s${atScale}`,
    settle !== undefined
      ? `${settle.toFixed(2)} s for ${r.settlement!.villagers.toLocaleString("en")} villagers (warm re-run ${r.settlement!.seconds[1]!.toFixed(2)} s)`
      : "–",
    verdict(settle !== undefined ? settle <= 60 : null),
  ]);
  const shopOk = "firstLoad" in r.shop;
  const kb = shopOk
    ? (r.shop as Exclude<Results["shop"], { skipped: string }>).firstLoad.totalBytes / 1024
    : Number.NaN;
  goals.push([
    "Product page first load ≤ 150 KB compressed (HTML + JS + CSS)",
    shopOk ? `${kb.toFixed(1)} KB` : `skipped: ${(r.shop as { skipped: string }).skipped}`,
    verdict(shopOk ? kb <= 150 : null),
  ]);
  const peak64 = Math.max(...r.memory.apiPeakUnder64Kb, 0);
  goals.push([
    "API process peak RSS ≤ 200 MB under 64 clients",
    `${fmt.mb(peak64)} (VmHWM after the 64-client runs; whole run ${fmt.mb(Math.max(...r.memory.apiPeakKb, 0))}; each of two processes ${r.memory.twoApiPeakKb.map(fmt.mb).join(", ")})`,
    verdict(peak64 > 0 ? peak64 <= 200 * 1024 : null),
  ]);
  const dev = r.devStack;
  goals.push([
    "Whole embedded `pnpm dev` stack ≤ 1.5 GB",
    "peakKb" in dev ? `${fmt.mb(dev.peakKb)} over ${dev.processes} processes (${dev.note})` : dev.skipped,
    verdict("peakKb" in dev ? dev.peakKb <= 1.5 * 1024 * 1024 : null),
  ]);
  out.push(`\n### Goals\n\n${table(["goal", "figure", "verdict"], goals)}`);

  // Raw order placement.
  out.push(`\n### Order placement without HTTP\n`);
  out.push(
    "The minimal reference transaction (conditional stock UPDATE per line, INSERT order, 1–3 lines, one ledger row per line; ~8 round trips; schema `bench.ref_*`) driven by pgbench and by a bare postgres.js loop, and the API's own order placement (apps/api/src/domain/orders/place-order.ts: ONE call of the function place_order, packages/db/migrations/0005_place_order_function.sql, with an Idempotency-Key, for a cash-on-pickup order) replayed by a bare postgres.js loop. The API's order writes more than the reference: the order, its lines, a status-history row, an SMS in the outbox and the idempotency key, each with its indexes and foreign keys. Spread = 1–3 random products of the catalog; hot = every order's first line is the same product; hot in buckets = the reference with the hot product's stock split over " +
      `${HOT_BUCKETS} rows, each order reserving from one at random (what splitting a flash-sale product's stock would buy; not built into the API).\n`,
  );
  for (const mode of ["spread", "hot"]) {
    const body = r.levels.map((c) => {
      const a = find(rows, "raw", "reference (pgbench)", mode, c);
      const b = find(rows, "raw", "reference (postgres.js)", mode, c);
      const s = find(rows, "raw", "API's SQL (postgres.js)", mode, c);
      const k = find(rows, "raw", "reference, hot stock in buckets (pgbench)", mode, c);
      return [
        String(c),
        ...cells(a),
        ...cells(b),
        ...cells(s),
        fmt.ratio(ratio(s, a)),
        s?.commitsPerOp?.toFixed(1) ?? "–",
        ...(mode === "hot" ? [...cells(k), fmt.ratio(ratio(k, a))] : []),
      ];
    });
    const head = [
      "clients",
      "ref pgbench /s",
      "p50",
      "p99",
      "ref postgres.js /s",
      "p50",
      "p99",
      "API SQL /s",
      "p50",
      "p99",
      "API SQL ÷ ref",
      "commits per API-SQL order",
    ];
    if (mode === "hot") head.push(`ref, ${HOT_BUCKETS} buckets /s`, "p50", "p99", "buckets ÷ ref");
    out.push(`\n**${mode}** (orders/s, p50 ms, p99 ms)\n\n${table(head, body)}`);
  }

  // API.
  out.push(`\n### POST /v1/orders through the API\n`);
  out.push(
    "Cash on pickup at a random service point, 1–3 lines (hot: first line always the same product), warehouse stock made ample first. autocannon, one instance per API process, clients split between processes. CPU is seconds per 1,000 orders from /proc (PostgreSQL's processes, the API processes, the load generator).\n",
  );
  for (const mode of ["spread", "hot"]) {
    const body = r.levels.map((c) => {
      const a = find(rows, "api-orders", "API, 1 process", mode, c);
      const b = find(rows, "api-orders", "API, 2 processes", mode, c);
      const rf = find(rows, "raw", "reference (pgbench)", mode, c);
      return [
        String(c),
        ...cells(a),
        fmt.ratio(ratio(a, rf)),
        ...cells(b),
        fmt.ratio(ratio(b, rf)),
        a?.commitsPerOp?.toFixed(1) ?? "–",
        cpu(a),
        cpu(b),
        String((a?.errors ?? 0) + (b?.errors ?? 0)),
      ];
    });
    out.push(
      `\n**${mode}**\n\n${table(["clients", "1 proc /s", "p50", "p99", "÷ ref", "2 procs /s", "p50", "p99", "÷ ref", "commits per order", "CPU s/1k (pg · api · loadgen), 1 proc", "same, 2 procs", "errors"], body)}`,
    );
  }

  // Catalog.
  out.push(`\n### Catalog: API vs a bare Hono + postgres.js endpoint running the same SQL\n`);
  out.push(
    "bench/src/bare-catalog.ts sends the SQL the API's listProducts/getProduct send (unprepared, pool of 10, same JSON), without the API's middleware, zod and Drizzle. list page = a random cursor, 20 items; search = `q` from a list of common words; one product = GET /v1/products/:id with its producers.\n",
  );
  for (const q of ["list page", "search", "one product"]) {
    const body = r.levels.map((c) => {
      const a = find(rows, "catalog", "API", q, c);
      const b = find(rows, "catalog", "bare Hono + postgres.js", q, c);
      return [String(c), ...cells(a), ...cells(b), fmt.ratio(ratio(a, b)), cpu(a), cpu(b)];
    });
    out.push(
      `\n**${q}**\n\n${table(["clients", "API /s", "p50", "p99", "bare /s", "p50", "p99", "API ÷ bare", "CPU s/1k API", "CPU s/1k bare"], body)}`,
    );
  }

  // Statement & settlement.
  out.push(`\n### A villager's statement and the monthly settlement\n`);
  out.push(
    `GET /v1/consignors/:id/statement for month ${r.settlement?.month ?? "?"} of a random villager, as admin.\n`,
  );
  out.push(
    table(
      ["clients", "statements/s", "p50", "p99", "errors"],
      r.levels.map((c) => {
        const a = find(
          rows,
          "statement",
          "GET /v1/consignors/:id/statement (admin)",
          r.settlement?.month ?? "",
          c,
        );
        return [String(c), ...cells(a), String(a?.errors ?? "–")];
      }),
    ),
  );
  if (r.settlement) {
    out.push(
      `\nMonthly settlement (one SQL pass over consignor_entries computing opening, gross, commission, share, payouts and closing for every villager, bench/src/run.ts \`monthlySettlement\`): ${r.settlement.seconds.map((s) => `${s.toFixed(2)} s`).join(" then ")} for ${r.settlement.villagers.toLocaleString("en")} villagers; closing balances that differ from consignors.balance_fen: ${r.settlement.checkedAgainstBalance}.`,
    );
  }

  // Shop.
  out.push(`\n### Shop: the product page\n`);
  if ("firstLoad" in r.shop) {
    const s = r.shop;
    out.push(
      `Server render of ${s.productPath} (full HTML response including the shop's call to the API, one request at a time, ${s.render.count} requests): p50 ${fmt.ms(s.render.p50)} ms, p99 ${fmt.ms(s.render.p99)} ms. First load in Chromium (empty cache): ${(s.firstLoad.totalBytes / 1024).toFixed(1)} KB transferred, document encoding ${s.firstLoad.documentEncoding}, TTFB ${fmt.ms(s.firstLoad.ttfbMs)} ms, DOMContentLoaded ${fmt.ms(s.firstLoad.domContentLoadedMs)} ms, load ${fmt.ms(s.firstLoad.loadMs)} ms.${s.buildSeconds ? ` (Shop built first in ${s.buildSeconds.toFixed(0)} s.)` : ""}\n`,
    );
    out.push(
      table(
        ["type", "requests", "transferred KB", "decoded KB"],
        Object.entries(s.firstLoad.byType).map(([t, v]) => [
          t,
          String(v.requests),
          (v.bytes / 1024).toFixed(1),
          (v.decodedBytes / 1024).toFixed(1),
        ]),
      ),
    );
  } else out.push(`Skipped: ${r.shop.skipped}`);

  // Memory.
  out.push(`\n### Memory\n`);
  out.push(
    `API process peak RSS (VmHWM, sampled from /proc/<pid>/status every 200 ms and at the end): one process over the whole order runs ${r.memory.apiPeakKb.map(fmt.mb).join(", ")}; after the 64-client runs ${r.memory.apiPeakUnder64Kb.map(fmt.mb).join(", ")}; two processes ${r.memory.twoApiPeakKb.map(fmt.mb).join(", ")}. \`pnpm dev\`: ${"peakKb" in r.devStack ? `${fmt.mb(r.devStack.peakKb)} over ${r.devStack.processes} processes` : r.devStack.skipped}.`,
  );

  out.push(analysis(r));
  return out.join("\n");
}

function cells(row?: Row): string[] {
  return row ? [fmt.rate(row.throughput), fmt.ms(row.p50), fmt.ms(row.p99)] : ["–", "–", "–"];
}

function cpu(row?: Row): string {
  if (!row?.cpu) return "–";
  const c = row.cpu;
  return `${c.postgresPer1k.toFixed(2)} · ${Number.isFinite(c.serverPer1k) ? c.serverPer1k.toFixed(2) : "–"} · ${c.loadGeneratorPer1k.toFixed(2)}`;
}

function table(head: string[], body: string[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Where the time goes, from this run's own figures. */
function analysis(r: Results): string {
  const rows = r.rows;
  const api = find(rows, "api-orders", "API, 1 process", "spread", 32);
  const ref = find(rows, "raw", "reference (pgbench)", "spread", 32);
  const sqlReplay = find(rows, "raw", "API's SQL (postgres.js)", "spread", 32);
  const hot = find(rows, "api-orders", "API, 1 process", "hot", 32);
  const refHot = find(rows, "raw", "reference (pgbench)", "hot", 32);
  if (!api || !ref || !sqlReplay) return "";
  const lines = [
    `\n### Where the time goes (order placement, 32 clients, this run)\n`,
    `- Round trips: the reference transaction makes ~8 (BEGIN, 1–3 UPDATEs, INSERT order, 1–3 lines, 1–3 ledger rows, COMMIT); the API's order path makes ${r.profile.apiSqlRoundTrips} to PostgreSQL on its pool (5 reads outside the transaction — products, coop, pickup point, warehouse, stock at the point — then BEGIN, reservation UPDATE, INSERT order, INSERT lines, INSERT status history, INSERT notification, COMMIT, then a read of the status), plus one pg-boss \`send\` per order on pg-boss's own pool of ${r.profile.pgBossPoolSize} connections (\`notificationsQueued\` in apps/api/src/routes/orders.ts), plus the notifications job's UPDATE per delivered SMS afterwards. Measured server commits per API order: ${api.commitsPerOp?.toFixed(1) ?? "–"} (each autocommit read is a transaction), against ${ref.commitsPerOp?.toFixed(1) ?? "–"} for the reference.`,
    `- The API's SQL alone, replayed without HTTP, reaches ${fmt.rate(sqlReplay.throughput)}/s (${fmt.ratio(sqlReplay.throughput / ref.throughput)} of the reference); through HTTP the API reaches ${fmt.rate(api.throughput)}/s (${fmt.ratio(api.throughput / sqlReplay.throughput)} of its own SQL). So ${api.throughput / sqlReplay.throughput < 0.8 ? "most of the gap is in the Node process (HTTP, Hono + zod-openapi validation, Drizzle, pg-boss send), not in PostgreSQL" : "the gap is mostly the SQL itself (round trips and statements per order)"}.`,
    `- CPU per 1,000 orders at 32 clients: PostgreSQL ${api.cpu?.postgresPer1k.toFixed(2)} s and the API process ${api.cpu?.serverPer1k.toFixed(2)} s through HTTP (the API process ran at ${api.cpu?.serverPct.toFixed(0)} % of one core, PostgreSQL at ${api.cpu?.postgresPct.toFixed(0)} %, the load generator at ${api.cpu?.loadGeneratorPct.toFixed(0)} %, on ${r.machine.cores} cores); the reference costs PostgreSQL ${ref.cpu?.postgresPer1k ? `${ref.cpu.postgresPer1k.toFixed(2)} s per 1,000` : "– (not captured in this run: pgbench's backends ended before the second sample; fixed since)"}.`,
    `- Pool: the API uses DATABASE_POOL_SIZE=${r.profile.apiPoolSize} postgres.js connections per process (32 and 64 clients queue for them) and pg-boss ${r.profile.pgBossPoolSize} more.`,
  ];
  if (hot && refHot) {
    lines.push(
      `- Hot product: the reservation UPDATE takes the product's stock_levels row lock, held until COMMIT; the API holds it across 5 statements (UPDATE, 4 INSERTs) and COMMIT, the reference across its remaining statements. Hot throughput: API ${fmt.rate(hot.throughput)}/s, reference ${fmt.rate(refHot.throughput)}/s (${fmt.ratio(hot.throughput / refHot.throughput)}).`,
    );
  }
  const prof = r.profile.cpuProfile as
    | {
        sampledMs: number;
        byPlace: Array<{ place: string; pct: number }>;
        topFunctions: Array<{ fn: string; pct: number }>;
      }
    | null
    | undefined;
  const states = r.profile.connectionStates as Record<string, number> | undefined;
  if (states && Object.keys(states).length) {
    lines.push(
      `\nThe same API process's PostgreSQL connections during that load (pg_stat_activity every 100 ms, average number of connections in each state; coop-market = the API's pool of ${r.profile.apiPoolSize}, coop-jobs = pg-boss's ${r.profile.pgBossPoolSize}; "idle" connections are waiting on Node, "active (cpu)" are executing, "Lock:…" waiting for a row lock):\n`,
      table(
        ["connection state", "average connections"],
        Object.entries(states).map(([k, v]) => [k, String(v)]),
      ),
    );
  }
  if (prof) {
    lines.push(
      `\nCPU profile of one API process under POST /v1/orders, 32 clients, spread (\`node --cpu-prof\`, ${(prof.sampledMs / 1000).toFixed(0)} s sampled, self time; "(idle)" is time waiting for PostgreSQL or the network):\n`,
      table(
        ["where", "self %"],
        prof.byPlace.map((p) => [p.place, `${p.pct}`]),
      ),
      "\nBusiest functions (self time):\n",
      table(
        ["function — where", "self %"],
        prof.topFunctions.map((f) => [f.fn.replace(/\|/g, "\\|"), `${f.pct}`]),
      ),
    );
  }
  return lines.join("\n");
}
