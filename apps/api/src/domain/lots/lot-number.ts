import type { Executor } from "@coop/db";
import { lots } from "@coop/db/schema";
import { and, eq, isNull, like, sql } from "drizzle-orm";

/** The calendar date in China (UTC+8), as YYYYMMDD: intake numbers follow the agent's day, not UTC's. */
export function chinaDateStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "");
}

/**
 * The next intake number at a service point for today, e.g. "HS01-20261123-0007": short enough to read out
 * and write on a crate. Serialised per point with a transaction-scoped advisory lock, so two agents' intakes
 * at once never get the same number. Only intakes count: a part split off a lot for a delivery run is
 * numbered "<parent>-<n>" (decision 0019), which would otherwise be the highest number of the day.
 */
export async function nextLotNumber(tx: Executor, point: { id: string; code: string }, at = new Date()) {
  const prefix = `${point.code.replace(/^SP-/, "")}-${chinaDateStamp(at)}-`;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`lotno:${point.id}`}))`);
  const [row] = await tx
    .select({ max: sql<string | null>`max(${lots.lotNo})` })
    .from(lots)
    .where(
      and(eq(lots.originLocationId, point.id), like(lots.lotNo, `${prefix}%`), isNull(lots.parentLotId)),
    );
  const last = row?.max ? Number(row.max.slice(prefix.length)) : 0;
  return `${prefix}${String(last + 1).padStart(4, "0")}`;
}
