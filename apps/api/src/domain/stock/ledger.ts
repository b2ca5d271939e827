import type { Executor } from "@coop/db";
import { lots, type StockMovementKind, stockLevels, stockMovements } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, gte, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

export interface Movement {
  productId: string;
  locationId: string;
  lotId: string | null;
  kind: StockMovementKind;
  quantityDelta: number;
  reason?: string | null;
  actorUserId?: string | null;
  orderId?: string | null;
  batchId?: string | null;
}

/**
 * The one way stock changes: a ledger line, the lot's on-hand and the location's stock level, together, in
 * the caller's transaction. Nothing else writes on_hand, which is what keeps "ledger sum = on hand" true.
 * A change that would take a lot or a location below zero is refused (and the CHECKs back that up).
 */
export async function recordMovement(tx: Executor, m: Movement): Promise<void> {
  if (!Number.isInteger(m.quantityDelta) || m.quantityDelta === 0) {
    throw new RangeError(`A stock movement needs a non-zero whole quantity, got ${m.quantityDelta}`);
  }
  if (m.lotId) {
    const updated = await tx
      .update(lots)
      .set({ onHand: sql`${lots.onHand} + ${m.quantityDelta}` })
      .where(and(eq(lots.id, m.lotId), gte(sql`${lots.onHand} + ${m.quantityDelta}`, 0)))
      .returning({ id: lots.id });
    if (updated.length === 0) {
      throw new ApiError("CONFLICT", "The lot does not have that much left.", {
        details: { lotId: m.lotId },
      });
    }
  }
  if (m.quantityDelta > 0) {
    await tx
      .insert(stockLevels)
      .values({ productId: m.productId, locationId: m.locationId, onHand: m.quantityDelta })
      .onConflictDoUpdate({
        target: [stockLevels.productId, stockLevels.locationId],
        set: { onHand: sql`${stockLevels.onHand} + ${m.quantityDelta}` },
      });
  } else {
    const updated = await tx
      .update(stockLevels)
      .set({ onHand: sql`${stockLevels.onHand} + ${m.quantityDelta}` })
      .where(
        and(
          eq(stockLevels.productId, m.productId),
          eq(stockLevels.locationId, m.locationId),
          // Units held for open orders cannot leave except by their sale.
          gte(
            sql`${stockLevels.onHand} - ${stockLevels.reserved} + ${m.kind === "sale" ? sql`${stockLevels.reserved}` : sql`0`} + ${m.quantityDelta}`,
            0,
          ),
        ),
      )
      .returning({ onHand: stockLevels.onHand });
    if (updated.length === 0) {
      throw new ApiError(
        "CONFLICT",
        "That many units are not free at this place: some are held for open orders.",
        { details: { productId: m.productId, locationId: m.locationId } },
      );
    }
  }
  await tx.insert(stockMovements).values({
    id: newId("stockMovement"),
    productId: m.productId,
    locationId: m.locationId,
    lotId: m.lotId,
    kind: m.kind,
    quantityDelta: m.quantityDelta,
    reason: m.reason ?? null,
    actorUserId: m.actorUserId ?? null,
    orderId: m.orderId ?? null,
    batchId: m.batchId ?? null,
  });
}

/** Moves a whole lot from where it is to another place: two ledger lines sharing one batch id. */
export async function moveLot(
  tx: Executor,
  lot: { id: string; productId: string; locationId: string; onHand: number },
  toLocationId: string,
  info: { actorUserId: string; batchId: string; reason?: string },
): Promise<void> {
  if (lot.onHand > 0) {
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: lot.locationId,
      lotId: lot.id,
      kind: "transfer_out",
      quantityDelta: -lot.onHand,
      ...info,
    });
  }
  await tx.update(lots).set({ locationId: toLocationId }).where(eq(lots.id, lot.id));
  if (lot.onHand > 0) {
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: toLocationId,
      lotId: lot.id,
      kind: "transfer_in",
      quantityDelta: lot.onHand,
      ...info,
    });
  }
}
