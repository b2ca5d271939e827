import type { Executor } from "@coop/db";
import { locations, orders, type SaleChannel, saleEntries } from "@coop/db/schema";
import { newId, saleChannelOf, splitByLargestRemainder } from "@coop/shared";
import { desc, eq, sql } from "drizzle-orm";

// The sales ledger (decision 0044): what the reports are built from. Written in the transaction of the sale
// or of the refund, one line per lot of an order line; a refund writes negative lines for what it gives back,
// so the sum over an order line is always what is still sold of it.

export interface SaleContext {
  coopId: string;
  orderId: string;
  /** The service point the buyer collects at; null for delivery to an address. */
  pointId: string | null;
  channel: SaleChannel;
}

export async function saleContextOf(tx: Executor, orderId: string): Promise<SaleContext> {
  const [row] = await tx
    .select({
      coopId: orders.coopId,
      flashSaleId: orders.flashSaleId,
      campaignId: orders.campaignId,
      placedByUserId: orders.placedByUserId,
      paymentMethod: orders.paymentMethod,
      fulfilmentType: orders.fulfilmentType,
      pickupLocationId: orders.pickupLocationId,
      pickupKind: locations.kind,
    })
    .from(orders)
    .leftJoin(locations, eq(locations.id, orders.pickupLocationId))
    .where(eq(orders.id, orderId));
  if (!row) throw new Error(`order ${orderId} is gone`);
  const atPoint = row.fulfilmentType === "pickup" && row.pickupKind === "service_point";
  return {
    coopId: row.coopId,
    orderId,
    pointId: atPoint ? row.pickupLocationId : null,
    channel: saleChannelOf(row),
  };
}

export interface SalePart {
  orderLineId: string;
  lotId: string;
  productId: string;
  originLocationId: string;
  consignorId: string | null;
  quantity: number;
  grossFen: number;
  commissionFen: number;
  villagerFen: number;
}

/** The sale of these parts of an order (one per lot drawn). The co-op's own goods carry no split. */
export async function postSaleEntries(tx: Executor, ctx: SaleContext, parts: SalePart[]) {
  if (parts.length === 0) return;
  await tx.insert(saleEntries).values(
    parts.map((p) => ({
      id: newId("saleEntry"),
      coopId: ctx.coopId,
      kind: "sale" as const,
      orderId: ctx.orderId,
      pointId: ctx.pointId,
      channel: ctx.channel,
      ...p,
      commissionFen: p.consignorId ? p.commissionFen : 0,
      villagerFen: p.consignorId ? p.villagerFen : 0,
    })),
  );
}

/** What is still sold of each (line, lot) of an order: its sale lines less the reversals so far. */
async function netByLot(tx: Executor, where: ReturnType<typeof eq>) {
  return (
    tx
      .select({
        coopId: saleEntries.coopId,
        orderId: saleEntries.orderId,
        orderLineId: saleEntries.orderLineId,
        lotId: saleEntries.lotId,
        productId: saleEntries.productId,
        pointId: saleEntries.pointId,
        originLocationId: saleEntries.originLocationId,
        consignorId: saleEntries.consignorId,
        channel: saleEntries.channel,
        quantity: sql<number>`sum(${saleEntries.quantity})::int`,
        grossFen: sql<number>`sum(${saleEntries.grossFen})::bigint`.mapWith(Number),
        commissionFen: sql<number>`sum(${saleEntries.commissionFen})::bigint`.mapWith(Number),
        villagerFen: sql<number>`sum(${saleEntries.villagerFen})::bigint`.mapWith(Number),
      })
      .from(saleEntries)
      .where(where)
      .groupBy(
        saleEntries.coopId,
        saleEntries.orderId,
        saleEntries.orderLineId,
        saleEntries.lotId,
        saleEntries.productId,
        saleEntries.pointId,
        saleEntries.originLocationId,
        saleEntries.consignorId,
        saleEntries.channel,
      )
      // The last-drawn lots first, the order a part refund takes them back in (refund-line.ts).
      .orderBy(desc(saleEntries.lotId))
  );
}

type Net = Awaited<ReturnType<typeof netByLot>>[number];

const reversalOf = (
  n: Net,
  part: { quantity: number; grossFen: number; commissionFen: number; villagerFen: number },
) => ({
  id: newId("saleEntry"),
  coopId: n.coopId,
  kind: "reversal" as const,
  orderId: n.orderId,
  orderLineId: n.orderLineId,
  lotId: n.lotId,
  productId: n.productId,
  pointId: n.pointId,
  originLocationId: n.originLocationId,
  consignorId: n.consignorId,
  channel: n.channel,
  quantity: -part.quantity,
  grossFen: -part.grossFen,
  commissionFen: -part.commissionFen,
  villagerFen: -part.villagerFen,
});

/** A whole order refunded: everything still sold of it is reversed, so its lines sum to nothing. */
export async function reverseOrderSaleEntries(tx: Executor, orderId: string) {
  const net = await netByLot(tx, eq(saleEntries.orderId, orderId));
  const rows = net.filter((n) => n.quantity > 0 || n.grossFen > 0).map((n) => reversalOf(n, n));
  if (rows.length > 0) await tx.insert(saleEntries).values(rows);
}

/**
 * Part of one sold line refunded (units that broke on the way, for `grossFen`): taken from the last-drawn
 * lots first, the money split over the parts in proportion to their units (largest remainder), and each
 * part's villager share taken pro rata of what the lot still holds of it (all of it for the lot's last units),
 * so the reversed parts add up to the refund to the fen.
 */
export async function reverseLineSaleEntries(
  tx: Executor,
  input: {
    orderLineId: string;
    units: number;
    grossFen: number;
    /** What the villagers' ledger reversed per lot for these units: the same figures here, so both agree. */
    villagerFenByLot?: ReadonlyMap<string, number>;
  },
) {
  const net = await netByLot(tx, eq(saleEntries.orderLineId, input.orderLineId));
  let left = input.units;
  const taken: Array<{ n: Net; quantity: number }> = [];
  for (const n of net) {
    if (left === 0) break;
    const quantity = Math.min(left, n.quantity);
    if (quantity <= 0) continue;
    left -= quantity;
    taken.push({ n, quantity });
  }
  if (taken.length === 0) return;
  const grossParts = splitByLargestRemainder(
    input.grossFen,
    taken.map((t) => t.quantity),
  );
  const rows = taken.map(({ n, quantity }, i) => {
    const grossFen = Math.min(grossParts[i]!, n.grossFen);
    if (!n.consignorId) return reversalOf(n, { quantity, grossFen, commissionFen: 0, villagerFen: 0 });
    const proRata =
      quantity >= n.quantity ? n.villagerFen : Math.round((n.villagerFen * quantity) / n.quantity);
    let villagerFen = Math.min(input.villagerFenByLot?.get(n.lotId) ?? proRata, n.villagerFen, grossFen);
    // Never more commission back than the lot still holds: the rest of the refund is the villager's.
    let commissionFen = grossFen - villagerFen;
    if (commissionFen > n.commissionFen) {
      commissionFen = n.commissionFen;
      villagerFen = grossFen - commissionFen;
    }
    return reversalOf(n, { quantity, grossFen, commissionFen, villagerFen });
  });
  await tx.insert(saleEntries).values(rows);
}
