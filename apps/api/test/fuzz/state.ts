import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";
import { allLedgerViolations } from "../ledger-checks";

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** Every id, code and lot number now in the database, by kind: the fuzzer's pool of real references. */
export async function readIdPool(db: Executor): Promise<Map<string, string[]>> {
  const found = await rows<{ kind: string; value: string }>(
    db,
    sql`SELECT 'prd' AS kind, id AS value FROM products
        UNION ALL SELECT 'loc', id FROM locations
        UNION ALL SELECT 'code', code FROM locations
        UNION ALL SELECT 'csg', id FROM consignors
        UNION ALL SELECT 'lot', id FROM lots
        UNION ALL SELECT 'lotno', lot_no FROM lots
        UNION ALL SELECT 'col', id FROM collection_runs
        UNION ALL SELECT 'pho', id FROM lot_photos
        UNION ALL SELECT 'pph', id FROM product_photos
        UNION ALL SELECT 'ord', id FROM orders
        UNION ALL SELECT 'pout', id FROM payouts
        UNION ALL SELECT 'usr', id FROM staff_users
        UNION ALL SELECT 'pi', provider_ref FROM payments WHERE provider_ref IS NOT NULL`,
  );
  const pool = new Map<string, string[]>();
  for (const { kind, value } of found) pool.set(kind, [...(pool.get(kind) ?? []), value]);
  return pool;
}

/**
 * What must hold after any sequence of finished requests, failed or not ("nothing half-written"):
 * the stock and money ledgers (ledger-checks.ts); every reservation belongs to an open order line and
 * every open order line is reserved; each order adds up; no idempotency key is left without its answer.
 */
export async function stateViolations(db: Executor): Promise<Record<string, unknown[]>> {
  const out = await allLedgerViolations(db);
  const more = {
    reservedVsOpenOrders: await rows(
      db,
      // An order line holds stock from placement until its sale is recorded (payment online, or
      // hand-over for cash); cancelled and refunded orders hold none.
      sql`WITH open_lines AS (
            SELECT ol.product_id, ol.location_id, sum(ol.quantity)::int AS quantity
            FROM order_lines ol JOIN orders o ON o.id = ol.order_id
            WHERE o.status NOT IN ('cancelled', 'refunded')
              AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.order_id = o.id AND m.kind = 'sale')
            GROUP BY 1, 2)
          SELECT coalesce(s.product_id, l.product_id) AS product_id,
                 coalesce(s.location_id, l.location_id) AS location_id,
                 s.reserved, l.quantity AS open_lines
          FROM stock_levels s FULL JOIN open_lines l
            ON l.product_id = s.product_id AND l.location_id = s.location_id
          WHERE coalesce(s.reserved, 0) <> coalesce(l.quantity, 0)`,
    ),
    orderTotals: await rows(
      db,
      sql`SELECT o.id, o.subtotal_fen, sum(ol.line_total_fen) AS lines
          FROM orders o LEFT JOIN order_lines ol ON ol.order_id = o.id
          GROUP BY o.id HAVING o.subtotal_fen <> coalesce(sum(ol.line_total_fen), 0)`,
    ),
    ordersWithoutLines: await rows(
      db,
      sql`SELECT id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines ol WHERE ol.order_id = o.id)`,
    ),
    unfinishedIdempotencyKeys: await rows(
      db,
      sql`SELECT scope, key, method, path FROM idempotency_keys WHERE response_status IS NULL`,
    ),
    soldLinesWithoutLots: await rows(
      db,
      // A recorded sale says which lots it drew from, to the unit (the recall trail).
      sql`SELECT ol.id, ol.quantity, coalesce(sum(oll.quantity), 0) AS from_lots
          FROM order_lines ol JOIN orders o ON o.id = ol.order_id
          LEFT JOIN order_line_lots oll ON oll.order_line_id = ol.id
          WHERE EXISTS (SELECT 1 FROM stock_movements m WHERE m.order_id = o.id AND m.kind = 'sale')
            AND o.status NOT IN ('cancelled', 'refunded')
          GROUP BY ol.id, ol.quantity HAVING ol.quantity <> coalesce(sum(oll.quantity), 0)`,
    ),
  };
  for (const [name, found] of Object.entries(more)) if (found.length) out[name] = found;
  return out;
}
