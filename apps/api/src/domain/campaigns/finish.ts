import type { Database, Executor } from "@coop/db";
import {
  campaignPledges,
  consignorEntries,
  consignors,
  harvestCampaigns,
  lots,
  orderLines,
  orderStatusHistory,
  orders,
  products,
} from "@coop/db/schema";
import { chinaDate } from "@coop/shared";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { PROGRESS_TEXT } from "../line-codes";
import { orderPayment } from "../orders/cancel-order";
import { queueSms } from "../orders/notify";
import { type AfterCommit, applyAtStripe, cancelOrder } from "../orders/order-lifecycle";
import { allocateCampaign, lockCampaignWork } from "./allocate";
import { harvestIsOver } from "./campaign-state";

type Deps = { db: Database; stripe: Stripe | null; logger: Logger };

/** Short pre-orders settled per transaction. */
const BATCH = 200;

export interface FinishResult {
  /** Pre-orders the last allocation reached, and their sale units. */
  allocatedOrders: number;
  allocatedUnits: number;
  /** Pre-orders refunded or cancelled for the shortfall by this call. */
  shortOrders: number;
  /** False when another run (or an earlier one) had finished the campaign already. */
  finished: boolean;
}

/**
 * The close of a campaign: the harvest at the warehouse is allocated one last time; every pre-order it could
 * not reach is the shortfall — the latest ones, since allocation goes in placement order — and is refunded in
 * full (paid online: the refund is owed in the same transaction and sent to Stripe after it) or cancelled
 * (cash at pickup, or an online payment never made), each buyer told by SMS once. Then the campaign is
 * finished and each pledging villager is told what they pledged, delivered and sold. Safe to run twice at once
 * or again after a crash: the work lock, the orders' row locks and `finished_at` make each step happen once.
 */
export async function finishCampaign(
  deps: Deps,
  campaignId: string,
  by: { actorUserId: string | null; requestId?: string } = { actorUserId: null },
): Promise<FinishResult> {
  const allocation = await allocateCampaign(deps.db, campaignId);
  let shortOrders = 0;
  for (;;) {
    const step = await deps.db.transaction((tx) => settleShortBatch(tx, campaignId));
    shortOrders += step.orders;
    // Stripe is asked after each batch commits; what it cannot take now the refund sweep sends later.
    for (const after of step.after) await applyAtStripe(deps, after);
    if (!step.more) break;
  }
  const finished = await deps.db.transaction((tx) => markFinished(tx, campaignId, by));
  return {
    allocatedOrders: allocation.allocatedOrders,
    allocatedUnits: allocation.allocatedUnits,
    shortOrders,
    finished,
  };
}

async function settleShortBatch(tx: Executor, campaignId: string) {
  await lockCampaignWork(tx, campaignId);
  const [campaign] = await tx
    .select({ finishedAt: harvestCampaigns.finishedAt, productName: products.nameZh })
    .from(harvestCampaigns)
    .innerJoin(products, eq(products.id, harvestCampaigns.productId))
    .where(eq(harvestCampaigns.id, campaignId));
  if (!campaign || campaign.finishedAt) return { orders: 0, after: [] as AfterCommit[], more: false };
  // Allocation took the earliest; what is left waiting is the latest placed: all of it is the shortfall.
  const short = await tx
    .select({ id: orders.id, contactPhone: orders.contactPhone, totalFen: orders.totalFen })
    .from(orders)
    .where(and(eq(orders.campaignId, campaignId), inArray(orders.status, ["preordered", "pending_payment"])))
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(BATCH)
    .for("update");
  const after: AfterCommit[] = [];
  for (const order of short) {
    const payment = await orderPayment(tx, order.id);
    const paid = payment?.status === "succeeded";
    after.push(
      await cancelOrder(tx, order.id, { reason: PROGRESS_TEXT.harvest_short, byBuyer: false, silent: true }),
    );
    await queueSms(tx, {
      to: order.contactPhone,
      template: paid ? "campaign_short_refunded" : "campaign_short_cancelled",
      data: { orderId: order.id, productName: campaign.productName, totalFen: order.totalFen },
      orderId: order.id,
    });
  }
  return { orders: short.length, after, more: short.length === BATCH };
}

async function markFinished(
  tx: Executor,
  campaignId: string,
  by: { actorUserId: string | null; requestId?: string },
): Promise<boolean> {
  await lockCampaignWork(tx, campaignId);
  const [campaign] = await tx
    .select({
      c: harvestCampaigns,
      productName: products.nameZh,
      unit: products.unit,
    })
    .from(harvestCampaigns)
    .innerJoin(products, eq(products.id, harvestCampaigns.productId))
    .where(and(eq(harvestCampaigns.id, campaignId), isNull(harvestCampaigns.finishedAt)));
  if (!campaign) return false;
  const { c } = campaign;
  // The shortfall is read back from the orders' own history, so a finish resumed after a crash counts the
  // pre-orders an earlier, interrupted run settled too.
  const [short] = await tx
    .select({ units: sql<number>`coalesce(sum(${orderLines.units}), 0)`.mapWith(Number) })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        eq(orders.campaignId, campaignId),
        sql`EXISTS (SELECT 1 FROM ${orderStatusHistory} h WHERE h.order_id = ${orders.id}
          AND h.note = ${PROGRESS_TEXT.harvest_short})`,
      ),
    );
  await tx
    .update(harvestCampaigns)
    .set({ finishedAt: new Date(), shortfallUnits: short?.units ?? 0 })
    .where(eq(harvestCampaigns.id, campaignId));

  const pledges = await tx
    .select({
      id: campaignPledges.id,
      units: campaignPledges.units,
      phone: consignors.phone,
      delivered: sql<number>`(SELECT coalesce(sum(l.quantity_received), 0) FROM ${lots} l
        WHERE l.pledge_id = ${campaignPledges.id} AND l.qc_passed)`.mapWith(Number),
      sold: sql<number>`(SELECT coalesce(sum(CASE e.kind WHEN 'sale_credit' THEN e.quantity
          WHEN 'sale_reversal' THEN -e.quantity ELSE 0 END), 0)
        FROM ${consignorEntries} e JOIN ${lots} l ON l.id = e.lot_id
        WHERE l.pledge_id = ${campaignPledges.id})`.mapWith(Number),
      earnedFen: sql<number>`(SELECT coalesce(sum(e.amount_fen), 0)
        FROM ${consignorEntries} e JOIN ${lots} l ON l.id = e.lot_id
        WHERE l.pledge_id = ${campaignPledges.id} AND e.kind IN ('sale_credit', 'sale_reversal'))`.mapWith(
        Number,
      ),
    })
    .from(campaignPledges)
    .innerJoin(consignors, eq(consignors.id, campaignPledges.consignorId))
    .where(eq(campaignPledges.campaignId, campaignId))
    .orderBy(asc(campaignPledges.createdAt), asc(campaignPledges.id));
  for (const p of pledges) {
    await queueSms(tx, {
      to: p.phone,
      template: "campaign_pledge_sold",
      data: {
        productName: campaign.productName,
        unit: campaign.unit,
        // The pledge is in sale units; what was delivered and sold is counted in base units, as statements are.
        pledged: p.units * c.unitSize,
        delivered: p.delivered,
        sold: p.sold,
        earnedFen: p.earnedFen,
      },
    });
  }
  await audit(tx, {
    actorUserId: by.actorUserId,
    ...(by.requestId ? { requestId: by.requestId } : {}),
    action: "campaign.finish",
    entityType: "harvest_campaign",
    entityId: campaignId,
    data: { allocatedUnits: c.allocatedUnits, shortfallUnits: short?.units ?? 0, pledges: pledges.length },
  });
  return true;
}

/** The admin finishes a campaign now (the harvest is all in, or will not come): 409 once finished. */
export async function finishCampaignNow(
  deps: Deps,
  input: { coopId: string; campaignId: string; actorUserId: string; requestId: string },
): Promise<FinishResult> {
  const [campaign] = await deps.db
    .select({
      id: harvestCampaigns.id,
      closesAt: harvestCampaigns.closesAt,
      finishedAt: harvestCampaigns.finishedAt,
    })
    .from(harvestCampaigns)
    .where(and(eq(harvestCampaigns.id, input.campaignId), eq(harvestCampaigns.coopId, input.coopId)));
  if (!campaign) throw new ApiError("NOT_FOUND", "There is no such harvest campaign.");
  if (campaign.finishedAt) throw new ApiError("INVALID_STATE", "This harvest campaign is finished already.");
  if (Date.now() < campaign.closesAt.getTime()) {
    throw new ApiError(
      "INVALID_STATE",
      "Pre-orders are still open: a campaign is finished after they close.",
    );
  }
  return finishCampaign(deps, campaign.id, input);
}

/**
 * The sweep (every minute, in whichever process): allocates what has reached the warehouse to the pre-orders
 * of every campaign whose pre-orders have closed or whose harvest window has begun, and finishes those whose
 * harvest window is over. Answers how many it finished.
 */
export async function sweepCampaigns(deps: Deps, now = new Date()): Promise<number> {
  const due = await deps.db
    .select()
    .from(harvestCampaigns)
    .where(
      and(
        isNull(harvestCampaigns.finishedAt),
        or(lte(harvestCampaigns.closesAt, now), lte(harvestCampaigns.harvestFrom, chinaDate(now))),
      ),
    );
  let finished = 0;
  for (const c of due) {
    if (harvestIsOver(c, now)) {
      const result = await finishCampaign(deps, c.id);
      if (result.finished) {
        finished++;
        deps.logger.info({ campaignId: c.id, shortOrders: result.shortOrders }, "harvest campaign finished");
      }
    } else {
      const result = await allocateCampaign(deps.db, c.id);
      if (result.allocatedOrders > 0) {
        deps.logger.info({ campaignId: c.id, ...result }, "harvest allocated to pre-orders");
      }
    }
  }
  return finished;
}
