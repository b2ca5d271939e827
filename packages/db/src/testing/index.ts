import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import postgres from "postgres";
import { createDb, type DbHandle, type DbKind, MIGRATIONS_FOLDER, newPglite } from "../client";

/**
 * Test databases. Every test file gets its own database, so files run in parallel in any order:
 * - PGlite: a clone of a migrated template (dumped once by the global setup, ~1 s to load);
 * - PostgreSQL: CREATE DATABASE … TEMPLATE a migrated template database (~0.1 s), dropped afterwards.
 * The PostgreSQL kind is present only when TEST_DATABASE_URL is set (the root test runner sets it
 * whenever a server answers, and says loudly when none does).
 */
export function testDbKinds(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDb extends DbHandle {
  /** postgres:// URL of this test's own database (PostgreSQL kind only), for child processes. */
  url?: string;
}

export async function createTestDb(kind: DbKind): Promise<TestDb> {
  return kind === "pglite" ? createPgliteTestDb() : createPostgresTestDb();
}

/** Hash of the committed migrations: a changed migration gets a fresh template. */
export function migrationsHash(): string {
  const hash = createHash("sha256");
  const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql"));
  for (const file of files.sort()) hash.update(file).update(readFileSync(`${MIGRATIONS_FOLDER}/${file}`));
  return hash.digest("hex").slice(0, 12);
}

// ---- PGlite ----------------------------------------------------------------------------------------------

let pgliteTemplate: Promise<Blob> | undefined;

/** Migrates a fresh in-memory PGlite and writes its data dir to `file` (run once, in vitest's globalSetup). */
export async function writePgliteTemplate(file: string): Promise<void> {
  const blob = await buildPgliteTemplate();
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
}

async function buildPgliteTemplate(): Promise<Blob> {
  const pglite = newPglite();
  const handle = await createDb({ pglite });
  await handle.migrate();
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  return dump;
}

function loadPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = process.env.PGLITE_TEMPLATE_FILE;
    if (file && existsSync(file)) return new Blob([readFileSync(file)]);
    return buildPgliteTemplate();
  })();
  return pgliteTemplate;
}

async function createPgliteTestDb(): Promise<TestDb> {
  const pglite = newPglite({ loadDataDir: await loadPgliteTemplate() });
  await pglite.waitReady;
  return createDb({ pglite });
}

// ---- PostgreSQL ------------------------------------------------------------------------------------------

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: no PostgreSQL server for this test");
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let postgresTemplate: Promise<string> | undefined;

/** Creates and migrates the template database once per migrations hash; safe when many files race. */
function ensurePostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `coop_tpl_${migrationsHash()}`;
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    try {
      await admin`SELECT pg_advisory_lock(hashtext(${name}))`;
      const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
      if (!exists) {
        const building = `${name}_building`;
        await admin.unsafe(`DROP DATABASE IF EXISTS ${building}`);
        await admin.unsafe(`CREATE DATABASE ${building}`);
        const handle = await createDb({ databaseUrl: withDatabase(adminUrl(), building), maxConnections: 1 });
        await handle.migrate();
        await handle.close();
        // Renamed only when complete, so a half-migrated template is never cloned.
        await admin.unsafe(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      await admin`SELECT pg_advisory_unlock(hashtext(${name}))`;
    } finally {
      await admin.end({ timeout: 5 });
    }
    return name;
  })();
  return postgresTemplate;
}

async function createPostgresTestDb(): Promise<TestDb> {
  const template = await ensurePostgresTemplate();
  const name = `coop_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (error) {
      // Two clones starting at the same instant can see each other as "other users" of the template.
      if (attempt >= 20 || !String(error).includes("being accessed by other users")) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = withDatabase(adminUrl(), name);
  const handle = await createDb({ databaseUrl: url, maxConnections: 20 });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
