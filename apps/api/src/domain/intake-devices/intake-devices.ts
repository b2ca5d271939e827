import type { Executor } from "@coop/db";
import { intakeDevices, locations } from "@coop/db/schema";
import type { IntakeDevice } from "@coop/shared/contract";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

export type IntakeDeviceRow = typeof intakeDevices.$inferSelect;

export function projectIntakeDevice(row: IntakeDeviceRow, servicePointCode: string): IntakeDevice {
  return {
    id: row.id,
    servicePointId: row.servicePointId,
    servicePointCode,
    segment: row.segment,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
  };
}

const withPointCode = {
  device: intakeDevices,
  code: locations.code,
};

/** One device with its point's code, or undefined. */
export async function loadIntakeDevice(db: Executor, id: string) {
  const [row] = await db
    .select(withPointCode)
    .from(intakeDevices)
    .innerJoin(locations, eq(locations.id, intakeDevices.servicePointId))
    .where(eq(intakeDevices.id, id));
  return row;
}

/** One device of the co-op `coopId`; another co-op's is answered as not there. */
export async function findIntakeDevice(db: Executor, id: string, coopId: string) {
  const row = await loadIntakeDevice(db, id);
  if (!row || row.device.coopId !== coopId)
    throw new ApiError("NOT_FOUND", "There is no such intake device.");
  return row;
}

/** The devices of the given points (or all of the co-op's), by point and then in the order they came. */
export async function listIntakeDevices(
  db: Executor,
  input: { coopId: string; servicePointIds: string[] | "all" },
) {
  const rows = await db
    .select(withPointCode)
    .from(intakeDevices)
    .innerJoin(locations, eq(locations.id, intakeDevices.servicePointId))
    .where(
      and(
        eq(intakeDevices.coopId, input.coopId),
        input.servicePointIds === "all"
          ? undefined
          : inArray(intakeDevices.servicePointId, input.servicePointIds),
      ),
    )
    .orderBy(asc(locations.code), sql`length(${intakeDevices.segment})`, asc(intakeDevices.segment));
  return { items: rows.map((r) => projectIntakeDevice(r.device, r.code)) };
}

/**
 * The device that numbered an intake, if it may: registered, not retired, and at the intake's point. A
 * lot numbered by anything else is refused, so a number's segment always names the phone that gave it.
 */
export async function usableIntakeDevice(db: Executor, id: string, servicePointId: string) {
  const [device] = await db.select().from(intakeDevices).where(eq(intakeDevices.id, id));
  if (!device) {
    throw new ApiError(
      "DEVICE_NOT_VALID",
      "This phone is not registered for intake. Register it again in the intake screen, then send the intake.",
      { fields: [{ path: "intakeDeviceId", message: "no such device" }] },
    );
  }
  if (device.retiredAt) {
    throw new ApiError(
      "DEVICE_NOT_VALID",
      `This phone (segment ${device.segment}) was retired and may no longer take in produce. Take the lot in again on a registered phone.`,
      { fields: [{ path: "intakeDeviceId", message: "retired" }] },
    );
  }
  if (device.servicePointId !== servicePointId) {
    throw new ApiError(
      "DEVICE_NOT_VALID",
      "This phone is registered at another service point; its numbers cannot be used here.",
      { fields: [{ path: "intakeDeviceId", message: "registered at another service point" }] },
    );
  }
  return device;
}
