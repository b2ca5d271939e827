/**
 * Dates as the co-op reads them: China time (UTC+8, no daylight saving), computed by hand so the
 * server and the browser print exactly the same text whatever their own time zone.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

function chinaParts(at: Date): Parts {
  const shifted = new Date(at.getTime() + CHINA_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An ISO instant or a plain date ("2026-12-20") as a date: "2026年11月23日" / "23 Nov 2026". */
export function formatDate(value: string, language: string): string {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parts = plain
    ? { year: Number(plain[1]), month: Number(plain[2]), day: Number(plain[3]) }
    : chinaParts(new Date(value));
  if (language === "en") return `${parts.day} ${MONTHS_EN[parts.month - 1]} ${parts.year}`;
  return `${parts.year}年${parts.month}月${parts.day}日`;
}

/** An ISO instant with the time of day: "2026年11月23日 14:05" / "23 Nov 2026, 14:05". */
export function formatDateTime(value: string, language: string): string {
  const parts = chinaParts(new Date(value));
  const time = `${pad(parts.hour)}:${pad(parts.minute)}`;
  return language === "en"
    ? `${formatDate(value, language)}, ${time}`
    : `${formatDate(value, language)} ${time}`;
}

/** "2026-11-23": today's date in China, for date fields. */
export function chinaToday(now: Date = new Date()): string {
  const p = chinaParts(now);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-11": this month in China. */
export function chinaMonth(now: Date = new Date()): string {
  return chinaToday(now).slice(0, 7);
}

/** A month ("2026-11") as the instants it starts and ends at in China; null for anything else. */
export function monthRange(month: string): { from: string; to: string } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  if (index < 0 || index > 11 || year < 2000 || year > 2100) return null;
  const start = Date.UTC(year, index, 1) - CHINA_OFFSET_MS;
  const end = Date.UTC(year, index + 1, 1) - CHINA_OFFSET_MS;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** The month before or after one ("2026-01", -1 → "2025-12"). */
export function shiftMonth(month: string, by: number): string {
  const [year = 2000, m = 1] = month.split("-").map(Number);
  const index = year * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** Whole days from today (China) to a plain date; negative once it has passed. */
export function daysUntil(date: string, now: Date = new Date()): number {
  const today = Date.parse(`${chinaToday(now)}T00:00:00Z`);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / 86_400_000);
}
