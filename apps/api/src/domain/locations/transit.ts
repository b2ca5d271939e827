import type { Executor } from "@coop/db";
import { coops, locations } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { eq } from "drizzle-orm";

/**
 * The co-op's one "in transit" place, where goods are while a collection or delivery run carries them;
 * created the first time a run needs it (by code, so two runs starting at once make one).
 */
export async function transitLocationId(tx: Executor, coopId: string): Promise<string> {
  const [coop] = await tx.select({ code: coops.code }).from(coops).where(eq(coops.id, coopId));
  const code = `TRANSIT-${coop!.code}`;
  await tx
    .insert(locations)
    .values({
      id: newId("location"),
      coopId,
      kind: "transit",
      code,
      nameZh: "运输途中",
      nameEn: "In transit",
    })
    .onConflictDoNothing({ target: locations.code });
  const [row] = await tx.select({ id: locations.id }).from(locations).where(eq(locations.code, code));
  return row!.id;
}
