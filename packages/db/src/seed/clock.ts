/**
 * Demo history is laid out backwards from one "now" (the moment the seed runs, or a fixed instant in
 * tests), so best-before dates stay in the future and "3 days ago" reads right whenever the demo is set up.
 */
export interface Clock {
  now: Date;
  /** The instant `hours` hours before now (fractions allowed). */
  hoursAgo(hours: number): Date;
  /** The instant `days` days before now, shifted back by `extraHours`. */
  daysAgo(days: number, extraHours?: number): Date;
}

const HOUR_MS = 3_600_000;

export function createClock(now: Date): Clock {
  const hoursAgo = (hours: number) => new Date(now.getTime() - Math.round(hours * HOUR_MS));
  return { now, hoursAgo, daysAgo: (days, extraHours = 0) => hoursAgo(days * 24 + extraHours) };
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

// The co-op works on China Standard Time (UTC+8, no daylight saving): dates on receipts and best-before
// labels are local dates there, whatever the server's time zone.
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** "2026-01-09": the calendar date in China of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The China calendar date `days` days after the date of `at` (best-before = intake date + shelf life). */
export function chinaDatePlusDays(at: Date, days: number): string {
  return chinaDate(new Date(at.getTime() + days * 24 * HOUR_MS));
}

/** "20260109", as printed in intake numbers. */
export function compactChinaDate(at: Date): string {
  return chinaDate(at).replaceAll("-", "");
}
