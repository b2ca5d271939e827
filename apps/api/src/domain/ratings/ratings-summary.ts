import type { Executor } from "@coop/db";
import { chinaToday } from "@coop/shared";
import { RATING_SATISFIED_MIN_LEVEL, type RatingsSummary } from "@coop/shared/contract";
import { sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";

/**
 * The ratings of a range of China days, for the co-op or one service point (whose service was rated): how many,
 * the mean level, the share satisfied (4 or 5); and the follow-ups open now, and how many of them are late.
 */
export async function ratingsSummary(
  db: Executor,
  input: { coopId: string; from: string; to: string; pointId: string | null; now?: Date },
): Promise<RatingsSummary> {
  const pointOnly = (column: string) =>
    input.pointId ? sql`AND ${sql.raw(column)} = ${input.pointId}` : sql``;
  // China days are UTC+8 all year: a day starts at 16:00 UTC of the day before.
  const [given] = await sqlRows<{ n: string; average: string | null; satisfied: string }>(
    db,
    sql`SELECT count(*) AS n, avg(r.level) AS average,
          count(*) FILTER (WHERE r.level >= ${RATING_SATISFIED_MIN_LEVEL}) AS satisfied
        FROM ratings r JOIN rating_requests q ON q.id = r.request_id
        WHERE q.coop_id = ${input.coopId} ${pointOnly("q.service_point_id")}
          AND r.created_at >= ((${input.from}::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
          AND r.created_at < ((${input.to}::date + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'`,
  );
  const today = chinaToday(input.now ?? new Date());
  const [open] = await sqlRows<{ n: string; overdue: string }>(
    db,
    sql`SELECT count(*) AS n, count(*) FILTER (WHERE f.due_on < ${today}::date) AS overdue
        FROM rating_follow_ups f JOIN locations l ON l.id = f.service_point_id
        WHERE f.status = 'open' AND l.coop_id = ${input.coopId} ${pointOnly("f.service_point_id")}`,
  );
  const count = Number(given?.n ?? 0);
  const oneDecimal = (x: number) => Math.round(x * 10) / 10;
  return {
    count,
    averageLevel: count > 0 ? oneDecimal(Number(given!.average)) : null,
    satisfiedPct: count > 0 ? oneDecimal((Number(given!.satisfied) * 100) / count) : null,
    openFollowUps: Number(open?.n ?? 0),
    overdueFollowUps: Number(open?.overdue ?? 0),
  };
}
