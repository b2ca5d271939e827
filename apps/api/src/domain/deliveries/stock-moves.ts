import type { Executor } from "@coop/db";
import { lots, stockLevels } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, asc, count, eq, gt, gte, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { moveLot, recordMovement } from "../stock/ledger";

/** Holds `quantity` more units at a place for an order, only if that many are free there. */
export async function reserveAt(tx: Executor, productId: string, locationId: string, quantity: number) {
  const held = await tx
    .update(stockLevels)
    .set({ reserved: sql`${stockLevels.reserved} + ${quantity}` })
    .where(
      and(
        eq(stockLevels.productId, productId),
        eq(stockLevels.locationId, locationId),
        gte(sql`${stockLevels.onHand} - ${stockLevels.reserved}`, quantity),
      ),
    )
    .returning({ reserved: stockLevels.reserved });
  return held.length > 0;
}

/** Lets go of units held at a place; refuses (a bug, not a user error) if they were not held. */
export async function releaseAt(tx: Executor, productId: string, locationId: string, quantity: number) {
  const released = await tx
    .update(stockLevels)
    .set({ reserved: sql`${stockLevels.reserved} - ${quantity}` })
    .where(
      and(
        eq(stockLevels.productId, productId),
        eq(stockLevels.locationId, locationId),
        gte(stockLevels.reserved, quantity),
      ),
    )
    .returning({ reserved: stockLevels.reserved });
  if (released.length === 0) {
    throw new ApiError("INVALID_STATE", "These units were not held here for this order.", {
      details: { productId, locationId },
    });
  }
}

export interface MovedLot {
  lotId: string;
  quantity: number;
  splitFromLotId: string | null;
}

/**
 * Moves `quantity` units of a product from one place to another, first-expiring lots first (FEFO). A lot is
 * at one place only, so when only part of a lot goes, the part is split off into a child lot (same villager,
 * product, origin, grade and best-before; `parent_lot_id` names the parent) that travels instead: the parent
 * writes transfer_out, the child transfer_in, under one batch id. A child is not an intake — the villager's
 * statement shows the parent's intake once and the child's sales and discrepancies by its own number — and
 * FEFO sees it by its best-before like any lot. The units must be free at `from` (release a reservation first).
 */
export async function moveUnitsFefo(
  tx: Executor,
  input: {
    productId: string;
    from: string;
    to: string;
    quantity: number;
    actorUserId: string;
    batchId: string;
    reason: string;
  },
): Promise<MovedLot[]> {
  const candidates = await tx
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.productId, input.productId),
        eq(lots.locationId, input.from),
        eq(lots.status, "in_stock"),
        gt(lots.onHand, 0),
      ),
    )
    .orderBy(sql`${lots.bestBefore} ASC NULLS LAST`, asc(lots.createdAt), asc(lots.id))
    .for("update");
  let remaining = input.quantity;
  const moved: MovedLot[] = [];
  const info = { actorUserId: input.actorUserId, batchId: input.batchId, reason: input.reason };
  for (const lot of candidates) {
    if (remaining === 0) break;
    const take = Math.min(lot.onHand, remaining);
    remaining -= take;
    if (take === lot.onHand) {
      await moveLot(tx, lot, input.to, info);
      await tx.update(lots).set({ status: "in_transit" }).where(eq(lots.id, lot.id));
      moved.push({ lotId: lot.id, quantity: take, splitFromLotId: null });
      continue;
    }
    const childId = await splitOff(tx, lot, take, input.to);
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: lot.locationId,
      lotId: lot.id,
      kind: "transfer_out",
      quantityDelta: -take,
      ...info,
    });
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: input.to,
      lotId: childId,
      kind: "transfer_in",
      quantityDelta: take,
      ...info,
    });
    moved.push({ lotId: childId, quantity: take, splitFromLotId: lot.id });
  }
  if (remaining > 0) {
    throw new ApiError("OUT_OF_STOCK", "The warehouse does not have enough of this product in its lots.", {
      details: { productId: input.productId, locationId: input.from, short: remaining },
    });
  }
  return moved;
}

/** A child lot holding nothing yet (its transfer_in line brings the units), at its destination. */
async function splitOff(tx: Executor, parent: typeof lots.$inferSelect, quantity: number, at: string) {
  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(lots)
    .where(eq(lots.parentLotId, parent.id));
  const id = newId("lot");
  await tx.insert(lots).values({
    id,
    coopId: parent.coopId,
    lotNo: `${parent.lotNo}-${n + 1}`,
    productId: parent.productId,
    consignorId: parent.consignorId,
    originLocationId: parent.originLocationId,
    locationId: at,
    status: "in_transit",
    quantityReceived: quantity,
    onHand: 0,
    grade: parent.grade,
    bestBefore: parent.bestBefore,
    qcPassed: true,
    receivedByUserId: parent.receivedByUserId,
    parentLotId: parent.id,
  });
  return id;
}
