import type { Executor } from "@coop/db";
import { locations, lots, stockMovements } from "@coop/db/schema";
import { and, asc, eq, inArray, sql } from "drizzle-orm";

export type LotRow = typeof lots.$inferSelect;

/**
 * A lot's family: the intake lot at its root and every lot split off it, at any depth (a delivery run splits a
 * lot when only part of it goes: `parent_lot_id`). One intake, one villager, one best-before: for food safety
 * they are one lot, wherever their units went. Root first, then each generation in lot-number order.
 */
export async function lotFamily(tx: Executor, lotId: string): Promise<LotRow[]> {
  const rootId = await rootLotId(tx, lotId);
  if (!rootId) return [];
  const [root] = await tx.select().from(lots).where(eq(lots.id, rootId));
  const family: LotRow[] = [root!];
  let frontier = [rootId];
  // A split is one generation per move, so the depth is the number of hops the goods made: a few at most.
  while (frontier.length) {
    const children = await tx
      .select()
      .from(lots)
      .where(inArray(lots.parentLotId, frontier))
      .orderBy(asc(lots.lotNo), asc(lots.id));
    const unseen = children.filter((c) => !family.some((f) => f.id === c.id));
    family.push(...unseen);
    frontier = unseen.map((c) => c.id);
  }
  return family;
}

/** The intake lot a lot was split from (itself when it is one), or null when there is no such lot. */
async function rootLotId(tx: Executor, lotId: string): Promise<string | null> {
  const seen = new Set<string>();
  let id: string | null = lotId;
  while (id && !seen.has(id)) {
    seen.add(id);
    const [row]: Array<{ parentLotId: string | null }> = await tx
      .select({ parentLotId: lots.parentLotId })
      .from(lots)
      .where(eq(lots.id, id));
    if (!row) return null;
    if (!row.parentLotId) return id;
    id = row.parentLotId;
  }
  return id;
}

/** The family as staff read it in a trace or a recall: where each lot is now and what a recall took off sale. */
export async function familyView(db: Executor, family: LotRow[]) {
  if (family.length === 0) return [];
  const ids = family.map((l) => l.id);
  const places = await db
    .select({ id: locations.id, kind: locations.kind, nameZh: locations.nameZh, nameEn: locations.nameEn })
    .from(locations)
    .where(
      inArray(
        locations.id,
        family.map((l) => l.locationId),
      ),
    );
  const blocked = await db
    .select({
      lotId: stockMovements.lotId,
      quantity: sql<number>`(-sum(${stockMovements.quantityDelta}))::int`.mapWith(Number),
    })
    .from(stockMovements)
    .where(and(inArray(stockMovements.lotId, ids), eq(stockMovements.kind, "block")))
    .groupBy(stockMovements.lotId);
  return family.map((l) => {
    const place = places.find((p) => p.id === l.locationId)!;
    return {
      lotId: l.id,
      lotNo: l.lotNo,
      parentLotId: l.parentLotId,
      status: l.status,
      locationId: l.locationId,
      locationKind: place.kind,
      locationName: { zh: place.nameZh, en: place.nameEn },
      onHand: l.onHand,
      blockedQuantity: blocked.find((b) => b.lotId === l.id)?.quantity ?? 0,
    };
  });
}
