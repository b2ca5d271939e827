import type { Executor } from "@coop/db";
import type { SQL } from "drizzle-orm";

/**
 * The rows of a raw SQL statement. postgres.js answers an array and PGlite an object with `rows`; this is
 * the one place that knows.
 */
export async function sqlRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
