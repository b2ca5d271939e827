import type { Database } from "@coop/db";
import { legacyPickupCodes, orders } from "@coop/db/schema";
import { eq, inArray, isNotNull } from "drizzle-orm";
import type { PickupCodes } from "./pickup-codes";

/**
 * Upgrade step for orders placed before codes were hashed (migration 0011 parked their plain codes in
 * legacy_pickup_codes): hashes each with the API's secret into orders.pickup_code_hash, then deletes the
 * plain code. Idempotent; run with the production PICKUP_CODE_SECRET (`pnpm coop pickup-codes:upgrade`).
 * The buyers of those orders keep the code from their order SMS (their order page no longer shows it).
 */
export async function upgradeLegacyPickupCodes(
  db: Database,
  codes: PickupCodes,
): Promise<{ hashed: number }> {
  let hashed = 0;
  for (;;) {
    const batch = await db
      .select({
        orderId: legacyPickupCodes.orderId,
        code: legacyPickupCodes.code,
        pointId: orders.pickupLocationId,
      })
      .from(legacyPickupCodes)
      .innerJoin(orders, eq(orders.id, legacyPickupCodes.orderId))
      .where(isNotNull(orders.pickupLocationId))
      .limit(500);
    if (batch.length === 0) break;
    await db.transaction(async (tx) => {
      for (const row of batch) {
        await tx
          .update(orders)
          .set({ pickupCodeHash: codes.hash(row.pointId!, row.code) })
          .where(eq(orders.id, row.orderId));
      }
      await tx.delete(legacyPickupCodes).where(
        inArray(
          legacyPickupCodes.orderId,
          batch.map((r) => r.orderId),
        ),
      );
    });
    hashed += batch.length;
  }
  // A parked code whose order has no pickup point cannot be collected: nothing to keep.
  await db.delete(legacyPickupCodes);
  return { hashed };
}
