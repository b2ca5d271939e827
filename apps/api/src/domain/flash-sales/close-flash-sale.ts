import type { Database } from "@coop/db";
import { flashSaleBuckets, flashSales, stockLevels } from "@coop/db/schema";
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { forgetFlashSaleView } from "./flash-sale-views";

/**
 * Closes a flash sale: what is left in its buckets goes back to normal stock (the warehouse reservation
 * drops by it) and the sale takes no more orders. Once only: a second close, by the sweep in another process
 * or by the admin, finds it closed and changes nothing. Orders in flight wait on the bucket locks and then
 * find the buckets empty. Answers the sale units returned, or null when it was closed already.
 */
export async function closeFlashSale(
  db: Database,
  saleId: string,
  by: { actorUserId: string | null; requestId?: string } = { actorUserId: null },
): Promise<number | null> {
  const returned = await db.transaction(async (tx) => {
    const [sale] = await tx
      .select()
      .from(flashSales)
      .where(and(eq(flashSales.id, saleId), isNull(flashSales.closedAt)))
      .for("update");
    if (!sale) return null;
    const buckets = await tx
      .select({ remaining: flashSaleBuckets.remaining })
      .from(flashSaleBuckets)
      .where(eq(flashSaleBuckets.saleId, saleId))
      .for("update");
    const left = buckets.reduce((sum, b) => sum + b.remaining, 0);
    await tx.update(flashSaleBuckets).set({ remaining: 0 }).where(eq(flashSaleBuckets.saleId, saleId));
    if (left > 0) {
      await tx
        .update(stockLevels)
        .set({ reserved: sql`${stockLevels.reserved} - ${left * sale.unitSize}` })
        .where(and(eq(stockLevels.productId, sale.productId), eq(stockLevels.locationId, sale.locationId)));
    }
    await tx
      .update(flashSales)
      .set({ closedAt: new Date(), returnedUnits: left })
      .where(eq(flashSales.id, saleId));
    await audit(tx, {
      actorUserId: by.actorUserId,
      ...(by.requestId ? { requestId: by.requestId } : {}),
      action: "flash_sale.close",
      entityType: "flash_sale",
      entityId: saleId,
      data: { returnedUnits: left, sold: sale.quantity - left },
    });
    return left;
  });
  forgetFlashSaleView(db, saleId);
  return returned;
}

/** The admin ends a sale early (or after its end, before the sweep): 409 when it is closed already. */
export async function closeFlashSaleNow(
  db: Database,
  input: { coopId: string; saleId: string; actorUserId: string; requestId: string },
): Promise<void> {
  const [sale] = await db
    .select({ id: flashSales.id, closedAt: flashSales.closedAt })
    .from(flashSales)
    .where(and(eq(flashSales.id, input.saleId), eq(flashSales.coopId, input.coopId)));
  if (!sale) throw new ApiError("NOT_FOUND", "There is no such flash sale.");
  const returned = await closeFlashSale(db, sale.id, input);
  if (returned === null) throw new ApiError("INVALID_STATE", "This flash sale is closed already.");
}

/** The sweep (every minute, in whichever process): closes every sale past its end. Answers how many. */
export async function closeEndedFlashSales(db: Database, logger: Logger, now = new Date()): Promise<number> {
  const ended = await db
    .select({ id: flashSales.id })
    .from(flashSales)
    .where(and(isNull(flashSales.closedAt), lte(flashSales.endsAt, now)));
  let closed = 0;
  for (const { id } of ended) {
    const returned = await closeFlashSale(db, id);
    if (returned !== null) {
      closed++;
      logger.info({ flashSaleId: id, returnedUnits: returned }, "flash sale closed");
    }
  }
  return closed;
}
