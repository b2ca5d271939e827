const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Midnight at the start of the current month in China (UTC+8), as an instant. */
export function startOfChinaMonth(now = new Date()): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_OFFSET_MS);
}
