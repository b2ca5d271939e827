import { createDb, pgliteDir } from "../client";
import { readDbEnv } from "../env";
import { assertSeedAllowed, DEMO_LOGINS, SeedRefusedError, seedDemoData } from "../seed";

const env = readDbEnv();
try {
  // Checked before the database is opened or migrated: production is not touched at all.
  assertSeedAllowed(env);
} catch (error) {
  if (!(error instanceof SeedRefusedError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const handle = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: pgliteDir(env.DATA_DIR) });
try {
  // Migrating first lets `pnpm db:seed` work on a brand-new database.
  await handle.migrate();
  const summary = await seedDemoData(handle.db, { env });
  const target =
    handle.kind === "postgres"
      ? "PostgreSQL (DATABASE_URL)"
      : `embedded PGlite at ${pgliteDir(env.DATA_DIR)}`;
  const c = summary.counts;
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  console.log(
    summary.status === "seeded"
      ? `Demo data loaded into ${target}.`
      : `Demo co-op "${summary.coopCode}" is already in ${target}; nothing was written.`,
  );
  console.log(
    [
      `  ${n(c.servicePoints, "service point")}, ${n(c.warehouses, "warehouse")}, ${c.staffUsers} staff, ${n(c.consignors, "villager")}`,
      `  ${n(c.products, "product")} (${c.produce} produce, ${c.supplies} farm supplies), ${n(c.lots, "lot")} (${c.rejectedLots} rejected at intake)`,
      `  ${n(c.stockMovements, "stock movement")}, ${n(c.orders, "order")} (${n(c.orderLines, "line")}, ${n(c.payments, "payment")})`,
      `  ${n(c.consignorEntries, "villager ledger line")}, ${n(c.payouts, "payout")}`,
    ].join("\n"),
  );
  console.log("Demo logins (login / password):");
  for (const demo of DEMO_LOGINS) {
    const where = demo.servicePointCode ? ` at ${demo.servicePointCode}` : "";
    console.log(`  ${demo.login.padEnd(11)} ${demo.password.padEnd(21)} ${demo.role}${where}`);
  }
} finally {
  await handle.close();
}
