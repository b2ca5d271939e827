import type { Database } from "@coop/db";
import { harvestCampaigns, locations, products, saleUnits } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { OpenCampaign } from "@coop/shared/contract";
import { and, asc, eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";

/**
 * The admin opens a harvest campaign for one sale unit of a produce product at a set price. Nothing is
 * reserved yet: the cap is only reachable as villagers pledge (campaign_pledges), and pre-orders are served
 * from the co-op warehouse, where the harvest is brought together. Audited, in one transaction.
 */
export async function openCampaign(
  db: Database,
  input: { coopId: string; actorUserId: string; requestId: string; data: OpenCampaign },
): Promise<{ id: string }> {
  const { data } = input;
  if (Date.parse(data.closesAt) <= Date.now()) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Pre-orders would close before they open: choose a later close.",
      {
        fields: [{ path: "closesAt", message: "in the future" }],
      },
    );
  }
  return db.transaction(async (tx) => {
    const [unit] = await tx
      .select({ id: saleUnits.id, size: saleUnits.size, kind: products.kind })
      .from(saleUnits)
      .innerJoin(products, eq(products.id, saleUnits.productId))
      .where(
        and(
          eq(products.id, data.productId),
          eq(products.coopId, input.coopId),
          eq(products.active, true),
          eq(saleUnits.active, true),
          data.saleUnitId ? eq(saleUnits.id, data.saleUnitId) : eq(saleUnits.isDefault, true),
        ),
      )
      .limit(1);
    if (!unit) {
      throw new ApiError("VALIDATION_FAILED", "Choose a product on sale and one of its sale units.", {
        fields: [{ path: data.saleUnitId ? "saleUnitId" : "productId", message: "not on sale" }],
      });
    }
    if (unit.kind !== "produce") {
      throw new ApiError("VALIDATION_FAILED", "A harvest campaign is for villagers' produce.", {
        fields: [{ path: "productId", message: "farm supplies are not pledged by villagers" }],
      });
    }
    const [warehouse] = await tx
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.coopId, input.coopId), eq(locations.kind, "warehouse")))
      .orderBy(asc(locations.code))
      .limit(1);
    if (!warehouse)
      throw new ApiError("INVALID_STATE", "The co-op has no warehouse to bring the harvest to.");
    const id = newId("campaign");
    await tx.insert(harvestCampaigns).values({
      id,
      coopId: input.coopId,
      productId: data.productId,
      saleUnitId: unit.id,
      unitSize: unit.size,
      locationId: warehouse.id,
      titleZh: data.title.zh,
      titleEn: data.title.en,
      priceFen: data.priceFen,
      capUnits: data.capUnits,
      perOrderLimit: data.perOrderLimit,
      perBuyerLimit: data.perBuyerLimit,
      opensAt: new Date(data.opensAt),
      closesAt: new Date(data.closesAt),
      harvestFrom: data.harvestFrom,
      harvestTo: data.harvestTo,
      createdByUserId: input.actorUserId,
    });
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "campaign.open",
      entityType: "harvest_campaign",
      entityId: id,
      data: { ...data, saleUnitId: unit.id, locationId: warehouse.id },
    });
    return { id };
  });
}
