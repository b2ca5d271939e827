import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the apps code against: the same for embedded PGlite and a PostgreSQL server. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: domain functions accept both and reuse an outer transaction. */
export type Executor = Database | Transaction;

export type DbKind = "pglite" | "postgres";

export interface DbHandle {
  db: Database;
  kind: DbKind;
  /** Applies the committed migrations (idempotent). */
  migrate(): Promise<void>;
  /**
   * Runs raw SQL on the underlying driver, for libraries that bring their own SQL (the pg-boss job queue).
   * Without values the text may hold several statements.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
  close(): Promise<void>;
}

/** Set only by the API's production build (apps/api/scripts/build.mjs), which copies the migrations next to its bundle. */
declare const __COOP_MIGRATIONS_URL__: string | undefined;

/**
 * The committed migrations, relative to this module: packages/db/migrations when run from the sources (tsx,
 * vitest), dist/migrations beside apps/api/dist/server.js in the bundle, where import.meta.url is the bundle's.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(
  new URL(
    typeof __COOP_MIGRATIONS_URL__ === "string" ? __COOP_MIGRATIONS_URL__ : "../migrations",
    import.meta.url,
  ),
);

export interface DbOptions {
  /** postgres://… — when absent, the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database (see pgliteDir); "memory://" for a throwaway one. Ignored with databaseUrl. */
  dataDir?: string | undefined;
  /** A PGlite instance to wrap (tests load one from a dump). */
  pglite?: PGlite;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
  if (options.databaseUrl) return createPostgresDb(options.databaseUrl, options.maxConnections ?? 10);
  const pglite = options.pglite ?? (await openPglite(options.dataDir));
  const db = drizzlePglite({ client: pglite, schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        const last = results.at(-1);
        return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
      }
      const result = await pglite.query(text, values as never[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    close: () => pglite.close(),
  };
}

function createPostgresDb(url: string, max: number): DbHandle {
  const sql = postgres(url, {
    max,
    // While the server is away a request fails within seconds (the API answers 503) instead of waiting
    // postgres.js's default 30 s for a connection that will not come.
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "coop-market" },
  });
  const db = drizzlePostgres({ client: sql, schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    async executeSql(text, values) {
      const rows = await sql.unsafe(text, (values ?? []) as never[]);
      return { rows: [...rows], rowCount: rows.count ?? rows.length };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The embedded database lives in <DATA_DIR>/pglite; DATA_DIR also holds uploaded photos later. */
export function pgliteDir(dataDir: string): string {
  return path.resolve(dataDir, "pglite");
}

/**
 * Every embedded database is opened with this: the extensions the migrations create (pg_trgm for catalog
 * search) must be loaded by each PGlite instance that opens such a data dir, a clone from a dump included.
 */
export function newPglite(options: PGliteOptions = {}): PGlite {
  return new PGlite({ ...options, extensions: { pg_trgm, ...options.extensions } });
}

async function openPglite(dataDir = pgliteDir(".data")): Promise<PGlite> {
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const pglite = newPglite({ dataDir });
  await pglite.waitReady;
  return pglite;
}
