import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  consignorEntries,
  consignors,
  locations,
  lots,
  orderLineLots,
  orderLines,
  orderStatusHistory,
  orders,
  payments,
  payouts,
  products,
  saleEntries,
  saleUnits,
  staffUsers,
  stockLevels,
  stockMovements,
} from "../schema";
import type { DemoDataset } from "./dataset";

// Well under PostgreSQL's 65,535 bind parameters per statement even for the widest table.
const ROWS_PER_INSERT = 500;

async function insertAll<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * Writes the dataset, parents before children. The co-op row is written by the caller first: its unique
 * code is what makes a second, concurrent seed stop instead of duplicating everything.
 */
export async function writeDemoDataset(tx: Executor, data: DemoDataset): Promise<void> {
  await insertAll(data.locations, (rows) => tx.insert(locations).values(rows));
  await insertAll(data.staff, (rows) => tx.insert(staffUsers).values(rows));
  await insertAll(data.consignors, (rows) => tx.insert(consignors).values(rows));
  await insertAll(data.products, (rows) => tx.insert(products).values(rows));
  // The insert gave each product a default unit of one base unit (migration 0021); the demo sells in real
  // units instead. Nothing refers to the units yet: the demo's order history is priced per base unit.
  await tx.delete(saleUnits).where(
    inArray(
      saleUnits.productId,
      data.products.map((p) => p.id),
    ),
  );
  await insertAll(data.saleUnits, (rows) => tx.insert(saleUnits).values(rows));
  await insertAll(data.lots, (rows) => tx.insert(lots).values(rows));
  await insertAll(data.orders.orders, (rows) => tx.insert(orders).values(rows));
  await insertAll(data.orders.lines, (rows) => tx.insert(orderLines).values(rows));
  await insertAll(data.orders.lineLots, (rows) => tx.insert(orderLineLots).values(rows));
  await insertAll(data.orders.statusHistory, (rows) => tx.insert(orderStatusHistory).values(rows));
  await insertAll(data.orders.payments, (rows) => tx.insert(payments).values(rows));
  await insertAll(data.movements, (rows) => tx.insert(stockMovements).values(rows));
  await insertAll(data.stockLevels, (rows) => tx.insert(stockLevels).values(rows));
  await insertAll(data.payouts, (rows) => tx.insert(payouts).values(rows));
  await insertAll(data.consignorEntries, (rows) => tx.insert(consignorEntries).values(rows));
  await insertAll(data.orders.saleEntries, (rows) => tx.insert(saleEntries).values(rows));
  // The reports read rollups of the ledger; the jobs keep them fresh from here on (decision 0044).
  await tx.execute(sql`SELECT coop_rebuild_all_sales_rollups()`);
}
