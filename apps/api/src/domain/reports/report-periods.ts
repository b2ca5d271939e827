import { addDays, daysBetween } from "@coop/shared";

/** An inclusive range of China days, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

/** Where a report's figures come from, per part of its range (decision 0044). */
export interface RangePlan {
  /** Whole months read from the month rollups: first days, `from` inclusive, `toExclusive` exclusive. */
  months: { from: string; toExclusive: string } | null;
  /** Days read from the day rollups (the partial months at either end). */
  days: DayRange[];
  /** The most recent days, read from the sales ledger itself, so a report is current to the second. */
  live: DayRange | null;
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

function nextMonth(first: string): string {
  const [y, m] = first.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/**
 * Splits a range for reading: days from `liveFrom` on (yesterday and today: the rollup job recomputes them
 * every minute, so their rollups may lag) straight from the ledger; before that, whole months from the month
 * rollups and the days at either end from the day rollups.
 */
export function planRange(range: DayRange, liveFrom: string): RangePlan {
  const live =
    range.to >= liveFrom ? { from: range.from > liveFrom ? range.from : liveFrom, to: range.to } : null;
  const rolledTo = range.to < liveFrom ? range.to : addDays(liveFrom, -1);
  if (rolledTo < range.from) return { months: null, days: [], live };

  const firstFull = range.from === monthStart(range.from) ? range.from : nextMonth(monthStart(range.from));
  const afterTo = addDays(rolledTo, 1);
  const endFull = afterTo === monthStart(afterTo) ? afterTo : monthStart(rolledTo);
  if (firstFull >= endFull) return { months: null, days: [{ from: range.from, to: rolledTo }], live };

  const days: DayRange[] = [];
  if (range.from < firstFull) days.push({ from: range.from, to: addDays(firstFull, -1) });
  if (endFull <= rolledTo) days.push({ from: endFull, to: rolledTo });
  return { months: { from: firstFull, toExclusive: endFull }, days, live };
}

/** Days from `from` to `to`, both included. */
export function daysInRange(range: DayRange): number {
  return daysBetween(range.from, range.to) + 1;
}

/** The Monday of a day's week (weeks from Monday, as PostgreSQL's date_trunc('week')). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** Every period of a range over time, in order: each day, or the Monday of each week it touches. */
export function periodsOf(range: DayRange, by: "day" | "week"): string[] {
  const out: string[] = [];
  const step = by === "day" ? 1 : 7;
  for (let key = by === "day" ? range.from : mondayOf(range.from); key <= range.to; key = addDays(key, step))
    out.push(key);
  return out;
}
