import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/**
 * Held stock must be exactly what open orders hold, place by place: each unsold line of an order not yet
 * handed over, at the place its line points to, plus replacement units held at a warehouse for a run that
 * has not left, plus what open flash sales still have to sell (set aside at their warehouse). Returns the
 * places where the two differ (empty when they agree).
 */
export function reservationViolations(db: Executor) {
  return rows(
    db,
    sql`WITH held AS (
          SELECT l.product_id, l.location_id, sum(l.quantity)::int AS qty
          FROM order_lines l JOIN orders o ON o.id = l.order_id
          WHERE o.status IN ('pending_payment', 'confirmed', 'packed', 'ready_for_pickup')
            AND NOT EXISTS (SELECT 1 FROM order_line_lots x WHERE x.order_line_id = l.id)
          GROUP BY 1, 2
          UNION ALL
          SELECT rl.product_id, r.from_location_id, sum(rl.quantity)::int
          FROM delivery_run_lines rl JOIN delivery_runs r ON r.id = rl.run_id
          WHERE rl.goods = 'replacement' AND r.status = 'packing'
          GROUP BY 1, 2
          UNION ALL
          SELECT f.product_id, f.location_id, (sum(b.remaining) * min(f.unit_size))::int
          FROM flash_sales f JOIN flash_sale_buckets b ON b.sale_id = f.id
          WHERE f.closed_at IS NULL
          GROUP BY f.id, 1, 2
        ), expected AS (SELECT product_id, location_id, sum(qty)::int AS qty FROM held GROUP BY 1, 2)
        SELECT coalesce(s.product_id, e.product_id) AS product_id, coalesce(s.location_id, e.location_id) AS location_id,
               s.reserved, e.qty AS expected
        FROM stock_levels s FULL JOIN expected e ON e.product_id = s.product_id AND e.location_id = s.location_id
        WHERE coalesce(s.reserved, 0) <> coalesce(e.qty, 0)`,
  );
}
