import { inArray } from "drizzle-orm";
import type { Database } from "../client";
import { hashPassword } from "../passwords";
import { coops, locations, products, staffUsers } from "../schema";
import { DEMO_COOP, DEMO_PRODUCTS, DEMO_SERVICE_POINTS, DEMO_WAREHOUSE } from "./catalog";
import { buildDemoDataset } from "./dataset";
import { DEMO_LOGINS } from "./people";
import { countDemoData, type DemoCounts } from "./summary";
import { writeDemoDataset } from "./write";

export { DEMO_COOP, DEMO_PRODUCTS, DEMO_SERVICE_POINTS, DEMO_WAREHOUSE } from "./catalog";
export { agentLoginFor, DEMO_LOGINS, type DemoLogin } from "./people";
export type { DemoCounts } from "./summary";

export interface SeedOptions {
  /**
   * One hash to store for every demo user instead of hashing the demo passwords (for tests that never log
   * in). Without it each distinct demo password is hashed once with Argon2id.
   */
  passwordHash?: string;
  /** Where NODE_ENV is read from; process.env when absent. */
  env?: { NODE_ENV?: string | undefined };
  /** The moment the demo history ends; lot ages, best-before dates and order times count back from it. */
  now?: Date;
  /** Seed of the pseudo-random choices. The default gives the documented demo data. */
  randomSeed?: number;
}

export interface SeedSummary {
  /** "already_seeded": the demo co-op existed, nothing was written. */
  status: "seeded" | "already_seeded";
  coopCode: string;
  counts: DemoCounts;
}

const DEFAULT_RANDOM_SEED = 2026;

export class SeedRefusedError extends Error {
  override name = "SeedRefusedError";
}

/** The demo data carries public passwords (DEMO_LOGINS): it must never reach a production database. */
export function assertSeedAllowed(env: { NODE_ENV?: string | undefined } = process.env): void {
  if (env.NODE_ENV === "production") {
    throw new SeedRefusedError(
      "Refusing to load demo data with NODE_ENV=production: the demo staff accounts have published " +
        "passwords. Seed only development, test or demo databases.",
    );
  }
}

/**
 * Loads the demo co-op: places, staff, villagers, catalog, stock, a few orders and the villagers' ledgers.
 * Idempotent: when the demo co-op (code "HY") exists it writes nothing and reports what is there. All rows
 * go in one transaction, so a failure leaves the database as it was.
 */
export async function seedDemoData(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  assertSeedAllowed(options.env ?? process.env);
  const existing = await countDemoData(db, DEMO_COOP.code);
  if (existing) return { status: "already_seeded", coopCode: DEMO_COOP.code, counts: existing };
  await assertNoClashes(db);

  // Hashed before the transaction opens, so no locks are held while Argon2 works.
  const data = buildDemoDataset({
    now: options.now ?? new Date(),
    randomSeed: options.randomSeed ?? DEFAULT_RANDOM_SEED,
    passwordHashes: await demoPasswordHashes(options.passwordHash),
  });

  const wrote = await db.transaction(async (tx) => {
    // The co-op's unique code is the lock: a concurrent seed waits here, then finds it and backs off.
    const [coop] = await tx
      .insert(coops)
      .values(data.coop)
      .onConflictDoNothing({ target: coops.code })
      .returning({ id: coops.id });
    if (!coop) return false;
    await writeDemoDataset(tx, data);
    return true;
  });

  const counts = await countDemoData(db, DEMO_COOP.code);
  if (!counts) throw new Error("Demo co-op missing right after seeding");
  return { status: wrote ? "seeded" : "already_seeded", coopCode: DEMO_COOP.code, counts };
}

async function demoPasswordHashes(sharedHash: string | undefined): Promise<Map<string, string>> {
  const passwords = [...new Set(DEMO_LOGINS.map((l) => l.password))];
  const hashes = sharedHash
    ? passwords.map(() => sharedHash)
    : await Promise.all(passwords.map((password) => hashPassword(password)));
  return new Map(passwords.map((password, i) => [password, hashes[i]!]));
}

/**
 * Logins, place codes and SKUs are unique across the whole database. If another co-op or a hand-made
 * admin already uses one, say which instead of failing on a bare unique-constraint error mid-way.
 */
async function assertNoClashes(db: Database): Promise<void> {
  const placeCodes = [DEMO_WAREHOUSE.code, ...DEMO_SERVICE_POINTS.map((p) => p.code)];
  const [logins, places, skus] = await Promise.all([
    db
      .select({ value: staffUsers.login })
      .from(staffUsers)
      .where(
        inArray(
          staffUsers.login,
          DEMO_LOGINS.map((l) => l.login),
        ),
      ),
    db.select({ value: locations.code }).from(locations).where(inArray(locations.code, placeCodes)),
    db
      .select({ value: products.sku })
      .from(products)
      .where(
        inArray(
          products.sku,
          DEMO_PRODUCTS.map((p) => p.sku),
        ),
      ),
  ]);
  const clashes = [
    ...logins.map((r) => `staff login "${r.value}"`),
    ...places.map((r) => `location code "${r.value}"`),
    ...skus.map((r) => `product SKU "${r.value}"`),
  ];
  if (clashes.length > 0) {
    throw new Error(
      `Cannot load demo data: this database already has ${clashes.join(", ")} outside the demo co-op ` +
        `"${DEMO_COOP.code}". Seed an empty database, or remove those rows first.`,
    );
  }
}
