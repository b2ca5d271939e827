import type { Database } from "@coop/db";
import { harvestCampaigns } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { OpenCampaign } from "@coop/shared/contract";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { saleUnitOnSale } from "../catalog/sale-units";
import { findWarehouse } from "../locations/warehouses";

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
    throw new ApiError("VALIDATION_FAILED", "Pre-orders would be closed already: choose a later close.", {
      fields: [{ path: "closesAt", message: "in the future" }],
    });
  }
  return db.transaction(async (tx) => {
    const unit = await saleUnitOnSale(tx, {
      coopId: input.coopId,
      productId: data.productId,
      saleUnitId: data.saleUnitId,
    });
    if (unit.productKind !== "produce") {
      throw new ApiError("VALIDATION_FAILED", "A harvest campaign is for villagers' produce.", {
        fields: [{ path: "productId", message: "farm supplies are not pledged by villagers" }],
      });
    }
    const warehouse = await findWarehouse(tx, input.coopId);
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
