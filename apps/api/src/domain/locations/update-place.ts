import type { Executor } from "@coop/db";
import { type LocationKind, locations } from "@coop/db/schema";
import type { Place, UpdateServicePoint, UpdateWarehouse } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { clearable, definedOnly, projectPlace } from "./place-views";

type PlaceChanges = Partial<
  Pick<
    typeof locations.$inferInsert,
    "nameZh" | "nameEn" | "village" | "address" | "phone" | "openingHours" | "active"
  >
>;

/**
 * Changes one place of the given kind and audits what changed (before and after) in the same transaction.
 * Nothing sent, nothing written: the place is answered as it is.
 */
async function updatePlace(
  db: Executor,
  input: {
    kind: LocationKind;
    id: string;
    changes: PlaceChanges;
    actorUserId: string;
    requestId?: string;
    action: string;
  },
): Promise<Place> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(locations).where(eq(locations.id, input.id)).for("update");
    if (before?.kind !== input.kind) {
      throw new ApiError(
        "NOT_FOUND",
        input.kind === "warehouse" ? "There is no such warehouse." : "There is no such service point.",
      );
    }
    const changed = Object.fromEntries(
      Object.entries(input.changes).filter(([key, value]) => before[key as keyof typeof before] !== value),
    ) as PlaceChanges;
    if (Object.keys(changed).length === 0) return projectPlace(before);
    const [after] = await tx.update(locations).set(changed).where(eq(locations.id, input.id)).returning();
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: input.action,
      entityType: "location",
      entityId: input.id,
      data: {
        before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]])),
        after: changed,
      },
      requestId: input.requestId,
    });
    return projectPlace(after!);
  });
}

/**
 * Edits a service point: names, village, address, phone, opening hours; `active: false` closes it (not
 * offered for pickup, new pickup orders refused with SERVICE_POINT_CLOSED), `true` opens it again. Orders
 * already placed there, its stock, villagers and agents stay as they are.
 */
export function updateServicePoint(
  db: Executor,
  input: { id: string; actorUserId: string; requestId?: string; data: UpdateServicePoint },
) {
  const { data } = input;
  const changes = definedOnly({
    nameZh: data.name?.zh,
    nameEn: data.name?.en,
    village: data.village,
    address: clearable(data.address),
    phone: clearable(data.phone),
    openingHours: clearable(data.openingHours),
    active: data.active,
  });
  const action =
    data.active === false
      ? "service_point.close"
      : data.active === true
        ? "service_point.reopen"
        : "service_point.update";
  return updatePlace(db, { ...input, kind: "service_point", changes, action });
}

/** Edits the warehouse's names, address and phone. */
export function updateWarehouse(
  db: Executor,
  input: { id: string; actorUserId: string; requestId?: string; data: UpdateWarehouse },
) {
  const { data } = input;
  const changes = definedOnly({
    nameZh: data.name?.zh,
    nameEn: data.name?.en,
    address: clearable(data.address),
    phone: clearable(data.phone),
  });
  return updatePlace(db, { ...input, kind: "warehouse", changes, action: "warehouse.update" });
}
