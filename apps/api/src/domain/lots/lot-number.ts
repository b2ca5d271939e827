import type { Executor } from "@coop/db";
import { lots } from "@coop/db/schema";
import {
  chinaDateStamp,
  DEVICE_LOT_DATE_WINDOW,
  daysBetweenStamps,
  lotNumberPointPart,
  parseDeviceLotNumber,
} from "@coop/shared/contract";
import { and, eq, isNull, like, sql } from "drizzle-orm";
import type { FieldIssue } from "../../lib/errors";

export { chinaDateStamp };

/**
 * The next intake number at a service point for today, e.g. "HS01-20261123-0007": short enough to read out
 * and write on a crate. Serialised per point with a transaction-scoped advisory lock, so two agents' intakes
 * at once never get the same number. Only the server's own intakes count: a part split off a lot for a
 * delivery run is numbered "<parent>-<n>" (decision 0019), and a phone numbers its offline intakes in its
 * own segment ("HS01-20261123-B007", decision 0021); either would otherwise be the highest number of the day.
 */
export async function nextLotNumber(tx: Executor, point: { id: string; code: string }, at = new Date()) {
  const prefix = `${lotNumberPointPart(point.code)}-${chinaDateStamp(at)}-`;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`lotno:${point.id}`}))`);
  const [row] = await tx
    .select({ max: sql<string | null>`max(${lots.lotNo})` })
    .from(lots)
    .where(
      and(
        eq(lots.originLocationId, point.id),
        like(lots.lotNo, `${prefix}%`),
        isNull(lots.parentLotId),
        sql`substr(${lots.lotNo}, ${prefix.length + 1}) ~ '^[0-9]{4}$'`,
      ),
    );
  const last = row?.max ? Number(row.max.slice(prefix.length)) : 0;
  return `${prefix}${String(last + 1).padStart(4, "0")}`;
}

/**
 * What is wrong with a number a device gave its intake (empty when nothing): it must be this point's, in
 * the device's segment, with a sequence 001–999, and dated from 60 days before to 1 day after today in
 * China. The window lets a phone that was offline for weeks send its intakes, and refuses a date from a
 * phone whose clock is far off, before that number is printed on anything else.
 */
export function deviceLotNumberIssues(
  lotNo: string,
  point: { code: string },
  segment: string,
  now: Date,
): FieldIssue[] {
  const parsed = parseDeviceLotNumber(lotNo, point.code);
  const example = `${lotNumberPointPart(point.code)}-${chinaDateStamp(now)}-${segment}001`;
  if (!parsed) {
    return [
      {
        path: "lotNo",
        message: `not an intake number of this point and device: expected the form ${example}`,
      },
    ];
  }
  if (parsed.segment !== segment) {
    return [{ path: "lotNo", message: `this device numbers in segment ${segment}, e.g. ${example}` }];
  }
  const days = daysBetweenStamps(chinaDateStamp(now), parsed.date);
  if (days < -DEVICE_LOT_DATE_WINDOW.pastDays || days > DEVICE_LOT_DATE_WINDOW.futureDays) {
    return [
      {
        path: "lotNo",
        message: `its date ${parsed.date} is not within ${DEVICE_LOT_DATE_WINDOW.pastDays} days before or ${DEVICE_LOT_DATE_WINDOW.futureDays} day after today (${chinaDateStamp(now)}): check the phone's date`,
      },
    ];
  }
  return [];
}
