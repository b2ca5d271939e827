import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/**
 * Held stock must be exactly what open orders hold, place by place: each unsold line of an order not yet
 * handed over, at the place its line points to, plus replacement units held at a warehouse for a run that
 * has not left, plus what open flash sales still have to sell (set aside at their warehouse). A harvest
 * pre-order holds no stock until it is allocated. Returns the places where the two differ (empty when they
 * agree).
 */
export function reservationViolations(db: Executor) {
  return rows(
    db,
    sql`WITH held AS (
          SELECT l.product_id, l.location_id, sum(l.quantity)::int AS qty
          FROM order_lines l JOIN orders o ON o.id = l.order_id
          WHERE o.status IN ('pending_payment', 'confirmed', 'packed', 'ready_for_pickup')
            -- An online pre-order waiting for its payment holds campaign units, not stock.
            AND NOT (o.campaign_id IS NOT NULL AND o.status = 'pending_payment')
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

/**
 * A harvest campaign's counts must be what its orders hold: reserved = allocated + the units of pre-orders
 * still waiting (for their payment or the harvest); allocated = the units of orders the harvest reached; each
 * buyer's count = their waiting and allocated units; never above the cap or the pledges (the CHECKs). Returns
 * the campaigns (or buyers) where they differ.
 */
export function campaignViolations(db: Executor) {
  return rows(
    db,
    sql`WITH units AS (
          SELECT o.id, o.campaign_id, o.contact_phone, sum(l.units)::int AS units,
                 o.status IN ('pending_payment', 'preordered') AS waiting,
                 EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = o.id
                         AND h.from_status = 'preordered' AND h.to_status IN ('paid', 'confirmed')) AS allocated
          FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.campaign_id IS NOT NULL GROUP BY o.id
        ), per_campaign AS (
          SELECT c.id, c.reserved_units, c.allocated_units,
                 coalesce(sum(u.units) FILTER (WHERE u.waiting OR u.allocated), 0)::int AS held,
                 coalesce(sum(u.units) FILTER (WHERE u.allocated), 0)::int AS allocated
          FROM harvest_campaigns c LEFT JOIN units u ON u.campaign_id = c.id GROUP BY c.id
        ), per_buyer AS (
          SELECT b.campaign_id, b.phone, b.units,
                 coalesce((SELECT sum(u.units) FROM units u WHERE u.campaign_id = b.campaign_id
                           AND u.contact_phone = b.phone AND (u.waiting OR u.allocated)), 0)::int AS held
          FROM campaign_buyers b
        )
        SELECT 'campaign' AS what, id, reserved_units AS recorded, held AS expected FROM per_campaign
        WHERE reserved_units <> held OR allocated_units <> allocated
        UNION ALL
        SELECT 'buyer', campaign_id || ' ' || phone, units, held FROM per_buyer WHERE units <> held`,
  );
}
