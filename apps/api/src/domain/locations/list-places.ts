import type { Executor } from "@coop/db";
import { type LocationKind, locations } from "@coop/db/schema";
import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import { containsPattern } from "../../lib/like";
import { projectPlace } from "./place-views";

/**
 * Places for the staff console, filtered by part of the code, name or village, kind and open/closed.
 * The co-op's places are sized by its setup (≤ 3,000 points at a prefecture), read in kind and code order.
 */
export async function listPlaces(
  db: Executor,
  filter: {
    coopId: string;
    q?: string | undefined;
    kind?: LocationKind | undefined;
    active?: boolean | undefined;
  },
) {
  const conditions: SQL[] = [eq(locations.coopId, filter.coopId)];
  if (filter.kind) conditions.push(eq(locations.kind, filter.kind));
  if (filter.active !== undefined) conditions.push(eq(locations.active, filter.active));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(
      or(
        ilike(locations.code, pattern),
        ilike(locations.nameZh, pattern),
        ilike(locations.nameEn, pattern),
        ilike(locations.village, pattern),
      )!,
    );
  }
  const rows = await db
    .select()
    .from(locations)
    .where(and(...conditions))
    .orderBy(asc(locations.kind), asc(locations.code));
  return rows.map(projectPlace);
}

/** One place of the caller's co-op by id, of the given kind, or undefined. */
export async function findPlace(db: Executor, input: { coopId: string; id: string; kind: LocationKind }) {
  const [row] = await db
    .select()
    .from(locations)
    .where(
      and(eq(locations.id, input.id), eq(locations.coopId, input.coopId), eq(locations.kind, input.kind)),
    );
  return row ? projectPlace(row) : undefined;
}

/** The open village service points a buyer may pick up at, by code; a closed point is never offered. */
export async function listOpenServicePoints(db: Executor) {
  const rows = await db
    .select({
      id: locations.id,
      code: locations.code,
      nameZh: locations.nameZh,
      nameEn: locations.nameEn,
      village: locations.village,
      address: locations.address,
      phone: locations.phone,
      openingHours: locations.openingHours,
    })
    .from(locations)
    .where(and(eq(locations.kind, "service_point"), eq(locations.active, true)))
    .orderBy(asc(locations.code));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: { zh: r.nameZh, en: r.nameEn },
    village: r.village ?? "",
    address: r.address,
    phone: r.phone,
    openingHours: r.openingHours,
  }));
}
