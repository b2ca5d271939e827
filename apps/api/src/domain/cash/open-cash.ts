import type { Executor } from "@coop/db";
import { locations, staffUsers } from "@coop/db/schema";
import { CHINA_UTC_OFFSET_HOURS } from "@coop/shared";
import type { OpenCash } from "@coop/shared/contract";
import { inArray, sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";
import { listHandIns } from "./day-close";

interface DayRow {
  agent: string;
  day: string;
  taken: string | number;
  paid: string | number;
  expected: string | number;
  counted: string | number;
  hand_ins: string | number;
}

/**
 * Every agent's open cash: cash taken minus cash paid out minus cash handed in (the admin's count once
 * confirmed), and the China days whose cash is not yet all handed in. Summed from the rows each time.
 */
export async function openCash(db: Executor): Promise<OpenCash> {
  // China day = the UTC wall-clock time plus China's offset; AT TIME ZONE 'UTC' needs no time-zone data.
  const chinaDay = (column: string) =>
    sql.raw(`((${column} AT TIME ZONE 'UTC') + interval '${CHINA_UTC_OFFSET_HOURS} hours')::date`);
  const rows = await sqlRows<DayRow>(
    db,
    sql`
    WITH t AS (
      SELECT received_by_user_id AS agent, ${chinaDay("created_at")} AS day, sum(amount_fen) AS taken
      FROM payments WHERE provider = 'cash' AND received_by_user_id IS NOT NULL GROUP BY 1, 2
    ), p AS (
      SELECT paid_by_user_id AS agent, ${chinaDay("created_at")} AS day, sum(amount_fen) AS paid
      FROM payouts WHERE method = 'cash' GROUP BY 1, 2
    ), h AS (
      SELECT agent_user_id AS agent, china_day AS day, sum(expected_fen) AS expected,
             sum(coalesce(confirmed_counted_fen, counted_fen)) AS counted, count(*) AS hand_ins
      FROM cash_handins GROUP BY 1, 2
    )
    SELECT agent, to_char(day, 'YYYY-MM-DD') AS day, coalesce(taken, 0) AS taken, coalesce(paid, 0) AS paid,
           coalesce(expected, 0) AS expected, coalesce(counted, 0) AS counted, coalesce(hand_ins, 0) AS hand_ins
    FROM t FULL JOIN p USING (agent, day) FULL JOIN h USING (agent, day)
    ORDER BY agent, day`,
  );
  const agentIds = [...new Set(rows.map((r) => r.agent))];
  const people = agentIds.length
    ? await db
        .select({
          id: staffUsers.id,
          name: staffUsers.displayName,
          servicePointId: staffUsers.servicePointId,
        })
        .from(staffUsers)
        .where(inArray(staffUsers.id, agentIds))
    : [];
  const pointIds = people.map((p) => p.servicePointId).filter((id): id is string => id !== null);
  const points = pointIds.length
    ? await db
        .select({ id: locations.id, zh: locations.nameZh, en: locations.nameEn })
        .from(locations)
        .where(inArray(locations.id, pointIds))
    : [];
  const agents = people.map((person) => {
    const mine = rows.filter((r) => r.agent === person.id);
    const total = (pick: (r: DayRow) => string | number) => mine.reduce((s, r) => s + Number(pick(r)), 0);
    const takenFen = total((r) => r.taken);
    const paidOutFen = total((r) => r.paid);
    const handedInFen = total((r) => r.counted);
    const point = points.find((p) => p.id === person.servicePointId);
    return {
      agentId: person.id,
      agentName: person.name,
      servicePointId: person.servicePointId,
      servicePointName: point ? { zh: point.zh, en: point.en } : null,
      takenFen,
      paidOutFen,
      handedInFen,
      openFen: takenFen - paidOutFen - handedInFen,
      days: mine
        // A day whose takings and payouts cancel out still needs its (zero) hand-in signed.
        .filter((r) => Number(r.hand_ins) === 0 || Number(r.taken) - Number(r.paid) !== Number(r.expected))
        .map((r) => ({ day: r.day, toHandInFen: Number(r.taken) - Number(r.paid) - Number(r.expected) })),
    };
  });
  agents.sort(
    (a, b) =>
      (a.servicePointName?.zh ?? "").localeCompare(b.servicePointName?.zh ?? "") ||
      a.agentName.localeCompare(b.agentName),
  );
  return { agents, awaitingConfirmation: await listHandIns(db, { unconfirmed: true }) };
}
