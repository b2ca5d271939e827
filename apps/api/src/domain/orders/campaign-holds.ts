import type { Executor } from "@coop/db";
import { campaignBuyers, harvestCampaigns, orderLines } from "@coop/db/schema";
import { and, eq, sql } from "drizzle-orm";

/** An order that waits on a campaign's harvest: it holds campaign units, not stock. */
export function holdsCampaignUnits(order: { campaignId: string | null; status: string }): boolean {
  return order.campaignId !== null && (order.status === "pending_payment" || order.status === "preordered");
}

/** Sale units an order holds (its lines' units: a pre-order has one line). */
export async function orderUnits(tx: Executor, orderId: string): Promise<number> {
  const [row] = await tx
    .select({ units: sql<number>`coalesce(sum(${orderLines.units}), 0)`.mapWith(Number) })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId));
  return row?.units ?? 0;
}

/**
 * Gives back what a pre-order held that was never allocated (cancelled, expired unpaid, refunded, or short
 * at the finish): the buyer's allowance, then the campaign's count — the rows place_order takes, in the
 * same order, so the two never deadlock.
 */
export async function releaseCampaignHold(
  tx: Executor,
  order: { id: string; campaignId: string; contactPhone: string },
): Promise<number> {
  const units = await orderUnits(tx, order.id);
  if (units === 0) return 0;
  await tx
    .update(campaignBuyers)
    .set({ units: sql`greatest(0, ${campaignBuyers.units} - ${units})` })
    .where(
      and(eq(campaignBuyers.campaignId, order.campaignId), eq(campaignBuyers.phone, order.contactPhone)),
    );
  await tx
    .update(harvestCampaigns)
    .set({ reservedUnits: sql`${harvestCampaigns.reservedUnits} - ${units}` })
    .where(eq(harvestCampaigns.id, order.campaignId));
  return units;
}
