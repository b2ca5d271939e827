import type { harvestCampaigns } from "@coop/db/schema";
import { chinaDate } from "@coop/shared";
import type { CampaignState } from "@coop/shared/contract";

type CampaignRow = typeof harvestCampaigns.$inferSelect;

/** The campaign's state from its times, the China-time day and its finish (docs/CAMPAIGNS.md). */
export function campaignState(
  c: Pick<CampaignRow, "opensAt" | "closesAt" | "harvestFrom" | "harvestTo" | "finishedAt">,
  now: Date,
): CampaignState {
  if (c.finishedAt) return "finished";
  if (now < c.opensAt) return "upcoming";
  if (now < c.closesAt) return "open";
  return chinaDate(now) >= c.harvestFrom ? "harvesting" : "closed";
}

/** The harvest window is over (its last China-time day has passed): the campaign is due to finish. */
export function harvestIsOver(c: Pick<CampaignRow, "harvestTo" | "closesAt">, now: Date): boolean {
  return now >= c.closesAt && chinaDate(now) > c.harvestTo;
}
