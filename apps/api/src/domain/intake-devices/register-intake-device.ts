import type { Executor } from "@coop/db";
import { intakeDevices, locations } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { type RegisterIntakeDevice, segmentAt, segmentIndex } from "@coop/shared/contract";
import { eq, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { sqlStateOf } from "../../lib/db-errors";
import { ApiError } from "../../lib/errors";
import { loadIntakeDevice, projectIntakeDevice } from "./intake-devices";

/** 3 letters at most (the table's CHECK): 18,278 phones per point. */
const LAST_SEGMENT_INDEX = segmentIndex("ZZZ");

/**
 * The answer for a device id that is already registered: the same device, as long as it is asked for at
 * the same point (a phone registers once, and may ask again after losing the answer, days later).
 */
async function alreadyRegistered(db: Executor, deviceId: string, servicePointId: string) {
  const row = await loadIntakeDevice(db, deviceId);
  if (!row) return undefined;
  if (row.device.servicePointId !== servicePointId) {
    throw new ApiError(
      "IDEMPOTENCY_KEY_REUSED",
      "This device id is already registered at another service point. A phone that moves gets a new id.",
    );
  }
  return projectIntakeDevice(row.device, row.code);
}

/**
 * Registers a phone for intake at a service point and gives it the point's next segment (A, B, … Z, AA …).
 * Its id is the client's own (the request's Idempotency-Key) when given: the phone knows its id before it
 * is answered, and registering again with it always answers the same device, with no idempotency record
 * needed. Segments are handed out under a per-point advisory lock and never reused: a retired phone's
 * letters stay taken, so an old receipt's number never points at another phone's lot.
 */
export async function registerIntakeDevice(
  db: Executor,
  input: {
    data: RegisterIntakeDevice;
    coopId: string;
    deviceId?: string;
    actorUserId: string;
    requestId?: string;
  },
) {
  const { data } = input;
  const id = input.deviceId ?? newId("intakeDevice");
  if (input.deviceId) {
    const earlier = await alreadyRegistered(db, input.deviceId, data.servicePointId);
    if (earlier) return earlier;
  }
  try {
    return await db.transaction(async (tx) => {
      const [point] = await tx.select().from(locations).where(eq(locations.id, data.servicePointId));
      if (point?.kind !== "service_point" || point.coopId !== input.coopId) {
        throw new ApiError("VALIDATION_FAILED", "There is no such service point.", {
          fields: [{ path: "servicePointId", message: "no such service point" }],
        });
      }
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`intake-segment:${point.id}`}))`);
      const taken = await tx
        .select({ segment: intakeDevices.segment })
        .from(intakeDevices)
        .where(eq(intakeDevices.servicePointId, point.id));
      const next = taken.reduce((max, r) => Math.max(max, segmentIndex(r.segment)), -1) + 1;
      if (next > LAST_SEGMENT_INDEX) {
        throw new ApiError("CONFLICT", "This service point has no intake segments left.");
      }
      const [row] = await tx
        .insert(intakeDevices)
        .values({
          id,
          coopId: point.coopId,
          servicePointId: point.id,
          segment: segmentAt(next),
          label: data.label || null,
          registeredByUserId: input.actorUserId,
        })
        .returning();
      await audit(tx, {
        actorUserId: input.actorUserId,
        action: "intake_device.register",
        entityType: "intake_device",
        entityId: id,
        data: { ...data, segment: row!.segment },
        requestId: input.requestId,
      });
      return projectIntakeDevice(row!, point.code);
    });
  } catch (error) {
    // The same phone's registration sent twice at once: the second met the first's id.
    if (input.deviceId && sqlStateOf(error) === "23505") {
      const earlier = await alreadyRegistered(db, input.deviceId, data.servicePointId);
      if (earlier) return earlier;
    }
    throw error;
  }
}
