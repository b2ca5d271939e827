/**
 * The intake number a phone gives a lot before the API has seen it: `<point code without "SP-">-<YYYYMMDD>-
 * <segment><001..999>`, e.g. HS01-20261202-B007. The segment is this phone's own at the point (the API hands
 * it out once), so no other phone can make the same number, online or not (docs/decisions/0021).
 */
export const MAX_DEVICE_LOTS_PER_DAY = 999;

export function deviceLotNumber(pointCode: string, day: string, segment: string, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEVICE_LOTS_PER_DAY) {
    throw new RangeError(`lot sequence ${n} is outside 1–${MAX_DEVICE_LOTS_PER_DAY}`);
  }
  const point = pointCode.replace(/^SP-/, "");
  return `${point}-${day.replaceAll("-", "")}-${segment}${String(n).padStart(3, "0")}`;
}
