import type { Database } from "@coop/db";
import { addDays, chinaToday } from "@coop/shared";
import { sql } from "drizzle-orm";
import { audit } from "../../lib/audit";

/** How far back the hourly safety net recomputes: a month and a bit, in case the minute job was down. */
export const SAFETY_NET_DAYS = 35;

/**
 * Recomputes the rollups of the last `days` China days (and the months they touch) from the sales ledger, in
 * one transaction under the rollups' advisory lock (migration 0029): idempotent, and safe while another
 * process runs it too. Every minute for yesterday and today; every hour for the last 35 days.
 */
export async function refreshRecentRollups(db: Database, days = 2, now = new Date()) {
  const today = chinaToday(now);
  const from = addDays(today, -(days - 1));
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT coop_rebuild_sales_rollups(${from}::date, ${today}::date)`);
  });
}

/** Throws every rollup away and builds them again from the whole ledger (the admin's rebuild, audited). */
export async function rebuildAllRollups(
  db: Database,
  by: { actorUserId: string; coopId: string; requestId?: string },
) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT coop_rebuild_all_sales_rollups()`);
    await audit(tx, {
      actorUserId: by.actorUserId,
      action: "reports.rebuild",
      entityType: "sales_rollups",
      entityId: by.coopId,
      ...(by.requestId ? { requestId: by.requestId } : {}),
    });
  });
}
