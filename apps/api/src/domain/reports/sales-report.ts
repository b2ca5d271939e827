import type { Executor } from "@coop/db";
import { locations, products, type RollupDimension, type SaleChannel } from "@coop/db/schema";
import { addDays, chinaToday } from "@coop/shared";
import type { SalesFigures, SalesReport, SalesReportBy, SalesReportRow } from "@coop/shared/contract";
import { inArray, type SQL, sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";
import { type DayRange, planRange } from "./report-periods";

export interface SalesReportInput extends DayRange {
  coopId: string;
  by: SalesReportBy;
  /** One service point's figures, or null for the co-op's. */
  pointId: string | null;
  channel?: SaleChannel | undefined;
  /** Rows beyond this many (by money) are left out; the totals still count them. */
  limit?: number;
  now?: Date;
}

export const CHANNEL_LABELS: Record<SaleChannel, { zh: string; en: string }> = {
  online: { zh: "网上下单付款", en: "Online, paid online" },
  cash: { zh: "到点付现金", en: "Online, cash at pickup" },
  assisted: { zh: "代办员代下单", en: "Placed by an agent" },
  campaign: { zh: "订单农业预订", en: "Harvest pre-order" },
  flash_sale: { zh: "直播秒杀", en: "Live-stream flash sale" },
};

const TIME_GRAINS = new Set<SalesReportBy>(["day", "week", "month"]);

/** Which rollup dimension a report reads, and which key in it (null: every key). */
function dimensionOf(
  by: SalesReportBy,
  pointId: string | null,
): { dimension: RollupDimension; key: string | null } {
  if (by === "product") return { dimension: "product", key: null };
  if (by === "origin") return { dimension: "origin", key: pointId };
  if (by === "point" || pointId) return { dimension: "point", key: pointId };
  return { dimension: "all", key: "" };
}

/** The ledger's column each dimension keys on. */
const LEDGER_KEY: Record<RollupDimension, SQL> = {
  all: sql`''`,
  point: sql`coalesce(point_id, '')`,
  product: sql`product_id`,
  origin: sql`origin_location_id`,
};

const dayStart = (day: string) => sql`((${day}::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'`;

/**
 * A sales report over a range of China days, from the rollups and (for yesterday and today, and for a
 * point's products, which have no rollup) the sales ledger itself; every figure is net of refunds.
 */
export async function salesReport(db: Executor, input: SalesReportInput): Promise<SalesReport> {
  const now = input.now ?? new Date();
  const liveFrom = addDays(chinaToday(now), -1);
  const { dimension, key } = dimensionOf(input.by, input.pointId);
  // A point's sales by product are read from the ledger (by the point's index): there is no rollup of them.
  const pointProducts = input.pointId !== null && input.by === "product";
  const plan = pointProducts
    ? { months: null, days: [], live: { from: input.from, to: input.to } }
    : planRange(input, liveFrom);

  const channel = input.channel ? sql`AND channel = ${input.channel}` : sql``;
  const rolledKey = key === null ? sql`` : sql`AND key = ${key}`;
  const parts: SQL[] = [];
  // One SELECT per span (not one OR of them), so each is an index-only scan of the figures index (0031).
  const rolled = (grain: "day" | "month", from: string, before: SQL) => sql`
      SELECT period, key, channel, orders, quantity, gross_fen, commission_fen, villager_fen
      FROM sales_rollups
      WHERE coop_id = ${input.coopId} AND dimension = ${dimension} AND grain = ${grain}
        AND period >= ${from}::date AND ${before} ${rolledKey} ${channel}`;
  if (plan.months) {
    parts.push(rolled("month", plan.months.from, sql`period < ${plan.months.toExclusive}::date`));
  }
  for (const d of plan.days) parts.push(rolled("day", d.from, sql`period <= ${d.to}::date`));
  if (plan.live) {
    const ledgerKey = pointProducts ? LEDGER_KEY.product : LEDGER_KEY[dimension];
    const scope = !input.pointId
      ? sql``
      : dimension === "origin"
        ? sql`AND origin_location_id = ${input.pointId}`
        : sql`AND point_id = ${input.pointId}`;
    parts.push(sql`
      SELECT coop_china_day(created_at) AS period, ${ledgerKey} AS key, channel,
        count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders, sum(quantity) AS quantity,
        sum(gross_fen) AS gross_fen, sum(commission_fen) AS commission_fen, sum(villager_fen) AS villager_fen
      FROM sale_entries
      WHERE coop_id = ${input.coopId} ${scope} ${channel}
        AND created_at >= ${dayStart(plan.live.from)} AND created_at < ${dayStart(addDays(plan.live.to, 1))}
      GROUP BY 1, 2, 3`);
  }

  const bucket =
    input.by === "day"
      ? sql`to_char(period, 'YYYY-MM-DD')`
      : input.by === "week"
        ? sql`to_char(date_trunc('week', period), 'YYYY-MM-DD')`
        : input.by === "month"
          ? sql`to_char(date_trunc('month', period), 'YYYY-MM-DD')`
          : input.by === "channel"
            ? sql`channel`
            : sql`key`;
  type Row = {
    key: string;
    orders: string;
    quantity: string;
    gross: string;
    commission: string;
    villager: string;
  };
  const rows: Row[] =
    parts.length === 0
      ? []
      : await sqlRows<Row>(
          db,
          sql`SELECT ${bucket} AS key, sum(orders) AS orders, sum(quantity) AS quantity, sum(gross_fen) AS gross,
                sum(commission_fen) AS commission, sum(villager_fen) AS villager
              FROM (${sql.join(parts, sql` UNION ALL `)}) source
              GROUP BY 1`,
        );

  const figures = rows.map((r) => ({
    key: r.key,
    orders: Number(r.orders),
    // Base units of different products do not add up: only a product row's quantity means something.
    quantity: input.by === "product" ? Number(r.quantity) : 0,
    grossFen: Number(r.gross),
    commissionFen: Number(r.commission),
    villagerFen: Number(r.villager),
  }));
  const totals = figures.reduce<SalesFigures>(
    (t, f) => ({
      orders: t.orders + f.orders,
      quantity: t.quantity + f.quantity,
      grossFen: t.grossFen + f.grossFen,
      commissionFen: t.commissionFen + f.commissionFen,
      villagerFen: t.villagerFen + f.villagerFen,
    }),
    { orders: 0, quantity: 0, grossFen: 0, commissionFen: 0, villagerFen: 0 },
  );
  // An order with two products (or goods of two points' villagers) counts in two rows: its count is taken
  // from the report over time, which sums the same ledger lines without splitting an order.
  // A top-N (the dashboard's) shows rows, not the total: it is spared the second read.
  if (input.limit === undefined && (input.by === "product" || (input.by === "origin" && !input.pointId))) {
    totals.orders = (await salesReport(db, { ...input, by: "month", limit: undefined })).totals.orders;
  }
  if (TIME_GRAINS.has(input.by)) figures.sort((a, b) => (a.key < b.key ? -1 : 1));
  else figures.sort((a, b) => b.grossFen - a.grossFen || (a.key < b.key ? -1 : 1));
  const kept = input.limit ? figures.slice(0, input.limit) : figures;
  const labelled = await label(db, input.by, kept);
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    pointId: input.pointId,
    rows: labelled,
    totals,
    asOf: now.toISOString(),
  };
}

async function label(
  db: Executor,
  by: SalesReportBy,
  figures: Array<Omit<SalesReportRow, "label" | "labelEn" | "unit">>,
): Promise<SalesReportRow[]> {
  if (by === "channel") {
    return figures.map((f) => {
      const l = CHANNEL_LABELS[f.key as SaleChannel];
      return { ...f, label: l?.zh ?? f.key, labelEn: l?.en ?? f.key, unit: null };
    });
  }
  if (by === "product") {
    const ids = figures.map((f) => f.key);
    const names =
      ids.length === 0
        ? []
        : await db
            .select({ id: products.id, zh: products.nameZh, en: products.nameEn, unit: products.unit })
            .from(products)
            .where(inArray(products.id, ids));
    const byId = new Map(names.map((n) => [n.id, n]));
    return figures.map((f) => {
      const n = byId.get(f.key);
      return { ...f, label: n?.zh ?? f.key, labelEn: n?.en ?? f.key, unit: n?.unit ?? null };
    });
  }
  if (by === "point" || by === "origin") {
    const ids = figures.map((f) => f.key).filter((k) => k !== "");
    const names =
      ids.length === 0
        ? []
        : await db
            .select({ id: locations.id, zh: locations.nameZh, en: locations.nameEn })
            .from(locations)
            .where(inArray(locations.id, ids));
    const byId = new Map(names.map((n) => [n.id, n]));
    return figures.map((f) => {
      if (f.key === "") return { ...f, label: "送货上门", labelEn: "Delivered to an address", unit: null };
      const n = byId.get(f.key);
      return { ...f, label: n?.zh ?? f.key, labelEn: n?.en ?? f.key, unit: null };
    });
  }
  return figures.map((f) => ({ ...f, label: f.key, labelEn: f.key, unit: null }));
}
