import type { Executor } from "@coop/db";
import { intakeDevices } from "@coop/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { type IntakeDeviceRow, projectIntakeDevice } from "./intake-devices";

/**
 * Retires a lost or replaced phone: its later intakes are refused (DEVICE_NOT_VALID), its lots keep their
 * numbers, and its segment is never given to another phone. Retiring it again changes nothing.
 */
export async function retireIntakeDevice(
  db: Executor,
  device: { device: IntakeDeviceRow; code: string },
  input: { actorUserId: string; requestId?: string; now?: Date },
) {
  return db.transaction(async (tx) => {
    const [retired] = await tx
      .update(intakeDevices)
      .set({ retiredAt: input.now ?? new Date() })
      .where(and(eq(intakeDevices.id, device.device.id), isNull(intakeDevices.retiredAt)))
      .returning();
    if (!retired) {
      const [current] = await tx.select().from(intakeDevices).where(eq(intakeDevices.id, device.device.id));
      return projectIntakeDevice(current!, device.code);
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "intake_device.retire",
      entityType: "intake_device",
      entityId: retired.id,
      data: { segment: retired.segment },
      requestId: input.requestId,
    });
    return projectIntakeDevice(retired, device.code);
  });
}
