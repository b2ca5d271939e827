import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/**
 * The bookkeeping invariants of consignment, checked straight in SQL: each returns the rows that break one,
 * so a passing check is an empty list (and a failing one shows what is wrong).
 */
export const ledgerViolations = {
  /** A lot whose on-hand differs from the sum of its ledger lines. */
  lots: (db: Executor) =>
    rows(
      db,
      sql`SELECT l.id, l.on_hand, coalesce(sum(m.quantity_delta), 0)::int AS ledger
          FROM lots l LEFT JOIN stock_movements m ON m.lot_id = l.id
          GROUP BY l.id HAVING l.on_hand <> coalesce(sum(m.quantity_delta), 0)`,
    ),
  /** A stock level that differs from the ledger at its place, or ledger lines at a place with no level. */
  levels: (db: Executor) =>
    rows(
      db,
      sql`SELECT coalesce(s.product_id, m.product_id) AS product_id, coalesce(s.location_id, m.location_id) AS location_id,
                 s.on_hand, m.total
          FROM stock_levels s
          FULL JOIN (SELECT product_id, location_id, sum(quantity_delta)::int AS total FROM stock_movements GROUP BY 1, 2) m
            ON m.product_id = s.product_id AND m.location_id = s.location_id
          WHERE coalesce(s.on_hand, 0) <> coalesce(m.total, 0)`,
    ),
  /** Lot quantities per place differ from the stock level there (lots are the detail of a level). */
  lotsVsLevels: (db: Executor) =>
    rows(
      db,
      sql`SELECT s.product_id, s.location_id, s.on_hand, coalesce(l.total, 0) AS lots
          FROM stock_levels s
          LEFT JOIN (SELECT product_id, location_id, sum(on_hand)::int AS total FROM lots GROUP BY 1, 2) l
            ON l.product_id = s.product_id AND l.location_id = s.location_id
          WHERE s.on_hand <> coalesce(l.total, 0)`,
    ),
  /** A villager whose balance differs from the sum of their money ledger. */
  balances: (db: Executor) =>
    rows(
      db,
      sql`SELECT c.id, c.balance_fen, coalesce(sum(e.amount_fen), 0) AS ledger
          FROM consignors c LEFT JOIN consignor_entries e ON e.consignor_id = c.id
          GROUP BY c.id HAVING c.balance_fen <> coalesce(sum(e.amount_fen), 0)`,
    ),
  /** A sale credit whose villager share and commission do not add up to the sale. */
  saleSplits: (db: Executor) =>
    rows(
      db,
      sql`SELECT id FROM consignor_entries WHERE kind = 'sale_credit' AND gross_fen <> amount_fen + commission_fen`,
    ),
  /**
   * A sold order line whose sales-ledger lines (decision 0044) do not sum to what it sold for: its line total
   * while it stands, nothing once the order is refunded.
   */
  salesLedgerLines: (db: Executor) =>
    rows(
      db,
      sql`SELECT l.id, o.status, l.line_total_fen, coalesce(e.gross, 0) AS ledger
          FROM order_lines l JOIN orders o ON o.id = l.order_id
          LEFT JOIN (SELECT order_line_id, sum(gross_fen) AS gross FROM sale_entries GROUP BY 1) e
            ON e.order_line_id = l.id
          WHERE EXISTS (SELECT 1 FROM order_line_lots ol WHERE ol.order_line_id = l.id)
            AND coalesce(e.gross, 0) <>
                CASE WHEN o.status IN ('refunded', 'cancelled') THEN 0 ELSE l.line_total_fen END`,
    ),
  /** A villager whose sales-ledger share differs from their money ledger's credits for order lines. */
  salesLedgerVillagers: (db: Executor) =>
    rows(
      db,
      sql`SELECT coalesce(s.consignor_id, c.consignor_id) AS consignor_id, s.total AS sales, c.total AS credits
          FROM (SELECT consignor_id, sum(villager_fen) AS total FROM sale_entries
                WHERE consignor_id IS NOT NULL GROUP BY 1) s
          FULL JOIN (SELECT consignor_id, sum(amount_fen) AS total FROM consignor_entries
                     WHERE kind IN ('sale_credit', 'sale_reversal') AND order_line_id IS NOT NULL GROUP BY 1) c
            ON c.consignor_id = s.consignor_id
          WHERE coalesce(s.total, 0) <> coalesce(c.total, 0)`,
    ),
  negatives: (db: Executor) =>
    rows(
      db,
      sql`SELECT 'lot' AS what, id FROM lots WHERE on_hand < 0
          UNION ALL SELECT 'level', product_id FROM stock_levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand`,
    ),
};

export async function allLedgerViolations(db: Executor) {
  const out: Record<string, unknown[]> = {};
  for (const [name, check] of Object.entries(ledgerViolations)) {
    const found = await check(db);
    if (found.length) out[name] = found;
  }
  return out;
}

export async function tableCounts(db: Executor) {
  const [row] = await rows<Record<string, string | number>>(
    db,
    sql`SELECT (SELECT count(*) FROM lots) AS lots, (SELECT count(*) FROM stock_movements) AS movements,
               (SELECT count(*) FROM consignors) AS consignors, (SELECT count(*) FROM consignor_entries) AS entries,
               (SELECT count(*) FROM payouts) AS payouts, (SELECT count(*) FROM lot_photos) AS photos,
               (SELECT count(*) FROM collection_runs) AS runs`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}
