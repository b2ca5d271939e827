import type { Database } from "@coop/db";
import { campaignPledges, consignors, harvestCampaigns } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { RecordPledge } from "@coop/shared/contract";
import { and, eq, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { sqlStateOf } from "../../lib/db-errors";
import { ApiError } from "../../lib/errors";
import { assertServicePointAccess } from "../../middleware/authenticate";

/**
 * The villager's agent records (or changes) how many sale units the villager will deliver. The campaign's
 * pledged total moves by the difference in the same transaction, and never below what buyers have already
 * pre-ordered. Pledges are taken until pre-orders close: after that they could not raise the cap for anyone.
 */
export async function recordPledge(
  db: Database,
  input: { staff: StaffPrincipal; campaignId: string; requestId: string; data: RecordPledge },
): Promise<{ id: string }> {
  const { staff, data } = input;
  try {
    return await db.transaction(async (tx) => {
      const [campaign] = await tx
        .select()
        .from(harvestCampaigns)
        .where(and(eq(harvestCampaigns.id, input.campaignId), eq(harvestCampaigns.coopId, staff.coopId)));
      if (!campaign) throw new ApiError("NOT_FOUND", "There is no such harvest campaign.");
      if (campaign.finishedAt || Date.now() >= campaign.closesAt.getTime()) {
        throw new ApiError(
          "INVALID_STATE",
          "Pre-orders for this harvest have closed: pledges are no longer taken.",
        );
      }
      const [consignor] = await tx
        .select({ id: consignors.id, servicePointId: consignors.servicePointId })
        .from(consignors)
        .where(and(eq(consignors.id, data.consignorId), eq(consignors.coopId, staff.coopId)));
      if (!consignor) {
        throw new ApiError("VALIDATION_FAILED", "consignorId: no such villager", {
          fields: [{ path: "consignorId", message: "no such villager" }],
        });
      }
      assertServicePointAccess(staff, consignor.servicePointId);
      const [earlier] = await tx
        .select()
        .from(campaignPledges)
        .where(
          and(eq(campaignPledges.campaignId, campaign.id), eq(campaignPledges.consignorId, consignor.id)),
        )
        .for("update");
      const delta = data.units - (earlier?.units ?? 0);
      const moved = await tx
        .update(harvestCampaigns)
        .set({ pledgedUnits: sql`${harvestCampaigns.pledgedUnits} + ${delta}` })
        .where(
          and(
            eq(harvestCampaigns.id, campaign.id),
            sql`${harvestCampaigns.pledgedUnits} + ${delta} >= ${harvestCampaigns.reservedUnits}`,
          ),
        )
        .returning({ id: harvestCampaigns.id });
      if (moved.length === 0) {
        throw new ApiError(
          "INVALID_STATE",
          `Buyers have pre-ordered ${campaign.reservedUnits} already: the pledges together cannot be less.`,
          { details: { reservedUnits: campaign.reservedUnits } },
        );
      }
      const id = earlier?.id ?? newId("pledge");
      if (earlier) {
        await tx.update(campaignPledges).set({ units: data.units }).where(eq(campaignPledges.id, id));
      } else {
        await tx.insert(campaignPledges).values({
          id,
          campaignId: campaign.id,
          consignorId: consignor.id,
          servicePointId: consignor.servicePointId,
          units: data.units,
          recordedByUserId: staff.id,
        });
      }
      await audit(tx, {
        actorUserId: staff.id,
        requestId: input.requestId,
        action: earlier ? "campaign.pledge_change" : "campaign.pledge",
        entityType: "campaign_pledge",
        entityId: id,
        data: { campaignId: campaign.id, ...data, was: earlier?.units ?? null },
      });
      return { id };
    });
  } catch (error) {
    // The same villager's first pledge recorded twice at once, under two keys: the second meets the first.
    if (sqlStateOf(error) === "23505") {
      throw new ApiError(
        "CONFLICT",
        "This villager's pledge was being recorded at the same time. Please look again.",
      );
    }
    throw error;
  }
}
