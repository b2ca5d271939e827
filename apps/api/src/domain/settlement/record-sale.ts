import type { Executor } from "@coop/db";
import { consignors, coops, lots, orderLineLots, products, stockLevels } from "@coop/db/schema";
import { splitByLargestRemainder, splitCommission } from "@coop/shared";
import { and, asc, eq, gt, gte, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { queueSaleSms } from "../notifications/villager-sms";
import { requestRating } from "../ratings/request-rating";
import { recordMovement } from "../stock/ledger";
import { postConsignorEntry } from "./consignor-ledger";
import { postSaleEntries, saleContextOf } from "./sale-ledger";

export type SaleInput = SaleBase &
  (
    | {
        /**
         * What the buyer paid for these `quantity` base units, in fen (the order line's total, not today's
         * price): split over the lots drawn by the largest-remainder rule (docs/SETTLEMENT.md).
         */
        grossFen: number;
        unitPriceFen?: undefined;
      }
    | {
        /** A whole price per base unit (a line of size 1, or a sale outside any order): gross = quantity × it. */
        unitPriceFen: number;
        grossFen?: undefined;
      }
  );

interface SaleBase {
  productId: string;
  locationId: string;
  /** Base units sold. */
  quantity: number;
  /** The units were reserved for this sale (an order): release the reservation as they leave. */
  fromReserved: boolean;
  orderId?: string | null;
  orderLineId?: string | null;
  actorUserId?: string | null;
}

export interface SaleAllocation {
  lotId: string;
  consignorId: string | null;
  originLocationId: string;
  quantity: number;
  grossFen: number;
  villagerFen: number;
  commissionFen: number;
}

/**
 * Records a sale: draws the units from the first-expiring lots at the location (FEFO: earliest best-before,
 * then oldest intake), writes a sale line per lot, and credits each villager their share of what their lot
 * sold for. The sale's gross is split over the lots in proportion to the base units each gave, by largest
 * remainder (ties to the earlier lot in FEFO order), so the parts add up to the line to the fen even when a
 * base unit's price is fractional (1 斤 ¥13.80 = 2.76 fen a gram); each part then pays the co-op's commission,
 * rounded so the two always add up (splitCommission).
 * Farm supplies bought in by the co-op (no villager) credit nobody. Runs in the caller's transaction.
 */
export async function recordSale(tx: Executor, input: SaleInput): Promise<SaleAllocation[]> {
  if (!Number.isInteger(input.quantity) || input.quantity <= 0)
    throw new RangeError("quantity must be positive");
  const [product] = await tx
    .select({
      commissionBps: products.commissionBps,
      defaultBps: coops.defaultCommissionBps,
      nameZh: products.nameZh,
      unit: products.unit,
    })
    .from(products)
    .innerJoin(coops, eq(coops.id, products.coopId))
    .where(eq(products.id, input.productId));
  if (!product) throw new ApiError("NOT_FOUND", "There is no such product.");
  const bps = product.commissionBps ?? product.defaultBps;

  if (input.fromReserved) {
    const released = await tx
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} - ${input.quantity}` })
      .where(
        and(
          eq(stockLevels.productId, input.productId),
          eq(stockLevels.locationId, input.locationId),
          gte(stockLevels.reserved, input.quantity),
        ),
      )
      .returning({ reserved: stockLevels.reserved });
    if (released.length === 0)
      throw new ApiError("INVALID_STATE", "These units were not held for this sale.");
  }

  // Locked in one fixed order (FEFO), so concurrent sales of the same product queue instead of
  // deadlocking, and only as many lots as the sale needs: a product can have hundreds of lots at the
  // warehouse, and locking them all would make every hand-over of it wait on every other. A wider
  // second look re-locks the lots already held (no wait) and takes the next ones in the same order.
  const inStock = and(
    eq(lots.productId, input.productId),
    eq(lots.locationId, input.locationId),
    eq(lots.status, "in_stock"),
    gt(lots.onHand, 0),
  );
  let candidates: Array<{
    id: string;
    onHand: number;
    consignorId: string | null;
    originLocationId: string;
  }> = [];
  for (const limit of [8, 64, undefined]) {
    const query = tx
      .select({
        id: lots.id,
        onHand: lots.onHand,
        consignorId: lots.consignorId,
        originLocationId: lots.originLocationId,
      })
      .from(lots)
      .where(inStock)
      .orderBy(sql`${lots.bestBefore} ASC NULLS LAST`, asc(lots.createdAt), asc(lots.id))
      .$dynamic();
    candidates = await (limit ? query.limit(limit) : query).for("update");
    const held = candidates.reduce((sum, lot) => sum + lot.onHand, 0);
    if (held >= input.quantity || limit === undefined || candidates.length < limit) break;
  }

  let remaining = input.quantity;
  const drawn: Array<{
    lotId: string;
    consignorId: string | null;
    originLocationId: string;
    quantity: number;
  }> = [];
  for (const lot of candidates) {
    if (remaining === 0) break;
    const take = Math.min(lot.onHand, remaining);
    remaining -= take;
    drawn.push({
      lotId: lot.id,
      consignorId: lot.consignorId,
      originLocationId: lot.originLocationId,
      quantity: take,
    });
  }
  if (remaining > 0) {
    throw new ApiError("OUT_OF_STOCK", "There is not enough of this product here.", {
      details: { productId: input.productId, locationId: input.locationId, short: remaining },
    });
  }
  const grossFen = input.grossFen ?? input.quantity * input.unitPriceFen!;
  const grossParts = splitByLargestRemainder(
    grossFen,
    drawn.map((d) => d.quantity),
  );
  const allocations: SaleAllocation[] = drawn.map((d, i) => {
    const grossFen = grossParts[i]!;
    const split = splitCommission(grossFen, bps);
    return { ...d, grossFen, villagerFen: split.villagerFen, commissionFen: split.coopFen };
  });

  for (const a of allocations) {
    const left = candidates.find((c) => c.id === a.lotId)!.onHand - a.quantity;
    await recordMovement(tx, {
      productId: input.productId,
      locationId: input.locationId,
      lotId: a.lotId,
      kind: "sale",
      quantityDelta: -a.quantity,
      actorUserId: input.actorUserId,
      orderId: input.orderId,
    });
    if (left === 0) await tx.update(lots).set({ status: "depleted" }).where(eq(lots.id, a.lotId));
    if (input.orderLineId) {
      await tx
        .insert(orderLineLots)
        .values({ orderLineId: input.orderLineId, lotId: a.lotId, quantity: a.quantity });
    }
    if (a.consignorId && a.villagerFen > 0) {
      const [villager] = await tx
        .select({
          phone: consignors.phone,
          coopId: consignors.coopId,
          servicePointId: consignors.servicePointId,
        })
        .from(consignors)
        .where(eq(consignors.id, a.consignorId));
      // The villager hears about it (明白账): what sold and what they earned, one SMS per order.
      await queueSaleSms(tx, {
        phone: villager!.phone,
        consignorId: a.consignorId,
        orderId: input.orderId ?? null,
        item: {
          lotId: a.lotId,
          productId: input.productId,
          productName: product.nameZh,
          unit: product.unit,
          quantity: a.quantity,
          earnedFen: a.villagerFen,
        },
      });
      const credit = await postConsignorEntry(tx, {
        consignorId: a.consignorId,
        kind: "sale_credit",
        amountFen: a.villagerFen,
        grossFen: a.grossFen,
        commissionFen: a.commissionFen,
        quantity: a.quantity,
        lotId: a.lotId,
        orderId: input.orderId,
        orderLineId: input.orderLineId,
        actorUserId: input.actorUserId,
      });
      // One rating link per villager and order (their first credit of it), however many lots it drew: the
      // villager rates how their point sold for them (decision 0046). A sale outside an order asks nothing.
      if (input.orderId) {
        await requestRating(tx, {
          kind: "sale",
          subjectId: credit.id,
          coopId: villager!.coopId,
          servicePointId: villager!.servicePointId,
          phone: villager!.phone,
          sale: { orderId: input.orderId, consignorId: a.consignorId },
        });
      }
    }
  }
  // The reports' ledger (decision 0044); a sale outside any order (only tests make one) has no line there.
  if (input.orderId && input.orderLineId) {
    const orderLineId = input.orderLineId;
    await postSaleEntries(
      tx,
      await saleContextOf(tx, input.orderId),
      allocations.map((a) => ({
        orderLineId,
        lotId: a.lotId,
        productId: input.productId,
        originLocationId: a.originLocationId,
        consignorId: a.consignorId,
        quantity: a.quantity,
        grossFen: a.grossFen,
        commissionFen: a.commissionFen,
        villagerFen: a.villagerFen,
      })),
    );
  }
  return allocations;
}
