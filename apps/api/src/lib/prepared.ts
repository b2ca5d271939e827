import type { Executor } from "@coop/db";

/**
 * Hot queries are built once per database and sent as prepared statements: no query building per request,
 * one plan per connection, and one round trip (postgres.js sends an unprepared statement with parameters in
 * two: it asks PostgreSQL for the parameter types first). Keyed by the database object, so test databases
 * and the embedded one each get their own.
 */
export interface Prepared<T> {
  execute(values: Record<string, unknown>): Promise<T>;
}

const preparedByDb = new WeakMap<object, Map<string, Prepared<unknown>>>();

export function prepared<T>(db: Executor, name: string, build: () => Prepared<T>): Prepared<T> {
  let cache = preparedByDb.get(db);
  if (!cache) {
    cache = new Map();
    preparedByDb.set(db, cache);
  }
  let query = cache.get(name);
  if (!query) {
    query = build();
    cache.set(name, query);
  }
  return query as Prepared<T>;
}
