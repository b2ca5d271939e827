import type { Executor } from "@coop/db";
import { locations } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { CreateServicePoint } from "@coop/shared/contract";
import { audit } from "../../lib/audit";
import { placeCodeTaken } from "./place-views";

export async function createServicePoint(
  db: Executor,
  input: { coopId: string; actorUserId: string; requestId?: string; data: CreateServicePoint },
) {
  return db.transaction(async (tx) => {
    const id = newId("location");
    const inserted = await tx
      .insert(locations)
      .values({
        id,
        coopId: input.coopId,
        kind: "service_point",
        code: input.data.code,
        nameZh: input.data.name.zh,
        nameEn: input.data.name.en,
        village: input.data.village,
        address: input.data.address ?? null,
        phone: input.data.phone ?? null,
        openingHours: input.data.openingHours || null,
      })
      .onConflictDoNothing({ target: locations.code })
      .returning({ id: locations.id });
    if (inserted.length === 0) {
      throw placeCodeTaken(input.data.code);
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "service_point.create",
      entityType: "location",
      entityId: id,
      data: input.data,
      requestId: input.requestId,
    });
    return { id, code: input.data.code };
  });
}
