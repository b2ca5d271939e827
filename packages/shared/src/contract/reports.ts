import { z } from "zod";
import { LOCATION_KINDS, ORDER_STATUSES, SALE_CHANNELS } from "../closed-sets";
import { RatingsSummary } from "./ratings";

const ChinaDay = z.iso.date().meta({ description: "A day in China time, YYYY-MM-DD" });

/** The longest range one report covers: enough for a year compared with the one before. */
export const REPORT_MAX_DAYS = 732;

/** What a sales report is broken down by (decision 0044). */
export const SALES_REPORT_BY = ["day", "week", "month", "channel", "product", "point", "origin"] as const;
export type SalesReportBy = (typeof SALES_REPORT_BY)[number];

export const ReportRange = z.object({
  from: ChinaDay,
  to: ChinaDay,
  pointId: z
    .string()
    .max(64)
    .optional()
    .meta({ description: "One service point's figures (an agent always gets their own point's)" }),
});

export const SalesReportQuery = ReportRange.extend({
  by: z.enum(SALES_REPORT_BY).meta({
    description:
      "day/week (from Monday)/month: over time; channel; product; point: the buyers' service point; origin: where the goods were taken in (whose villagers earned)",
  }),
  channel: z.enum(SALE_CHANNELS).optional(),
});
export type SalesReportQuery = z.infer<typeof SalesReportQuery>;

/** Sums of the sales ledger: net of refunds, money in fen, quantities in the product's base unit. */
export const SalesFigures = z.object({
  orders: z.number().int().meta({ description: "Orders with a sale in the period" }),
  quantity: z.number().int().meta({ description: "Base units sold, net of refunds (by product only)" }),
  grossFen: z.number().int().meta({ description: "What buyers paid for the goods, net of refunds" }),
  commissionFen: z.number().int().meta({ description: "The co-op's commission on villagers' goods" }),
  villagerFen: z.number().int().meta({ description: "What the villagers earned" }),
});
export type SalesFigures = z.infer<typeof SalesFigures>;

export const SalesReportRow = SalesFigures.extend({
  key: z.string().meta({ description: "The day, week's Monday, month's first day, channel, or id" }),
  label: z.string().meta({ description: "What the key is, for people (Chinese first)" }),
  labelEn: z.string(),
  unit: z.string().nullable().meta({ description: "The base unit of a product row" }),
});
export type SalesReportRow = z.infer<typeof SalesReportRow>;

export const SalesReport = z
  .object({
    from: ChinaDay,
    to: ChinaDay,
    by: z.enum(SALES_REPORT_BY),
    pointId: z.string().nullable(),
    rows: z.array(SalesReportRow),
    totals: SalesFigures,
    asOf: z.iso.datetime().meta({ description: "The figures include every sale recorded before this time" }),
  })
  .meta({ id: "SalesReport" });
export type SalesReport = z.infer<typeof SalesReport>;

export const StockByPlace = z.object({
  locationId: z.string(),
  kind: z.enum(LOCATION_KINDS),
  name: z.string(),
  nameEn: z.string(),
  products: z.number().int(),
  valueFen: z.number().int().meta({ description: "On hand at the default sale unit's price" }),
});

export const ExpiringLot = z.object({
  lotId: z.string(),
  lotNo: z.string(),
  productName: z.string(),
  productNameEn: z.string(),
  locationName: z.string(),
  onHand: z.number().int(),
  unit: z.string(),
  bestBefore: ChinaDay,
});

export const SlowMover = z.object({
  productId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  onHand: z.number().int(),
  valueFen: z.number().int(),
});

export const Dashboard = z
  .object({
    from: ChinaDay,
    to: ChinaDay,
    pointId: z.string().nullable(),
    pointName: z.string().nullable(),
    pointNameEn: z.string().nullable(),
    totals: SalesFigures,
    overTimeBy: z.enum(["day", "week"]).meta({ description: "byDay's rows: days, or weeks over 92 days" }),
    byDay: z.array(SalesReportRow).meta({
      description: "Sales per day (per week from Monday over 92 days), every one in the range, 0 when none",
    }),
    byChannel: z.array(SalesReportRow),
    topProducts: z.array(SalesReportRow).meta({ description: "The 10 best sellers by money" }),
    topPoints: z
      .array(SalesReportRow)
      .meta({ description: "The 10 service points that sold most (co-op wide only)" }),
    payables: z
      .object({
        villagers: z.number().int(),
        owedFen: z.number().int().meta({ description: "What the co-op owes them now: their balances" }),
      })
      .meta({ description: "Villagers' balances now (of the point's villagers, for a point)" }),
    stock: z.object({
      valueFen: z.number().int(),
      byPlace: z.array(StockByPlace).meta({ description: "The 10 places holding most, by value" }),
      places: z.number().int(),
    }),
    expiring: z.object({
      lots: z.number().int().meta({ description: "Lots in stock whose best-before is within 7 days" }),
      first: z.array(ExpiringLot).meta({ description: "The 10 that expire first" }),
    }),
    slowMovers: z
      .array(SlowMover)
      .meta({ description: "In stock, nothing sold in the last 30 days: the 10 holding most value" }),
    orders: z.object({
      open: z.array(z.object({ status: z.enum(ORDER_STATUSES), count: z.number().int() })),
      pickupsWaiting: z.number().int().meta({ description: "Ready for pickup, not yet collected" }),
    }),
    /** Ratings given in the range (of the point's service, for a point); follow-ups open now. */
    ratings: RatingsSummary,
    asOf: z.iso.datetime(),
  })
  .meta({ id: "Dashboard" });
export type Dashboard = z.infer<typeof Dashboard>;
