/**
 * Working days on the Chinese calendar the admin keeps (decision 0042): Monday to Friday work, Saturday and
 * Sunday rest, except the days the calendar marks — a public holiday on a weekday (国庆节) is a rest day, a
 * make-up workday (调休) on a weekend is a working day. Deadlines of the co-op's service commitments (限时办结)
 * are counted in these days. Plain dates "YYYY-MM-DD" (China days), no time zones.
 */
import { addDays } from "./china-time";
import type { CalendarDayKind } from "./closed-sets";

/** The calendar's marked days, by date. */
export type CalendarMarks = ReadonlyMap<string, CalendarDayKind>;

/** Monday 1 … Sunday 7, of a plain date. */
function weekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isWorkingDay(date: string, marks: CalendarMarks): boolean {
  const mark = marks.get(date);
  if (mark === "holiday") return false;
  if (mark === "workday") return true;
  return weekday(date) <= 5;
}

/**
 * The day a commitment of `days` working days that starts on `from` falls due: the `days`-th working day
 * after `from` (the day it starts is not counted, as "settled within 3 working days of the sale" reads).
 * With 0 days it is `from` itself when that is a working day, else the next working day. Gives up after
 * ten years of days without enough working days (a calendar marked all holiday is an error, not a loop).
 */
export function addWorkingDays(from: string, days: number, marks: CalendarMarks): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError("days must be a whole number, 0 or more");
  let day = from;
  if (days === 0) {
    for (let i = 0; i < 3660 && !isWorkingDay(day, marks); i++) day = addDays(day, 1);
    return day;
  }
  let counted = 0;
  for (let i = 0; i < 3660; i++) {
    day = addDays(day, 1);
    if (isWorkingDay(day, marks) && ++counted === days) return day;
  }
  throw new RangeError("no working days in the calendar");
}

/** Working days after `from` up to and including `to` (0 when `to` is not later): how long something took. */
export function workingDaysBetween(from: string, to: string, marks: CalendarMarks): number {
  let n = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day, marks)) n++;
  return n;
}
