import type { ExportDataset } from "@coop/shared/contract";
import { type SQL, sql } from "drizzle-orm";

// What each export holds (decision 0043). Every dataset is read in pages in the order of (created_at, id),
// each page a short query that starts after the last row of the one before (keyset), so an export of a
// year holds no transaction open and no more than a page in memory, on PGlite as on PostgreSQL. The ledgers
// are append-only, so a range in the past reads the same rows however long the download takes.

/** Who may see what: the co-op, and for an agent (or an admin narrowing it) one service point. */
export interface ExportScope {
  coopId: string;
  pointId: string | null;
  /** China days, inclusive. */
  from: string;
  to: string;
}

/** Where the next page starts: the last row's created_at (as PostgreSQL's text, to the microsecond) and id. */
export interface PageCursor {
  at: string;
  id: string;
}

export interface Column {
  key: string;
  /** The heading in the XLSX file, for the co-op's staff (the CSV keeps the stable keys). */
  label: string;
}

export interface Dataset {
  /** The sheet's name in the XLSX file. */
  sheet: string;
  columns: readonly Column[];
  /** One page: rows with the columns' keys, plus cursor_at and cursor_id of the row. */
  page(scope: ExportScope, after: PageCursor | null, limit: number): SQL;
}

/** An instant as China wall-clock time with its offset, e.g. 2026-12-04T10:00:00+08:00. */
const chinaTime = (column: string) =>
  sql.raw(`to_char((${column} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`);
/** Fen as yuan with two decimals, exact (numeric, never a float). */
const yuan = (column: string) => sql.raw(`to_char(${column} / 100.0, 'FM9999999999990.00')`);
/** The range's China days as instants: [from 00:00, the day after `to` 00:00) China time. */
const inRange = (column: string, s: ExportScope) =>
  sql`${sql.raw(column)} >= ((${s.from}::date)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
      AND ${sql.raw(column)} < (((${s.to}::date) + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'`;
const after = (at: string, id: string, c: PageCursor | null) =>
  c ? sql`AND (${sql.raw(at)}, ${sql.raw(id)}) > (${c.at}::timestamptz, ${c.id})` : sql``;
const point = (column: string, s: ExportScope) =>
  s.pointId ? sql`AND ${sql.raw(column)} = ${s.pointId}` : sql``;

const QUANTITIES = new Set([
  "units",
  "unit_size",
  "quantity",
  "quantity_delta",
  "on_hand",
  "reserved",
  "available",
  "low_stock_threshold",
]);

/** Money (fen and yuan) and quantities: numbers in a spreadsheet, not text. */
export function isNumericColumn(key: string): boolean {
  return key.endsWith("_fen") || key.endsWith("_yuan") || QUANTITIES.has(key);
}

const money = (key: string, label: string): Column[] => [
  { key: `${key}_fen`, label: `${label}（分）` },
  { key: `${key}_yuan`, label: `${label}（元）` },
];

const orderColumns: Column[] = [
  { key: "order_id", label: "订单号" },
  { key: "created_at", label: "下单时间" },
  { key: "status", label: "状态" },
  { key: "fulfilment", label: "取货方式" },
  { key: "pickup_point_code", label: "服务点编号" },
  { key: "pickup_point", label: "服务点" },
  { key: "payment_method", label: "付款方式" },
  { key: "channel", label: "渠道" },
  { key: "contact_name", label: "联系人" },
  { key: "contact_phone", label: "电话" },
  ...money("subtotal", "货款"),
  ...money("delivery_fee", "运费"),
  ...money("total", "合计"),
];

/** The order's channel, by the rule of saleChannelOf (@coop/shared), in SQL. */
const channelSql = sql.raw(`CASE WHEN o.flash_sale_id IS NOT NULL THEN 'flash_sale'
  WHEN o.campaign_id IS NOT NULL THEN 'campaign' WHEN o.placed_by_user_id IS NOT NULL THEN 'assisted'
  WHEN o.payment_method = 'cash_on_pickup' THEN 'cash' ELSE 'online' END`);

export const DATASETS: Record<ExportDataset, Dataset> = {
  orders: {
    sheet: "订单 orders",
    columns: orderColumns,
    page: (s, c, limit) => sql`
      SELECT o.id AS order_id, ${chinaTime("o.created_at")} AS created_at, o.status, o.fulfilment_type AS fulfilment,
             p.code AS pickup_point_code, p.name_zh AS pickup_point, o.payment_method, ${channelSql} AS channel,
             o.contact_name, o.contact_phone,
             o.subtotal_fen, ${yuan("o.subtotal_fen")} AS subtotal_yuan,
             o.delivery_fee_fen, ${yuan("o.delivery_fee_fen")} AS delivery_fee_yuan,
             o.total_fen, ${yuan("o.total_fen")} AS total_yuan,
             o.created_at::text AS cursor_at, o.id AS cursor_id
      FROM orders o LEFT JOIN locations p ON p.id = o.pickup_location_id
      WHERE o.coop_id = ${s.coopId} AND ${inRange("o.created_at", s)} ${point("o.pickup_location_id", s)}
        ${after("o.created_at", "o.id", c)}
      ORDER BY o.created_at, o.id LIMIT ${limit}`,
  },
  "order-lines": {
    sheet: "订单明细 order lines",
    columns: [
      { key: "order_id", label: "订单号" },
      { key: "line_id", label: "明细号" },
      { key: "created_at", label: "下单时间" },
      { key: "status", label: "订单状态" },
      { key: "pickup_point_code", label: "服务点编号" },
      { key: "sku", label: "货号" },
      { key: "product", label: "产品" },
      { key: "from_location", label: "发货地" },
      { key: "units", label: "件数" },
      { key: "unit_size", label: "每件（基本单位）" },
      { key: "quantity", label: "数量（基本单位）" },
      { key: "base_unit", label: "基本单位" },
      ...money("unit_price", "单价"),
      ...money("line_total", "金额"),
    ],
    // Pages of orders (keyset on the order), each with all its lines: an order's lines never split.
    page: (s, c, limit) => sql`
      WITH o AS (
        SELECT o.id, o.created_at, o.status, o.pickup_location_id FROM orders o
        WHERE o.coop_id = ${s.coopId} AND ${inRange("o.created_at", s)} ${point("o.pickup_location_id", s)}
          ${after("o.created_at", "o.id", c)}
        ORDER BY o.created_at, o.id LIMIT ${limit}
      )
      SELECT o.id AS order_id, l.id AS line_id, ${chinaTime("o.created_at")} AS created_at, o.status,
             p.code AS pickup_point_code, pr.sku, pr.name_zh AS product, f.code AS from_location,
             l.units, l.unit_size, l.quantity, pr.unit AS base_unit,
             l.unit_price_fen, ${yuan("l.unit_price_fen")} AS unit_price_yuan,
             l.line_total_fen, ${yuan("l.line_total_fen")} AS line_total_yuan,
             o.created_at::text AS cursor_at, o.id AS cursor_id
      FROM o JOIN order_lines l ON l.order_id = o.id
      JOIN products pr ON pr.id = l.product_id
      JOIN locations f ON f.id = l.location_id
      LEFT JOIN locations p ON p.id = o.pickup_location_id
      ORDER BY o.created_at, o.id, l.id`,
  },
  "consignor-entries": {
    sheet: "村民账 statements",
    columns: [
      { key: "entry_id", label: "流水号" },
      { key: "created_at", label: "时间" },
      { key: "consignor_id", label: "村民编号" },
      { key: "consignor", label: "村民" },
      { key: "service_point_code", label: "服务点编号" },
      { key: "kind", label: "类别" },
      ...money("amount", "金额"),
      ...money("gross", "售价"),
      ...money("commission", "佣金"),
      { key: "quantity", label: "数量" },
      { key: "lot_id", label: "批次" },
      { key: "order_id", label: "订单号" },
      { key: "payout_id", label: "结算单" },
      { key: "note", label: "说明" },
    ],
    page: (s, c, limit) => sql`
      SELECT e.id AS entry_id, ${chinaTime("e.created_at")} AS created_at, e.consignor_id, v.name AS consignor,
             sp.code AS service_point_code, e.kind,
             e.amount_fen, ${yuan("e.amount_fen")} AS amount_yuan,
             e.gross_fen, ${yuan("e.gross_fen")} AS gross_yuan,
             e.commission_fen, ${yuan("e.commission_fen")} AS commission_yuan,
             e.quantity, e.lot_id, e.order_id, e.payout_id, e.note,
             e.created_at::text AS cursor_at, e.id AS cursor_id
      FROM consignor_entries e JOIN consignors v ON v.id = e.consignor_id
      LEFT JOIN locations sp ON sp.id = v.service_point_id
      WHERE v.coop_id = ${s.coopId} AND ${inRange("e.created_at", s)} ${point("v.service_point_id", s)}
        ${after("e.created_at", "e.id", c)}
      ORDER BY e.created_at, e.id LIMIT ${limit}`,
  },
  payouts: {
    sheet: "结算 payouts",
    columns: [
      { key: "payout_id", label: "结算单" },
      { key: "created_at", label: "时间" },
      { key: "consignor_id", label: "村民编号" },
      { key: "consignor", label: "村民" },
      { key: "service_point_code", label: "服务点编号" },
      { key: "method", label: "方式" },
      ...money("amount", "金额"),
      ...money("balance_after", "结算后余额"),
      { key: "paid_by", label: "经手人" },
      { key: "note", label: "说明" },
    ],
    page: (s, c, limit) => sql`
      SELECT y.id AS payout_id, ${chinaTime("y.created_at")} AS created_at, y.consignor_id, v.name AS consignor,
             sp.code AS service_point_code, y.method,
             y.amount_fen, ${yuan("y.amount_fen")} AS amount_yuan,
             y.balance_after_fen, ${yuan("y.balance_after_fen")} AS balance_after_yuan,
             u.display_name AS paid_by, y.note,
             y.created_at::text AS cursor_at, y.id AS cursor_id
      FROM payouts y JOIN consignors v ON v.id = y.consignor_id
      LEFT JOIN locations sp ON sp.id = y.service_point_id
      LEFT JOIN staff_users u ON u.id = y.paid_by_user_id
      WHERE v.coop_id = ${s.coopId} AND ${inRange("y.created_at", s)} ${point("y.service_point_id", s)}
        ${after("y.created_at", "y.id", c)}
      ORDER BY y.created_at, y.id LIMIT ${limit}`,
  },
  "stock-movements": {
    sheet: "库存流水 stock ledger",
    columns: [
      { key: "movement_id", label: "流水号" },
      { key: "created_at", label: "时间" },
      { key: "location_code", label: "地方编号" },
      { key: "location", label: "地方" },
      { key: "sku", label: "货号" },
      { key: "product", label: "产品" },
      { key: "lot_id", label: "批次" },
      { key: "kind", label: "类别" },
      { key: "quantity_delta", label: "数量变化（基本单位）" },
      { key: "base_unit", label: "基本单位" },
      { key: "order_id", label: "订单号" },
      { key: "reason", label: "原因" },
    ],
    page: (s, c, limit) => sql`
      SELECT m.id AS movement_id, ${chinaTime("m.created_at")} AS created_at, l.code AS location_code,
             l.name_zh AS location, pr.sku, pr.name_zh AS product, m.lot_id, m.kind, m.quantity_delta,
             pr.unit AS base_unit, m.order_id, m.reason,
             m.created_at::text AS cursor_at, m.id AS cursor_id
      FROM stock_movements m JOIN products pr ON pr.id = m.product_id JOIN locations l ON l.id = m.location_id
      WHERE pr.coop_id = ${s.coopId} AND ${inRange("m.created_at", s)} ${point("m.location_id", s)}
        ${after("m.created_at", "m.id", c)}
      ORDER BY m.created_at, m.id LIMIT ${limit}`,
  },
  "sale-entries": {
    sheet: "销售账 sales ledger",
    columns: [
      { key: "entry_id", label: "流水号" },
      { key: "created_at", label: "时间" },
      { key: "kind", label: "类别" },
      { key: "channel", label: "渠道" },
      { key: "order_id", label: "订单号" },
      { key: "line_id", label: "明细号" },
      { key: "lot_id", label: "批次" },
      { key: "sku", label: "货号" },
      { key: "product", label: "产品" },
      { key: "pickup_point_code", label: "服务点编号" },
      { key: "origin_code", label: "货源地编号" },
      { key: "consignor_id", label: "村民编号" },
      { key: "quantity", label: "数量（基本单位）" },
      ...money("gross", "售价"),
      ...money("commission", "佣金"),
      ...money("villager", "村民所得"),
    ],
    page: (s, c, limit) => sql`
      SELECT e.id AS entry_id, ${chinaTime("e.created_at")} AS created_at, e.kind, e.channel, e.order_id,
             e.order_line_id AS line_id, e.lot_id, pr.sku, pr.name_zh AS product, p.code AS pickup_point_code,
             g.code AS origin_code, e.consignor_id, e.quantity,
             e.gross_fen, ${yuan("e.gross_fen")} AS gross_yuan,
             e.commission_fen, ${yuan("e.commission_fen")} AS commission_yuan,
             e.villager_fen, ${yuan("e.villager_fen")} AS villager_yuan,
             e.created_at::text AS cursor_at, e.id AS cursor_id
      FROM sale_entries e JOIN products pr ON pr.id = e.product_id
      LEFT JOIN locations p ON p.id = e.point_id JOIN locations g ON g.id = e.origin_location_id
      WHERE e.coop_id = ${s.coopId} AND ${inRange("e.created_at", s)} ${point("e.point_id", s)}
        ${after("e.created_at", "e.id", c)}
      ORDER BY e.created_at, e.id LIMIT ${limit}`,
  },
  // How stock stands now (the range does not apply): keyset on the level's key instead of a time.
  "stock-levels": {
    sheet: "库存 stock",
    columns: [
      { key: "location_code", label: "地方编号" },
      { key: "location", label: "地方" },
      { key: "sku", label: "货号" },
      { key: "product", label: "产品" },
      { key: "on_hand", label: "在库（基本单位）" },
      { key: "reserved", label: "已订（基本单位）" },
      { key: "available", label: "可卖（基本单位）" },
      { key: "base_unit", label: "基本单位" },
      { key: "low_stock_threshold", label: "补货线" },
    ],
    page: (s, c, limit) => sql`
      SELECT l.code AS location_code, l.name_zh AS location, pr.sku, pr.name_zh AS product, k.on_hand, k.reserved,
             k.on_hand - k.reserved AS available, pr.unit AS base_unit, k.low_stock_threshold,
             k.location_id AS cursor_at, k.product_id AS cursor_id
      FROM stock_levels k JOIN products pr ON pr.id = k.product_id JOIN locations l ON l.id = k.location_id
      WHERE pr.coop_id = ${s.coopId} ${point("k.location_id", s)}
        ${c ? sql`AND (k.location_id, k.product_id) > (${c.at}, ${c.id})` : sql``}
      ORDER BY k.location_id, k.product_id LIMIT ${limit}`,
  },
};
