/**
 * China time, defined once. The co-op works on China Standard Time: UTC+8 all year (China has one time zone
 * and no daylight saving), whatever the time zone of the server, the browser or the phone. Days and months
 * (the day an agent's cash belongs to, a statement's month, intake numbers, best-before dates, receipts) are
 * China days and months. Computed with plain offsets, not Intl time-zone data, so every runtime prints the
 * same text. A "date" below is a plain calendar date string "YYYY-MM-DD"; an "instant" is a Date.
 */

export const CHINA_UTC_OFFSET_HOURS = 8;
export const CHINA_UTC_OFFSET_MS = CHINA_UTC_OFFSET_HOURS * 3_600_000;
export const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, "0");

export interface ChinaParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading in China of an instant. */
export function chinaParts(at: Date): ChinaParts {
  const shifted = new Date(at.getTime() + CHINA_UTC_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** "2026-11-23": the China calendar date an instant falls on. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-11-23": today in China. */
export function chinaToday(now: Date = new Date()): string {
  return chinaDate(now);
}

/** "20261123": the China date as printed in intake numbers and sent to Aliyun. */
export function chinaDateStamp(at: Date): string {
  return chinaDate(at).replaceAll("-", "");
}

/** "2026-11": the China month an instant falls in. */
export function chinaMonth(now: Date = new Date()): string {
  return chinaDate(now).slice(0, 7);
}

/** "2026-11-23 14:05": an instant as China wall-clock time (receipts, printed slips). */
export function chinaDateTime(at: Date | string): string {
  const instant = typeof at === "string" ? new Date(at) : at;
  return new Date(instant.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** "2017-01-01 00:00:00" read as China wall-clock time (how Aliyun writes times) → the instant; else null. */
export function parseChinaDateTime(value: string | undefined): Date | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 Feb over into March: refuse dates that do not exist.
  if (new Date(utc).getUTCDate() !== d) return null;
  return new Date(utc - CHINA_UTC_OFFSET_MS);
}

/** True for a real calendar date written "YYYY-MM-DD" (not 2026-02-30). */
export function isPlainDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** The instants a China day ("2026-11-23") runs between: [start, end). */
export function chinaDayRange(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_UTC_OFFSET_MS);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** Midnight at the start of the China month an instant falls in, as an instant. */
export function startOfChinaMonth(now: Date = new Date()): Date {
  const p = chinaParts(now);
  return new Date(Date.UTC(p.year, p.month - 1, 1) - CHINA_UTC_OFFSET_MS);
}

/** The instants a China month ("2026-11") runs between: [start, end); null for anything else. */
export function chinaMonthRange(month: string): { start: Date; end: Date } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  if (index < 0 || index > 11 || year < 2000 || year > 2100) return null;
  return {
    start: new Date(Date.UTC(year, index, 1) - CHINA_UTC_OFFSET_MS),
    end: new Date(Date.UTC(year, index + 1, 1) - CHINA_UTC_OFFSET_MS),
  };
}

/** The month before or after one ("2026-01", -1 → "2025-12"). */
export function shiftMonth(month: string, by: number): string {
  const [year = 2000, m = 1] = month.split("-").map(Number);
  const index = year * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** A plain date `days` calendar days after another ("2026-02-27", 2 → "2026-03-01"). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The China date `days` days after the China date of an instant (best-before = intake day + shelf life). */
export function chinaDatePlusDays(at: Date, days: number): string {
  return addDays(chinaDate(at), days);
}

/** Whole calendar days from one plain date to another; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Whole days from today in China to a plain date; negative once it has passed. */
export function daysUntil(date: string, now: Date = new Date()): number {
  return daysBetween(chinaToday(now), date);
}

/** Midnight China time of the day an instant falls in, as epoch milliseconds. */
export function chinaDayStartMs(ms: number): number {
  return Math.floor((ms + CHINA_UTC_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_UTC_OFFSET_MS;
}
