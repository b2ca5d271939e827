import type { Database, Executor } from "@coop/db";
import { harvestCampaigns, orderLines, orders, products, stockLevels } from "@coop/db/schema";
import { and, asc, eq, sql } from "drizzle-orm";
import { PROGRESS_TEXT } from "../line-codes";
import { orderPayment } from "../orders/cancel-order";
import { queueSms } from "../orders/notify";
import { recordOrderSale } from "../orders/order-lifecycle";
import { transition } from "../orders/order-status";

/** Pre-orders looked at per transaction: a campaign of thousands is allocated in short transactions. */
const BATCH = 200;

/**
 * Only one allocation or finish of a campaign runs at a time, whichever process runs it (two API processes
 * both run the sweep). A transaction-scoped advisory lock: a crash releases it with the transaction.
 */
export async function lockCampaignWork(tx: Executor, campaignId: string): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`harvest_campaign:${campaignId}`}, 0))`,
  );
}

export interface AllocationResult {
  allocatedOrders: number;
  allocatedUnits: number;
  /** A pre-order was left waiting because the warehouse has not enough of the harvest for it (yet). */
  waiting: boolean;
}

/**
 * The harvest at the campaign's warehouse goes to its pre-orders in the order they were placed, whole orders
 * only, stopping at the first that does not fit (a later, smaller order never jumps the queue). Each
 * allocated pre-order reserves its goods like any order: paid online → `paid`, its sale recorded now FEFO
 * from the warehouse lots and the villagers credited; cash → `confirmed`, the sale recorded at handover.
 * The buyer gets an SMS. Safe to run again, twice at once, or after a crash: each pre-order leaves
 * `preordered` once, under its row lock. An online pre-order still waiting for its payment is not yet a
 * pre-order and is passed over (it expires, or is allocated on a later run once paid).
 *
 * Locks are taken orders → stock → campaign, the order of place_order's and cancelling's own.
 */
export async function allocateCampaign(db: Database, campaignId: string): Promise<AllocationResult> {
  const total: AllocationResult = { allocatedOrders: 0, allocatedUnits: 0, waiting: false };
  for (;;) {
    const step = await db.transaction(async (tx) => {
      await lockCampaignWork(tx, campaignId);
      const [campaign] = await tx
        .select({
          id: harvestCampaigns.id,
          productId: harvestCampaigns.productId,
          locationId: harvestCampaigns.locationId,
          finishedAt: harvestCampaigns.finishedAt,
          productName: products.nameZh,
        })
        .from(harvestCampaigns)
        .innerJoin(products, eq(products.id, harvestCampaigns.productId))
        .where(eq(harvestCampaigns.id, campaignId));
      if (!campaign || campaign.finishedAt) return { orders: 0, units: 0, waiting: false, more: false };
      const waitingOrders = await tx
        .select({ id: orders.id, contactPhone: orders.contactPhone })
        .from(orders)
        .where(and(eq(orders.campaignId, campaignId), eq(orders.status, "preordered")))
        .orderBy(asc(orders.createdAt), asc(orders.id))
        .limit(BATCH)
        .for("update");
      let units = 0;
      let count = 0;
      let waiting = false;
      for (const order of waitingOrders) {
        const lines = await tx
          .select({ quantity: orderLines.quantity, units: orderLines.units })
          .from(orderLines)
          .where(eq(orderLines.orderId, order.id));
        const quantity = lines.reduce((sum, l) => sum + l.quantity, 0);
        const taken = await tx
          .update(stockLevels)
          .set({ reserved: sql`${stockLevels.reserved} + ${quantity}` })
          .where(
            and(
              eq(stockLevels.productId, campaign.productId),
              eq(stockLevels.locationId, campaign.locationId),
              sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${quantity}`,
            ),
          )
          .returning({ productId: stockLevels.productId });
        if (taken.length === 0) {
          waiting = true;
          break;
        }
        const payment = await orderPayment(tx, order.id);
        if (payment?.status === "succeeded") {
          await transition(tx, order.id, ["preordered"], "paid", { note: PROGRESS_TEXT.harvest_allocated });
          await recordOrderSale(tx, order.id);
        } else {
          await transition(tx, order.id, ["preordered"], "confirmed", {
            note: PROGRESS_TEXT.harvest_allocated,
          });
        }
        await queueSms(tx, {
          to: order.contactPhone,
          template: "campaign_allocated",
          data: { orderId: order.id, productName: campaign.productName },
          orderId: order.id,
        });
        units += lines.reduce((sum, l) => sum + l.units, 0);
        count++;
      }
      if (units > 0) {
        await tx
          .update(harvestCampaigns)
          .set({ allocatedUnits: sql`${harvestCampaigns.allocatedUnits} + ${units}` })
          .where(eq(harvestCampaigns.id, campaignId));
      }
      return { orders: count, units, waiting, more: !waiting && waitingOrders.length === BATCH };
    });
    total.allocatedOrders += step.orders;
    total.allocatedUnits += step.units;
    total.waiting = step.waiting;
    if (!step.more) return total;
  }
}
