import type { Executor } from "@coop/db";
import { campaignPledges, consignors, harvestCampaigns, lots, products, saleUnits } from "@coop/db/schema";
import type { Campaign, CampaignPledge } from "@coop/shared/contract";
import { and, asc, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { mainPhotosOf } from "../catalog/product-photos";
import { campaignState } from "./campaign-state";

/** Sale units still to pre-order: the smaller of the cap and the pledges, less what is pre-ordered. */
export function unitsLeft(c: { capUnits: number; pledgedUnits: number; reservedUnits: number }): number {
  return Math.max(0, Math.min(c.capUnits, c.pledgedUnits) - c.reservedUnits);
}

async function viewsOf(
  db: Executor,
  where: SQL | undefined,
  page: { newestFirst?: boolean; limit?: number } = {},
): Promise<Campaign[]> {
  const rows = await db
    .select({
      c: harvestCampaigns,
      nameZh: products.nameZh,
      nameEn: products.nameEn,
      unit: products.unit,
      labelZh: saleUnits.labelZh,
      labelEn: saleUnits.labelEn,
    })
    .from(harvestCampaigns)
    .innerJoin(products, eq(products.id, harvestCampaigns.productId))
    .innerJoin(saleUnits, eq(saleUnits.id, harvestCampaigns.saleUnitId))
    .where(where)
    .orderBy(
      ...(page.newestFirst
        ? [desc(harvestCampaigns.createdAt), desc(harvestCampaigns.id)]
        : [asc(harvestCampaigns.closesAt), asc(harvestCampaigns.id)]),
    )
    .limit(page.limit ?? 100);
  const photoOf = await mainPhotosOf(
    db,
    rows.map((r) => r.c.productId),
  );
  const now = new Date();
  return rows.map(({ c, ...r }) => ({
    id: c.id,
    title: { zh: c.titleZh, en: c.titleEn },
    state: campaignState(c, now),
    product: {
      id: c.productId,
      name: { zh: r.nameZh, en: r.nameEn },
      unit: r.unit,
      photo: photoOf.get(c.productId) ?? null,
    },
    saleUnit: { id: c.saleUnitId, label: { zh: r.labelZh, en: r.labelEn }, size: c.unitSize },
    priceFen: c.priceFen,
    capUnits: c.capUnits,
    pledgedUnits: c.pledgedUnits,
    reservedUnits: c.reservedUnits,
    left: unitsLeft(c),
    allocatedUnits: c.allocatedUnits,
    shortfallUnits: c.shortfallUnits,
    perOrderLimit: c.perOrderLimit,
    perBuyerLimit: c.perBuyerLimit,
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    harvestFrom: c.harvestFrom,
    harvestTo: c.harvestTo,
    finishedAt: c.finishedAt?.toISOString() ?? null,
    serverTime: now.toISOString(),
  }));
}

/** One campaign (public: what the campaign page shows before a buyer pays). */
export async function getCampaign(db: Executor, id: string, coopId?: string): Promise<Campaign> {
  const [view] = await viewsOf(
    db,
    and(eq(harvestCampaigns.id, id), coopId ? eq(harvestCampaigns.coopId, coopId) : undefined),
  );
  if (!view) throw new ApiError("NOT_FOUND", "There is no such harvest campaign.");
  return view;
}

/** Campaigns not finished, the soonest to close first: what the shop announces. */
export async function listCurrentCampaigns(db: Executor): Promise<Campaign[]> {
  return viewsOf(db, isNull(harvestCampaigns.finishedAt));
}

/** Every campaign of the co-op, newest first (a page of 50), for the admin. */
export async function listCampaignsForAdmin(db: Executor, coopId: string): Promise<Campaign[]> {
  return viewsOf(db, eq(harvestCampaigns.coopId, coopId), { newestFirst: true, limit: 50 });
}

/** A campaign's pledges with what has been delivered on each; an agent sees their own point's villagers. */
export async function listPledges(
  db: Executor,
  input: { coopId: string; campaignId: string; servicePointId?: string | null },
): Promise<CampaignPledge[]> {
  const [campaign] = await db
    .select({ id: harvestCampaigns.id, unitSize: harvestCampaigns.unitSize })
    .from(harvestCampaigns)
    .where(and(eq(harvestCampaigns.id, input.campaignId), eq(harvestCampaigns.coopId, input.coopId)));
  if (!campaign) throw new ApiError("NOT_FOUND", "There is no such harvest campaign.");
  const rows = await db
    .select({
      p: campaignPledges,
      name: consignors.name,
      delivered: sql<number>`(SELECT coalesce(sum(l.quantity_received), 0) FROM ${lots} l
        WHERE l.pledge_id = ${campaignPledges.id} AND l.qc_passed)`.mapWith(Number),
    })
    .from(campaignPledges)
    .innerJoin(consignors, eq(consignors.id, campaignPledges.consignorId))
    .where(
      and(
        eq(campaignPledges.campaignId, campaign.id),
        input.servicePointId ? eq(campaignPledges.servicePointId, input.servicePointId) : undefined,
      ),
    )
    .orderBy(asc(campaignPledges.createdAt), asc(campaignPledges.id));
  return rows.map(({ p, name, delivered }) => ({
    id: p.id,
    consignor: { id: p.consignorId, name },
    servicePointId: p.servicePointId,
    units: p.units,
    deliveredUnits: Math.floor(delivered / campaign.unitSize),
    createdAt: p.createdAt.toISOString(),
  }));
}
