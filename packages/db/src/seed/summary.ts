import { eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { coops } from "../schema";

export interface DemoCounts {
  warehouses: number;
  servicePoints: number;
  staffUsers: number;
  consignors: number;
  products: number;
  produce: number;
  supplies: number;
  lots: number;
  rejectedLots: number;
  stockMovements: number;
  stockLevels: number;
  orders: number;
  orderLines: number;
  payments: number;
  consignorEntries: number;
  payouts: number;
}

const count = (query: SQL) => sql<number>`(${query})`.mapWith(Number);

/**
 * Counts what the database holds for one co-op, read back rather than remembered, so a second run (which
 * writes nothing) reports the same figures as the first. Null when the co-op does not exist.
 */
export async function countDemoData(db: Executor, coopCode: string): Promise<DemoCounts | null> {
  const coop = coops.id;
  const [row] = await db
    .select({
      warehouses: count(sql`SELECT count(*) FROM locations WHERE coop_id = ${coop} AND kind = 'warehouse'`),
      servicePoints: count(
        sql`SELECT count(*) FROM locations WHERE coop_id = ${coop} AND kind = 'service_point'`,
      ),
      staffUsers: count(sql`SELECT count(*) FROM staff_users WHERE coop_id = ${coop}`),
      consignors: count(sql`SELECT count(*) FROM consignors WHERE coop_id = ${coop}`),
      products: count(sql`SELECT count(*) FROM products WHERE coop_id = ${coop}`),
      produce: count(sql`SELECT count(*) FROM products WHERE coop_id = ${coop} AND kind = 'produce'`),
      supplies: count(sql`SELECT count(*) FROM products WHERE coop_id = ${coop} AND kind = 'supply'`),
      lots: count(sql`SELECT count(*) FROM lots WHERE coop_id = ${coop}`),
      rejectedLots: count(sql`SELECT count(*) FROM lots WHERE coop_id = ${coop} AND status = 'rejected'`),
      stockMovements: count(
        sql`SELECT count(*) FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE p.coop_id = ${coop}`,
      ),
      stockLevels: count(
        sql`SELECT count(*) FROM stock_levels s JOIN products p ON p.id = s.product_id WHERE p.coop_id = ${coop}`,
      ),
      orders: count(sql`SELECT count(*) FROM orders WHERE coop_id = ${coop}`),
      orderLines: count(
        sql`SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.coop_id = ${coop}`,
      ),
      payments: count(
        sql`SELECT count(*) FROM payments y JOIN orders o ON o.id = y.order_id WHERE o.coop_id = ${coop}`,
      ),
      consignorEntries: count(
        sql`SELECT count(*) FROM consignor_entries e JOIN consignors c ON c.id = e.consignor_id WHERE c.coop_id = ${coop}`,
      ),
      payouts: count(
        sql`SELECT count(*) FROM payouts y JOIN consignors c ON c.id = y.consignor_id WHERE c.coop_id = ${coop}`,
      ),
    })
    .from(coops)
    .where(eq(coops.code, coopCode));
  return row ?? null;
}
