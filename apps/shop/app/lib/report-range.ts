import { addDays, chinaToday } from "@coop/shared";
import { REPORT_MAX_DAYS } from "@coop/shared/contract";

/** The quick choices above a report, each a range ending today (China time). */
export const RANGE_PRESETS = ["last7", "last30", "thisMonth", "thisYear"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface ReportRange {
  from: string;
  to: string;
  /** The preset the range equals, if any (its chip is shown as chosen). */
  preset: RangePreset | null;
  /** The address asked for days that cannot be (the page says it showed the last 30 days instead). */
  corrected: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case "last7":
      return { from: addDays(today, -6), to: today };
    case "last30":
      return { from: addDays(today, -29), to: today };
    case "thisMonth":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "thisYear":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

const isDay = (value: string | null): value is string =>
  value !== null &&
  DAY.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/**
 * The range of a report's address (?from=&to=, or ?range=last7…): the last 30 days when none is given, or
 * when the days given cannot be (not dates, backwards, longer than the API answers).
 */
export function reportRangeOf(params: URLSearchParams, now: Date = new Date()): ReportRange {
  const today = chinaToday(now);
  const asked = params.get("range");
  const fromPreset = (RANGE_PRESETS as readonly string[]).includes(asked ?? "")
    ? presetRange(asked as RangePreset, today)
    : null;
  const from = fromPreset?.from ?? params.get("from");
  const to = fromPreset?.to ?? params.get("to");
  const given = from !== null || to !== null;
  const days =
    isDay(from) && isDay(to)
      ? (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1
      : 0;
  const valid = days >= 1 && days <= REPORT_MAX_DAYS;
  const range = valid ? { from: from!, to: to! } : presetRange("last30", today);
  const preset = RANGE_PRESETS.find((p) => {
    const r = presetRange(p, today);
    return r.from === range.from && r.to === range.to;
  });
  return { ...range, preset: preset ?? null, corrected: given && !valid };
}
