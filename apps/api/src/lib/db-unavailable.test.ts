import { createServer } from "node:net";
import { createDb } from "@coop/db";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isTransientConflict } from "./db-unavailable";

/** A port with nothing listening on it: connections are refused, as while PostgreSQL restarts. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The shape Drizzle gives a failed query: its own error, with the driver's as `cause`. */
const drizzleWrapped = (cause: unknown) =>
  Object.assign(new Error("Failed query: select 1\nparams: "), { name: "DrizzleQueryError", cause });

describe("telling a database that is away from a query that was refused", () => {
  it("recognises postgres.js refused and timed-out connections, bare or wrapped by Drizzle", async () => {
    // The API's own client (postgres.js under Drizzle), pointed where PostgreSQL is not answering.
    const handle = await createDb({
      databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/x`,
      maxConnections: 1,
    });
    const error = await handle.db.execute(sql`SELECT 1`).catch((e: unknown) => e);
    await handle.close();
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(drizzleWrapped({ code: "CONNECT_TIMEOUT" }))).toBe(true);
  });

  it("recognises a server shutting down or starting up, and connection exceptions (class 08)", () => {
    for (const code of ["57P01", "57P02", "57P03", "53300", "08006", "08001"]) {
      expect(isDatabaseUnavailable(drizzleWrapped({ code })), code).toBe(true);
    }
  });

  it("does not take a refused query or a bug for an outage", () => {
    for (const code of ["23505", "23514", "22003", "42P01", "CO409"]) {
      expect(isDatabaseUnavailable(drizzleWrapped({ code })), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it("treats a deadlock or serialization failure as a conflict to retry, not an outage", () => {
    expect(isTransientConflict(drizzleWrapped({ code: "40P01" }))).toBe(true);
    expect(isTransientConflict(drizzleWrapped({ code: "40001" }))).toBe(true);
    expect(isTransientConflict(drizzleWrapped({ code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(drizzleWrapped({ code: "40P01" }))).toBe(false);
  });
});
