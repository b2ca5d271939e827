import { z } from "zod";
import { MAX_AMOUNT_FEN } from "../bounds";
import { BASE_UNITS } from "../units";
import { ProductPhoto } from "./catalog";
import { LocalizedText, TextInput } from "./common";

/**
 * A harvest campaign's states, from its times and its finish (decision 0041, docs/CAMPAIGNS.md):
 * upcoming — before pre-orders open; open — pre-orders taken; closed — no more pre-orders, waiting for the
 * harvest; harvesting — within the harvest window, harvest allocated to pre-orders as it comes in;
 * finished — what the harvest could not fill was refunded or cancelled, villagers told what sold.
 */
export const CAMPAIGN_STATES = ["upcoming", "open", "closed", "harvesting", "finished"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

const ChinaDay = z.iso.date().meta({ description: "A day in China time, YYYY-MM-DD" });

export const OpenCampaign = z
  .object({
    productId: z.string().min(1).max(64),
    saleUnitId: z.string().min(1).max(64).optional().meta({
      description: "The sale unit pre-ordered (one of the product's, on sale); without it the default one",
    }),
    title: z.object({ zh: TextInput.trim().min(1).max(60), en: TextInput.trim().max(60).default("") }),
    priceFen: z.number().int().positive().max(MAX_AMOUNT_FEN).meta({ description: "Price of one sale unit" }),
    capUnits: z.number().int().positive().max(1_000_000).meta({
      description:
        "The most sale units the co-op pre-sells. Buyers can pre-order up to the smaller of this and what villagers have pledged.",
    }),
    perOrderLimit: z.number().int().positive().max(1000),
    perBuyerLimit: z.number().int().positive().max(10_000).meta({
      description: "Sale units one buyer (one phone) may pre-order in all; at least perOrderLimit",
    }),
    opensAt: z.iso.datetime({ offset: true }),
    closesAt: z.iso.datetime({ offset: true }),
    harvestFrom: ChinaDay,
    harvestTo: ChinaDay,
  })
  .refine((s) => Date.parse(s.closesAt) > Date.parse(s.opensAt), {
    path: ["closesAt"],
    message: "after the opening",
  })
  .refine((s) => s.harvestTo >= s.harvestFrom, { path: ["harvestTo"], message: "on or after the first day" })
  .refine((s) => s.perBuyerLimit >= s.perOrderLimit, {
    path: ["perBuyerLimit"],
    message: "at least the per-order limit",
  })
  .meta({ id: "OpenCampaign" });
export type OpenCampaign = z.infer<typeof OpenCampaign>;

export const RecordPledge = z
  .object({
    consignorId: z.string().min(1).max(64),
    units: z
      .number()
      .int()
      .positive()
      .max(100_000)
      .meta({ description: "Sale units the villager will deliver" }),
  })
  .meta({ id: "RecordPledge" });
export type RecordPledge = z.infer<typeof RecordPledge>;

export const Campaign = z
  .object({
    id: z.string(),
    title: LocalizedText,
    state: z.enum(CAMPAIGN_STATES),
    product: z.object({
      id: z.string(),
      name: LocalizedText,
      unit: z.enum(BASE_UNITS),
      photo: ProductPhoto.nullable(),
    }),
    saleUnit: z.object({ id: z.string(), label: LocalizedText, size: z.number().int() }),
    priceFen: z.number().int(),
    capUnits: z.number().int(),
    pledgedUnits: z.number().int().meta({ description: "Sale units villagers have pledged" }),
    reservedUnits: z.number().int().meta({ description: "Sale units pre-ordered" }),
    left: z
      .number()
      .int()
      .meta({ description: "Sale units still to pre-order: min(cap, pledged) − pre-ordered" }),
    allocatedUnits: z.number().int().meta({ description: "Sale units of pre-orders given harvested goods" }),
    shortfallUnits: z.number().int().nullable(),
    perOrderLimit: z.number().int(),
    perBuyerLimit: z.number().int(),
    opensAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    harvestFrom: ChinaDay,
    harvestTo: ChinaDay,
    finishedAt: z.iso.datetime().nullable(),
    serverTime: z.iso.datetime(),
  })
  .meta({ id: "Campaign" });
export type Campaign = z.infer<typeof Campaign>;

export const CampaignList = z.object({ items: z.array(Campaign) }).meta({ id: "CampaignList" });
export type CampaignList = z.infer<typeof CampaignList>;

export const CampaignPledge = z
  .object({
    id: z.string(),
    consignor: z.object({ id: z.string(), name: z.string() }),
    servicePointId: z.string(),
    units: z.number().int(),
    deliveredUnits: z.number().int().meta({ description: "Sale units taken in against this pledge so far" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "CampaignPledge" });
export type CampaignPledge = z.infer<typeof CampaignPledge>;

export const CampaignPledgeList = z
  .object({ items: z.array(CampaignPledge) })
  .meta({ id: "CampaignPledgeList" });

export const CampaignRun = z
  .object({
    allocatedOrders: z.number().int(),
    allocatedUnits: z.number().int(),
    shortOrders: z
      .number()
      .int()
      .meta({ description: "Pre-orders refunded or cancelled by this run (finish only)" }),
    campaign: Campaign,
  })
  .meta({ id: "CampaignRun" });
export type CampaignRun = z.infer<typeof CampaignRun>;
