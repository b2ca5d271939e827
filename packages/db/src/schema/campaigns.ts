import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { consignors } from "./consignors";
import { coops, locations } from "./coop";
import { products, saleUnits } from "./products";
import { staffUsers } from "./staff";

/**
 * A harvest campaign (订单农业): buyers pre-order a coming harvest of one sale unit of one product at a set
 * price, up to what villagers have pledged to deliver (and at most the admin's cap). Pre-orders are orders
 * with `campaign_id`; they hold units of the campaign (`reserved_units`), not stock, until the harvest is in
 * and they are allocated in the order they were placed. Decision 0047, docs/CAMPAIGNS.md.
 */
export const harvestCampaigns = pgTable(
  "harvest_campaigns",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    saleUnitId: text()
      .notNull()
      .references(() => saleUnits.id),
    /** Base units in one sale unit when the campaign was opened. */
    unitSize: integer().notNull(),
    /** Where the harvest is brought together and pre-orders are served from (the co-op warehouse). */
    locationId: text()
      .notNull()
      .references(() => locations.id),
    titleZh: text().notNull(),
    titleEn: text().notNull(),
    /** Price of one sale unit for every pre-order. */
    priceFen: integer().notNull(),
    /** The most sale units the co-op will pre-sell, whatever is pledged. */
    capUnits: integer().notNull(),
    /** Sale units villagers have pledged (sum of campaign_pledges.units, kept in the same transaction). */
    pledgedUnits: integer().notNull().default(0),
    /** Sale units held by live pre-orders and allocated orders: never above the cap or the pledges. */
    reservedUnits: integer().notNull().default(0),
    /** Sale units of pre-orders that have been given harvested stock. */
    allocatedUnits: integer().notNull().default(0),
    /** Sale units of pre-orders the harvest could not fill (refunded or cancelled at the finish). */
    shortfallUnits: integer(),
    perOrderLimit: integer().notNull(),
    perBuyerLimit: integer().notNull(),
    opensAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    closesAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    /** The expected harvest, China-time days (inclusive). After the last day the campaign is finished. */
    harvestFrom: date({ mode: "string" }).notNull(),
    harvestTo: date({ mode: "string" }).notNull(),
    /** When the shortfall was settled and villagers were told what sold; nothing changes after it. */
    finishedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("harvest_campaigns_price_positive", sql`price_fen > 0 AND unit_size > 0`),
    check("harvest_campaigns_limits", sql`per_order_limit > 0 AND per_buyer_limit >= per_order_limit`),
    check("harvest_campaigns_window", sql`closes_at > opens_at AND harvest_to >= harvest_from`),
    check(
      "harvest_campaigns_units",
      sql`cap_units > 0 AND pledged_units >= 0 AND reserved_units >= 0
        AND reserved_units <= cap_units AND reserved_units <= pledged_units
        AND allocated_units BETWEEN 0 AND reserved_units`,
    ),
    check(
      "harvest_campaigns_finished_shortfall",
      sql`(finished_at IS NULL) = (shortfall_units IS NULL) AND coalesce(shortfall_units, 0) >= 0`,
    ),
    index("harvest_campaigns_unfinished_idx").on(t.harvestTo).where(sql`finished_at IS NULL`),
  ],
);

/** A villager's promise, recorded by their agent, to deliver so many sale units of the campaign's harvest. */
export const campaignPledges = pgTable(
  "campaign_pledges",
  {
    id: idColumn(),
    campaignId: text()
      .notNull()
      .references(() => harvestCampaigns.id),
    consignorId: text()
      .notNull()
      .references(() => consignors.id),
    /** The villager's service point (whose agent recorded the pledge and takes in the harvest). */
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    units: integer().notNull(),
    recordedByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("campaign_pledges_units_positive", sql`units > 0`),
    unique("campaign_pledges_one_per_villager").on(t.campaignId, t.consignorId),
    index("campaign_pledges_point_idx").on(t.servicePointId, t.campaignId),
  ],
);

/** Sale units each buyer (by phone) has pre-ordered in a campaign: the per-buyer limit holds under concurrency. */
export const campaignBuyers = pgTable(
  "campaign_buyers",
  {
    campaignId: text()
      .notNull()
      .references(() => harvestCampaigns.id),
    phone: text().notNull(),
    units: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.phone] }),
    check("campaign_buyers_units_non_negative", sql`units >= 0`),
  ],
);
