import type { Executor } from "@coop/db";
import {
  addDays,
  COMMITMENT_DEFAULT_DAYS,
  COMMITMENT_KINDS,
  type CommitmentKind,
  type CommitmentStanding,
  chinaDate,
  chinaDayRange,
  chinaToday,
  commitmentStanding,
  median,
} from "@coop/shared";
import type { CommitmentsReport } from "@coop/shared/contract";
import { sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";
import { calendarMarks } from "../calendar/working-calendar";
import { type CommitmentItem, commitmentItems } from "./commitment-items";

/** Open work is watched this far back: older than that it is an old breach, not today's to-do. */
export const ATTENTION_DAYS = 60;
const TOP_POINTS = 20;
const ATTENTION_ROWS = 50;

/** The co-op's working days per kind: its own where set, else the defaults. */
export async function commitmentDays(
  db: Executor,
  coopId: string,
): Promise<Record<CommitmentKind, { workingDays: number; isDefault: boolean }>> {
  const rows = await sqlRows<{ kind: CommitmentKind; working_days: number }>(
    db,
    sql`SELECT kind, working_days FROM service_commitments WHERE coop_id = ${coopId}`,
  );
  const set = new Map(rows.map((r) => [r.kind, Number(r.working_days)]));
  return Object.fromEntries(
    COMMITMENT_KINDS.map((kind) => [
      kind,
      { workingDays: set.get(kind) ?? COMMITMENT_DEFAULT_DAYS[kind], isDefault: !set.has(kind) },
    ]),
  ) as Record<CommitmentKind, { workingDays: number; isDefault: boolean }>;
}

interface Judged {
  item: CommitmentItem;
  standing: CommitmentStanding;
  startedOn: string;
}

/** Every kind's work started in [from, to] (China days) in the scope, judged against today's calendar. */
export async function judgeWork(
  db: Executor,
  input: { coopId: string; pointId: string | null; from: string; to: string; now: Date },
): Promise<{ judged: Judged[]; days: Record<CommitmentKind, number> }> {
  const settings = await commitmentDays(db, input.coopId);
  const today = chinaToday(input.now);
  const lastDay = input.to > today ? input.to : today;
  // Deadlines run past the range: the marks cover the longest commitment after it, with room for holidays.
  const marks = await calendarMarks(db, input.coopId, input.from, addDays(lastDay, 120));
  const scope = {
    coopId: input.coopId,
    pointId: input.pointId,
    from: chinaDayRange(input.from).start.toISOString(),
    before: chinaDayRange(input.to).end.toISOString(),
  };
  const items = (await Promise.all(COMMITMENT_KINDS.map((kind) => commitmentItems(db, kind, scope)))).flat();
  const judged = items.map((item) => {
    const startedOn = chinaDate(item.startedAt);
    const standing = commitmentStanding(
      {
        startedOn,
        doneOn: item.doneAt ? chinaDate(item.doneAt) : null,
        days: settings[item.kind].workingDays,
        today,
      },
      marks,
    );
    return { item, standing, startedOn };
  });
  const days = Object.fromEntries(COMMITMENT_KINDS.map((k) => [k, settings[k].workingDays])) as Record<
    CommitmentKind,
    number
  >;
  return { judged, days };
}

function figures(list: readonly Judged[]) {
  const count = (state: string) => list.filter((j) => j.standing.state === state).length;
  const onTime = count("on_time");
  const late = count("late");
  const breached = count("breached");
  const judgedCount = onTime + late + breached;
  return {
    started: list.length,
    onTime,
    late,
    breached,
    pending: count("pending"),
    atRisk: count("at_risk"),
    onTimePct: judgedCount ? Math.round((onTime / judgedCount) * 1000) / 10 : null,
    medianDays: median(list.filter((j) => j.item.doneAt !== null).map((j) => j.standing.workingDays)),
  };
}

/**
 * 限时办结 over a range: per kind of work how much was on time, late or breached and the median time taken;
 * per service point the same with its ratings; and what is open and at risk or breached now.
 */
export async function commitmentsReport(
  db: Executor,
  input: { coopId: string; pointId: string | null; from: string; to: string; now?: Date },
): Promise<CommitmentsReport> {
  const now = input.now ?? new Date();
  const today = chinaToday(now);
  const base = { coopId: input.coopId, pointId: input.pointId, now };
  const [{ judged, days }, { judged: recent }] = await Promise.all([
    judgeWork(db, { ...base, from: input.from, to: input.to }),
    judgeWork(db, { ...base, from: addDays(today, -ATTENTION_DAYS), to: today }),
  ]);

  const kinds = COMMITMENT_KINDS.map((kind) => {
    const { pending, atRisk, ...rest } = figures(judged.filter((j) => j.item.kind === kind));
    return { kind, workingDays: days[kind], ...rest, pending, atRisk };
  });

  const byPoint = new Map<string, Judged[]>();
  for (const j of judged) byPoint.set(j.item.pointId, [...(byPoint.get(j.item.pointId) ?? []), j]);
  const pointRows = [...byPoint].map(([pointId, list]) => {
    const { pending: _p, atRisk: _a, ...rest } = figures(list);
    return { pointId, ...rest };
  });
  pointRows.sort(
    (a, b) =>
      (a.onTimePct ?? 101) - (b.onTimePct ?? 101) ||
      b.breached - a.breached ||
      (a.pointId < b.pointId ? -1 : 1),
  );
  const shownPoints = input.pointId ? pointRows : pointRows.slice(0, TOP_POINTS);

  const attentionAll = recent
    .filter((j) => j.standing.state === "at_risk" || j.standing.state === "breached")
    .sort((a, b) => (a.standing.dueOn < b.standing.dueOn ? -1 : a.standing.dueOn > b.standing.dueOn ? 1 : 0))
    .slice(0, ATTENTION_ROWS);

  const ids = [
    ...new Set([...shownPoints.map((p) => p.pointId), ...attentionAll.map((j) => j.item.pointId)]),
  ];
  const names =
    ids.length === 0
      ? []
      : await sqlRows<{ id: string; name_zh: string; name_en: string }>(
          db,
          sql`SELECT id, name_zh, name_en FROM locations WHERE coop_id = ${input.coopId} AND id IN ${ids}`,
        );
  const nameOf = new Map(names.map((n) => [n.id, n]));
  const ratings = await pointRatings(db, input, ids);

  return {
    from: input.from,
    to: input.to,
    pointId: input.pointId,
    kinds,
    points: shownPoints.map((p) => ({
      ...p,
      name: nameOf.get(p.pointId)?.name_zh ?? p.pointId,
      nameEn: nameOf.get(p.pointId)?.name_en ?? p.pointId,
      ratings: ratings.get(p.pointId) ?? { count: 0, average: null },
    })),
    attention: attentionAll.map((j) => ({
      kind: j.item.kind,
      subjectId: j.item.subjectId,
      pointId: j.item.pointId,
      pointName: nameOf.get(j.item.pointId)?.name_zh ?? j.item.pointId,
      startedOn: j.startedOn,
      dueOn: j.standing.dueOn,
      state: j.standing.state,
    })),
    asOf: now.toISOString(),
  };
}

/** Ratings given in the range per service point (decision 0046). */
async function pointRatings(
  db: Executor,
  input: { coopId: string; from: string; to: string },
  pointIds: string[],
): Promise<Map<string, { count: number; average: number | null }>> {
  if (pointIds.length === 0) return new Map();
  const rows = await sqlRows<{ point_id: string; n: string; average: string | null }>(
    db,
    sql`SELECT q.service_point_id AS point_id, count(*) AS n, avg(r.level) AS average
        FROM ratings r JOIN rating_requests q ON q.id = r.request_id
        WHERE q.coop_id = ${input.coopId} AND q.service_point_id IN ${pointIds}
          AND r.created_at >= ${chinaDayRange(input.from).start.toISOString()}::timestamptz
          AND r.created_at < ${chinaDayRange(input.to).end.toISOString()}::timestamptz
        GROUP BY 1`,
  );
  return new Map(
    rows.map((r) => [
      r.point_id,
      { count: Number(r.n), average: r.average === null ? null : Math.round(Number(r.average) * 10) / 10 },
    ]),
  );
}
