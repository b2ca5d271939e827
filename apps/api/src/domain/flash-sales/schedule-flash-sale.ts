import type { Database } from "@coop/db";
import { flashSaleBuckets, flashSales, stockLevels } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { ScheduleFlashSale } from "@coop/shared/contract";
import { and, eq, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { saleUnitOnSale } from "../catalog/sale-units";
import { findWarehouse } from "../locations/warehouses";

/** `quantity` split into `count` buckets as evenly as whole units allow (the first ones one larger). */
export function splitIntoBuckets(quantity: number, count: number): number[] {
  const n = Math.min(count, quantity);
  return Array.from({ length: n }, (_, i) => Math.floor(quantity / n) + (i < quantity % n ? 1 : 0));
}

/**
 * The admin schedules a flash sale: the set-aside units are reserved at the warehouse at once (so they are
 * there when the sale starts, and normal orders cannot take them), split into buckets, and audited, in one
 * transaction. Too little free stock → 409 OUT_OF_STOCK with what is free; nothing is written.
 */
export async function scheduleFlashSale(
  db: Database,
  input: { coopId: string; actorUserId: string; requestId: string; data: ScheduleFlashSale },
): Promise<{ id: string }> {
  const { data } = input;
  if (Date.parse(data.endsAt) <= Date.now()) {
    throw new ApiError("VALIDATION_FAILED", "The sale would be over before it starts: choose a later end.", {
      fields: [{ path: "endsAt", message: "in the future" }],
    });
  }
  return db.transaction(async (tx) => {
    const unit = await saleUnitOnSale(tx, {
      coopId: input.coopId,
      productId: data.productId,
      saleUnitId: data.saleUnitId,
    });
    const warehouse = await findWarehouse(tx, input.coopId);
    if (!warehouse)
      throw new ApiError("INVALID_STATE", "The co-op has no warehouse to hold the sale's stock.");
    const baseUnits = data.quantity * unit.size;
    const held = await tx
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} + ${baseUnits}` })
      .where(
        and(
          eq(stockLevels.productId, data.productId),
          eq(stockLevels.locationId, warehouse.id),
          sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${baseUnits}`,
        ),
      )
      .returning({ productId: stockLevels.productId });
    if (held.length === 0) {
      const [level] = await tx
        .select({ free: sql<number>`${stockLevels.onHand} - ${stockLevels.reserved}`.mapWith(Number) })
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, data.productId), eq(stockLevels.locationId, warehouse.id)));
      const available = Math.max(0, Math.floor((level?.free ?? 0) / unit.size));
      throw new ApiError("OUT_OF_STOCK", `The warehouse has ${available} free to set aside.`, {
        details: { lines: [{ productId: data.productId, requested: data.quantity, available }] },
      });
    }
    const id = newId("flashSale");
    const buckets = splitIntoBuckets(data.quantity, data.buckets);
    await tx.insert(flashSales).values({
      id,
      coopId: input.coopId,
      productId: data.productId,
      saleUnitId: unit.id,
      locationId: warehouse.id,
      titleZh: data.title.zh,
      titleEn: data.title.en,
      priceFen: data.priceFen,
      quantity: data.quantity,
      unitSize: unit.size,
      perBuyerLimit: data.perBuyerLimit,
      bucketCount: buckets.length,
      startsAt: new Date(data.startsAt),
      endsAt: new Date(data.endsAt),
      createdByUserId: input.actorUserId,
    });
    await tx
      .insert(flashSaleBuckets)
      .values(buckets.map((remaining, bucket) => ({ saleId: id, bucket, remaining })));
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "flash_sale.schedule",
      entityType: "flash_sale",
      entityId: id,
      data: { ...data, saleUnitId: unit.id, locationId: warehouse.id },
    });
    return { id };
  });
}
