import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle, newPglite } from "../src/client";

/**
 * The embedded default (PGlite, PostgreSQL 18) and a real server (PostgreSQL 15 here) must end up with the
 * same schema from the same committed migrations. Compared: columns, constraints, indexes and triggers.
 */
async function describeSchema(handle: DbHandle) {
  const q = async (query: ReturnType<typeof sql>) => {
    const result = (await handle.db.execute(query)) as unknown as { rows?: unknown[] } | unknown[];
    return Array.isArray(result) ? result : (result.rows ?? []);
  };
  const columns = await q(sql`
    SELECT table_name, column_name, data_type, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY table_name, column_name`);
  const constraints = await q(sql`
    SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = 'public' AND c.contype <> 'n'
    ORDER BY 1, 2`);
  const indexes = await q(sql`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`);
  const triggers = await q(sql`
    SELECT event_object_table, trigger_name, event_manipulation, action_timing
    FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3`);
  return { columns, constraints, indexes, triggers };
}

const serverUrl = process.env.TEST_DATABASE_URL;

describe.runIf(serverUrl)("migrations on PGlite and on PostgreSQL", () => {
  const dbName = `coop_parity_${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl ?? "", { max: 1, onnotice: () => {} });
  const handles: DbHandle[] = [];

  afterAll(async () => {
    for (const h of handles) await h.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it("produce the same schema from an empty database", async () => {
    const lite = await createDb({ pglite: newPglite() });
    handles.push(lite);
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    const url = new URL(serverUrl ?? "");
    url.pathname = `/${dbName}`;
    const server = await createDb({ databaseUrl: url.toString(), maxConnections: 2 });
    handles.push(server);

    await lite.migrate();
    await server.migrate();
    const [a, b] = await Promise.all([describeSchema(lite), describeSchema(server)]);

    expect(a.columns.length).toBeGreaterThan(100);
    expect(a.constraints.length).toBeGreaterThan(50);
    expect(a.triggers.length).toBeGreaterThanOrEqual(5);
    expect(a).toEqual(b);
  });
});
