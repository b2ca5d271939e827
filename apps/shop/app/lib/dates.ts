/**
 * Dates as the co-op reads them, in the words of each language. What a China day or month is (UTC+8, no
 * daylight saving, the same text on the server and in the browser whatever their own zone) is defined once in
 * @coop/shared (china-time.ts); this file only words it.
 */
import { chinaMonthRange, chinaParts } from "@coop/shared";

export { chinaMonth, chinaToday, daysUntil, shiftMonth } from "@coop/shared";

const pad = (n: number) => String(n).padStart(2, "0");

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

/** A month ("2026-11") as the instants it starts and ends at in China (ISO strings, for the API's query). */
export function monthRange(month: string): { from: string; to: string } | null {
  const range = chinaMonthRange(month);
  return range && { from: range.start.toISOString(), to: range.end.toISOString() };
}
