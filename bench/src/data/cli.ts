/**
 * `pnpm bench:data --scale small|prefecture [--database-url URL] [--seed N] [--no-verify]`
 *
 * Generates a deterministic co-op (seeded PRNG) and loads it through COPY into PostgreSQL. By default it
 * drops and recreates the database coop_bench on 127.0.0.1:5432 and runs the committed migrations; with
 * --database-url the database must exist and hold no data yet (it is migrated, never dropped).
 */
import { createDb, hashPassword } from "@coop/db";
import postgres from "postgres";
import { assertLocal, DEFAULT_DATABASE_URL, parseArgs } from "../lib/args";
import { loadModel } from "./load";
import { CoopModel } from "./model";
import { BENCH_ADMIN_LOGIN, BENCH_PASSWORD, DEFAULT_SEED, parseScale } from "./scales";
import { verifyInvariants } from "./verify";

const log = (m: string) => console.log(m);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const scale = parseScale(args.get("scale") as string | undefined);
  const seed = Number(args.get("seed") ?? DEFAULT_SEED);
  const given = args.get("database-url");
  const url = typeof given === "string" ? given : DEFAULT_DATABASE_URL;
  assertLocal(url);
  const totalStarted = performance.now();
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    log(`${name}…`);
    const result = await work();
    phases[name] = (performance.now() - started) / 1000;
    log(`${name}: ${phases[name]!.toFixed(1)} s`);
    return result;
  };

  log(`bench:data — scale ${scale.name} (seed ${seed}) into ${url.replace(/:[^:@/]*@/, ":***@")}`);
  await phase("database", async () => {
    if (typeof given !== "string") await recreateDatabase(url);
    const handle = await createDb({ databaseUrl: url, maxConnections: 2 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
  });

  const sql = postgres(url, {
    max: 3,
    onnotice: () => {},
    connection: { application_name: "coop-bench-data", synchronous_commit: "off" },
  });
  try {
    const [existing] = await sql`SELECT count(*)::int AS n FROM coops`;
    if (existing!.n > 0) throw new Error("The database already holds a co-op; load into an empty database.");
    const passwordHash = await phase("argon2 hash (once, shared by every staff user)", () =>
      hashPassword(BENCH_PASSWORD),
    );
    const model = await phase("simulate", () => new CoopModel(scale, seed).build());
    log(
      `  ${model.orders.length.toLocaleString("en")} orders, ${model.lineCount.toLocaleString("en")} lines, ` +
        `${model.allocCount.toLocaleString("en")} lot draws, ${model.runs.length.toLocaleString("en")} collection runs, ` +
        `${model.payouts.length.toLocaleString("en")} payouts`,
    );
    const ids = await phase("load (COPY)", () => loadModel(sql, model, passwordHash, log));
    await phase("vacuum analyze", () => sql.unsafe("VACUUM ANALYZE"));
    if (!args.has("no-verify")) {
      const ok = await phase("verify invariants", () => verifyInvariants(sql, log));
      if (!ok) throw new Error("The generated data breaks a ledger invariant (see BAD above).");
    }
    const counts = await sql.unsafe(`
      SELECT 'service points' AS what, count(*) AS n FROM locations WHERE kind = 'service_point'
      UNION ALL SELECT 'villagers', count(*) FROM consignors
      UNION ALL SELECT 'products', count(*) FROM products
      UNION ALL SELECT 'lots', count(*) FROM lots
      UNION ALL SELECT 'stock ledger lines (stock_movements)', count(*) FROM stock_movements
      UNION ALL SELECT 'money ledger lines (consignor_entries)', count(*) FROM consignor_entries
      UNION ALL SELECT 'orders', count(*) FROM orders
      UNION ALL SELECT 'order lines', count(*) FROM order_lines
      UNION ALL SELECT 'order_line_lots', count(*) FROM order_line_lots
      UNION ALL SELECT 'payments', count(*) FROM payments
      UNION ALL SELECT 'payouts', count(*) FROM payouts
      UNION ALL SELECT 'stock levels', count(*) FROM stock_levels
      UNION ALL SELECT 'staff users', count(*) FROM staff_users`);
    const total = (performance.now() - totalStarted) / 1000;
    const [size] = await sql`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`;
    // What the benchmark report cites: the scale, the seed, the counts and how long the load took.
    await sql.unsafe("CREATE SCHEMA IF NOT EXISTS bench");
    await sql.unsafe("CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value jsonb NOT NULL)");
    const meta = {
      scale: scale.name,
      seed,
      loadedAt: new Date().toISOString(),
      totalSeconds: total,
      phases,
      counts: Object.fromEntries(counts.map((r) => [r.what, Number(r.n)])),
      databaseSize: size!.size,
      coopId: ids.coopId,
      warehouseId: ids.locationIds[0],
    };
    await sql`INSERT INTO bench.meta ${sql({ key: "data", value: sql.json(meta) })}
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
    log("\nLoaded:");
    for (const r of counts)
      log(`  ${String(r.what).padEnd(40)} ${Number(r.n).toLocaleString("en").padStart(12)}`);
    log(`  database size ${size!.size}`);
    log(
      `Staff: login ${BENCH_ADMIN_LOGIN} (admin), bench-warehouse, bench-agent-0001…; password ${BENCH_PASSWORD}`,
    );
    log(`Done in ${total.toFixed(1)} s.`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function recreateDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
