const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Midnight at the start of the current month in China (UTC+8), as an instant. */
export function startOfChinaMonth(now = new Date()): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_OFFSET_MS);
}

/** The China calendar day (UTC+8) an instant falls on, as YYYY-MM-DD: the day an agent's cash belongs to. */
export function chinaDayOf(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instants a China day runs between: [start, end). */
export function chinaDayRange(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}
