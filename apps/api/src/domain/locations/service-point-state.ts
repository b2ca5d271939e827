import type { Executor } from "@coop/db";
import { locations } from "@coop/db/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

/** The refusal of a pickup order at a point the admin has closed: 409, with the field named. */
export function servicePointClosed(): ApiError {
  return new ApiError(
    "SERVICE_POINT_CLOSED",
    "This service point is closed for now and takes no pickup orders; choose another point or delivery.",
    { fields: [{ path: "fulfilment.servicePointId", message: "closed for now" }] },
  );
}

/**
 * Called only after place_order refused a pickup point (so the hot path pays nothing): a point that exists
 * but is closed gets its own answer, SERVICE_POINT_CLOSED, instead of "no such service point".
 */
export async function closedPointRefusal(db: Executor, servicePointId: string): Promise<ApiError | null> {
  const [point] = await db
    .select({ active: locations.active })
    .from(locations)
    .where(and(eq(locations.id, servicePointId), eq(locations.kind, "service_point")));
  return point && !point.active ? servicePointClosed() : null;
}
