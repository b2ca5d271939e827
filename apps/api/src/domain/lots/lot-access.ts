import type { Executor } from "@coop/db";
import { locations, lots } from "@coop/db/schema";
import { type LotAccess, mayAccessLot } from "@coop/shared";
import { eq } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";

export type { LotAccess };

/**
 * Loads a lot for a staff member, or refuses: an agent sees the lots taken in at their point and works on
 * lots that are at their point; warehouse staff see every lot and work on lots away from service points;
 * admins do anything.
 */
export async function loadLotFor(db: Executor, staff: StaffPrincipal, lotId: string, access: LotAccess) {
  const [row] = await db
    .select({ lot: lots, locationKind: locations.kind })
    .from(lots)
    .innerJoin(locations, eq(locations.id, lots.locationId))
    .where(eq(lots.id, lotId));
  if (!row) throw new ApiError("NOT_FOUND", "There is no such lot.");
  const { lot, locationKind } = row;
  const allowed = mayAccessLot(
    staff,
    {
      locationId: lot.locationId,
      originLocationId: lot.originLocationId,
      atServicePoint: locationKind === "service_point",
    },
    access,
  );
  if (!allowed) throw new ApiError("FORBIDDEN", "This lot belongs to another service point.");
  return lot;
}
