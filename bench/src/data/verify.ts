import type { Sql } from "postgres";

/**
 * The bookkeeping invariants the API's tests check (apps/api/test/ledger-checks.ts), plus the order sums,
 * run on the generated database: each query returns how many rows break the rule, so 0 everywhere passes.
 */
export const INVARIANTS: Record<string, string> = {
  "lot on_hand = sum of its stock_movements": `SELECT count(*) FROM (SELECT l.id FROM lots l LEFT JOIN stock_movements m ON m.lot_id = l.id GROUP BY l.id HAVING l.on_hand <> coalesce(sum(m.quantity_delta), 0)) x`,
  "stock_levels = ledger sum per (product, location)": `SELECT count(*) FROM stock_levels s FULL JOIN (SELECT product_id, location_id, sum(quantity_delta)::int AS total FROM stock_movements GROUP BY 1, 2) m ON m.product_id = s.product_id AND m.location_id = s.location_id WHERE coalesce(s.on_hand, 0) <> coalesce(m.total, 0)`,
  "stock_levels = lots on hand per (product, location)": `SELECT count(*) FROM stock_levels s LEFT JOIN (SELECT product_id, location_id, sum(on_hand)::int AS total FROM lots GROUP BY 1, 2) l ON l.product_id = s.product_id AND l.location_id = s.location_id WHERE s.on_hand <> coalesce(l.total, 0)`,
  "consignors.balance_fen = sum of consignor_entries": `SELECT count(*) FROM (SELECT c.id FROM consignors c LEFT JOIN consignor_entries e ON e.consignor_id = c.id GROUP BY c.id HAVING c.balance_fen <> coalesce(sum(e.amount_fen), 0)) x`,
  "sale_credit gross = amount + commission": `SELECT count(*) FROM consignor_entries WHERE kind = 'sale_credit' AND gross_fen <> amount_fen + commission_fen`,
  "no negative stock, reserved <= on_hand": `SELECT (SELECT count(*) FROM lots WHERE on_hand < 0) + (SELECT count(*) FROM stock_levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand)`,
  "order subtotal = sum of its lines": `SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(line_total_fen) AS s FROM order_lines GROUP BY 1) l ON l.order_id = o.id WHERE o.subtotal_fen <> l.s`,
  "sold line quantity = sum of its order_line_lots": `SELECT count(*) FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN (SELECT order_line_id, sum(quantity) AS q FROM order_line_lots GROUP BY 1) x ON x.order_line_id = ol.id WHERE x.q <> ol.quantity`,
  "succeeded payment = order total": `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.status = 'succeeded' AND p.amount_fen <> o.total_fen`,
};

export async function verifyInvariants(sql: Sql, log: (m: string) => void): Promise<boolean> {
  let ok = true;
  for (const [name, query] of Object.entries(INVARIANTS)) {
    const started = performance.now();
    const [row] = await sql.unsafe(query);
    const bad = Number(Object.values(row ?? {})[0] ?? 0);
    if (bad !== 0) ok = false;
    log(
      `  ${bad === 0 ? "ok " : "BAD"} ${name}${bad ? `: ${bad} rows` : ""} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  return ok;
}
