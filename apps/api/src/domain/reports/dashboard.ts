import type { Executor } from "@coop/db";
import type { LocationKind, OrderStatus } from "@coop/db/schema";
import { addDays, chinaToday } from "@coop/shared";
import type { Dashboard, SalesReportRow } from "@coop/shared/contract";
import { sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";
import { ratingsSummary } from "../ratings/ratings-summary";
import { daysInRange, periodsOf } from "./report-periods";
import { salesReport } from "./sales-report";

/** Orders still being worked on: what the dashboard counts as open. */
const OPEN_STATUSES: OrderStatus[] = [
  "pending_payment",
  "confirmed",
  "paid",
  "preordered",
  "packed",
  "shipped",
  "ready_for_pickup",
];

/** A product unsold for this many days, with stock, is a slow mover. */
const SLOW_DAYS = 30;
const EXPIRING_DAYS = 7;
const TOP = 10;

/** The value of a level's units at the product's default sale unit's price (fen per base unit × units). */
const levelValue = sql`(s.on_hand::numeric * su.price_fen / su.size)`;

export interface DashboardInput {
  coopId: string;
  from: string;
  to: string;
  /** One service point's dashboard, or null for the co-op's. */
  pointId: string | null;
  now?: Date;
}

/**
 * The staff dashboard: sales of the range (from the rollups, like every report), and how things stand now —
 * what the co-op owes its villagers, stock and its value by place, lots about to expire, slow movers, orders
 * still open. For a point, all of it is that point's.
 */
export async function dashboard(db: Executor, input: DashboardInput): Promise<Dashboard> {
  const now = input.now ?? new Date();
  const today = chinaToday(now);
  const base = { coopId: input.coopId, from: input.from, to: input.to, pointId: input.pointId, now };
  const pointOnly = (column: string) =>
    input.pointId ? sql`AND ${sql.raw(column)} = ${input.pointId}` : sql``;

  const overTimeBy = daysInRange(input) > 92 ? "week" : "day";
  const overTime$ = salesReport(db, { ...base, by: overTimeBy });
  const byChannel$ = salesReport(db, { ...base, by: "channel" });
  const topProducts$ = salesReport(db, { ...base, by: "product", limit: TOP });
  const topPoints$ = input.pointId
    ? Promise.resolve(null)
    : salesReport(db, { ...base, by: "point", limit: TOP });

  const payables$ = sqlRows<{ villagers: string; owed: string | null }>(
    db,
    sql`SELECT count(*) AS villagers, sum(balance_fen) AS owed FROM consignors
        WHERE coop_id = ${input.coopId} AND balance_fen > 0 ${pointOnly("service_point_id")}`,
  );

  const places$ = sqlRows<{
    location_id: string;
    kind: LocationKind;
    name_zh: string;
    name_en: string;
    products: string;
    value: string;
  }>(
    db,
    sql`SELECT s.location_id, l.kind, l.name_zh, l.name_en, count(*) AS products, round(sum(${levelValue})) AS value
        FROM stock_levels s
        JOIN locations l ON l.id = s.location_id
        JOIN sale_units su ON su.product_id = s.product_id AND su.is_default
        WHERE l.coop_id = ${input.coopId} AND s.on_hand > 0 ${pointOnly("s.location_id")}
        GROUP BY s.location_id, l.kind, l.name_zh, l.name_en
        ORDER BY value DESC, s.location_id`,
  );

  const expiringBy = addDays(today, EXPIRING_DAYS);
  const expiringCount$ = sqlRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM lots
        WHERE coop_id = ${input.coopId} AND status = 'in_stock' AND on_hand > 0
          AND best_before <= ${expiringBy}::date ${pointOnly("location_id")}`,
  );
  const expiring$ = sqlRows<{
    id: string;
    lot_no: string;
    name_zh: string;
    name_en: string;
    location: string;
    on_hand: number;
    unit: string;
    best_before: string;
  }>(
    db,
    sql`SELECT lots.id, lots.lot_no, p.name_zh, p.name_en, l.name_zh AS location, lots.on_hand, p.unit,
          to_char(lots.best_before, 'YYYY-MM-DD') AS best_before
        FROM lots JOIN products p ON p.id = lots.product_id JOIN locations l ON l.id = lots.location_id
        WHERE lots.coop_id = ${input.coopId} AND lots.status = 'in_stock' AND lots.on_hand > 0
          AND lots.best_before <= ${expiringBy}::date ${pointOnly("lots.location_id")}
        ORDER BY lots.best_before, lots.id
        LIMIT ${TOP}`,
  );

  // Sold in the last 30 days: from the product rollups co-op wide, from the ledger for one point.
  const soldSince = addDays(today, -SLOW_DAYS);
  const recentlySold = input.pointId
    ? sql`SELECT DISTINCT product_id FROM sale_entries
          WHERE point_id = ${input.pointId} AND kind = 'sale'
            AND created_at >= ((${soldSince}::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'`
    : sql`SELECT DISTINCT key FROM sales_rollups
          WHERE coop_id = ${input.coopId} AND dimension = 'product' AND grain = 'day' AND period >= ${soldSince}::date
          UNION SELECT DISTINCT product_id FROM sale_entries
          WHERE created_at >= ((${addDays(today, -1)}::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'`;
  const slow$ = sqlRows<{
    id: string;
    name_zh: string;
    name_en: string;
    unit: string;
    on_hand: string;
    value: string;
  }>(
    db,
    sql`SELECT p.id, p.name_zh, p.name_en, p.unit, sum(s.on_hand) AS on_hand, round(sum(${levelValue})) AS value
        FROM stock_levels s
        JOIN products p ON p.id = s.product_id
        JOIN sale_units su ON su.product_id = s.product_id AND su.is_default
        WHERE p.coop_id = ${input.coopId} AND s.on_hand > 0 ${pointOnly("s.location_id")}
          AND s.product_id NOT IN (${recentlySold})
        GROUP BY p.id, p.name_zh, p.name_en, p.unit
        ORDER BY value DESC, p.id
        LIMIT ${TOP}`,
  );

  const point$ = input.pointId
    ? sqlRows<{ name_zh: string; name_en: string }>(
        db,
        sql`SELECT name_zh, name_en FROM locations WHERE id = ${input.pointId} AND coop_id = ${input.coopId}`,
      )
    : Promise.resolve([]);

  const open$ = sqlRows<{ status: OrderStatus; n: string }>(
    db,
    sql`SELECT status, count(*) AS n FROM orders
        WHERE coop_id = ${input.coopId} AND status IN ${OPEN_STATUSES} ${pointOnly("pickup_location_id")}
        GROUP BY status`,
  );
  // Independent reads: side by side on the pool's connections (PGlite runs them one after another).
  const [
    overTime,
    byChannel,
    topProducts,
    topPoints,
    [payables],
    places,
    [expiringCount],
    expiring,
    slow,
    [point],
    open,
    ratings,
  ] = await Promise.all([
    overTime$,
    byChannel$,
    topProducts$,
    topPoints$,
    payables$,
    places$,
    expiringCount$,
    expiring$,
    slow$,
    point$,
    open$,
    // Ratings given in the range, of the point's service for a point (decision 0046).
    ratingsSummary(db, base),
  ]);

  const counts = new Map(open.map((o) => [o.status, Number(o.n)]));

  return {
    from: input.from,
    to: input.to,
    pointId: input.pointId,
    pointName: point?.name_zh ?? null,
    pointNameEn: point?.name_en ?? null,
    totals: overTime.totals,
    overTimeBy,
    byDay: withEmptyPeriods(overTime.rows, periodsOf(input, overTimeBy)),
    byChannel: byChannel.rows,
    topProducts: topProducts.rows,
    topPoints: topPoints?.rows ?? [],
    payables: { villagers: Number(payables?.villagers ?? 0), owedFen: Number(payables?.owed ?? 0) },
    stock: {
      valueFen: places.reduce((sum, p) => sum + Number(p.value), 0),
      places: places.length,
      byPlace: places.slice(0, TOP).map((p) => ({
        locationId: p.location_id,
        kind: p.kind,
        name: p.name_zh,
        nameEn: p.name_en,
        products: Number(p.products),
        valueFen: Number(p.value),
      })),
    },
    expiring: {
      lots: Number(expiringCount?.n ?? 0),
      first: expiring.map((l) => ({
        lotId: l.id,
        lotNo: l.lot_no,
        productName: l.name_zh,
        productNameEn: l.name_en,
        locationName: l.location,
        onHand: l.on_hand,
        unit: l.unit,
        bestBefore: l.best_before,
      })),
    },
    slowMovers: slow.map((s) => ({
      productId: s.id,
      name: s.name_zh,
      nameEn: s.name_en,
      unit: s.unit,
      onHand: Number(s.on_hand),
      valueFen: Number(s.value),
    })),
    orders: {
      open: OPEN_STATUSES.filter((s) => counts.has(s)).map((status) => ({
        status,
        count: counts.get(status)!,
      })),
      pickupsWaiting: counts.get("ready_for_pickup") ?? 0,
    },
    ratings,
    asOf: now.toISOString(),
  };
}

/** A chart over time shows the days (weeks) nothing was sold, at zero, not a line drawn across them. */
function withEmptyPeriods(rows: SalesReportRow[], periods: string[]): SalesReportRow[] {
  const sold = new Map(rows.map((r) => [r.key, r]));
  return periods.map(
    (key) =>
      sold.get(key) ?? {
        key,
        label: key,
        labelEn: key,
        unit: null,
        orders: 0,
        quantity: 0,
        grossFen: 0,
        commissionFen: 0,
        villagerFen: 0,
      },
  );
}
