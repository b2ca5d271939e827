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

// The co-op works on China Standard Time: dates on receipts and best-before labels are China dates
// (@coop/shared china-time.ts), whatever the server's time zone.
export { chinaDate, chinaDatePlusDays, chinaDateStamp as compactChinaDate } from "@coop/shared";
