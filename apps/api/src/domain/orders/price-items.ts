import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";
import type { SaleUnitRefusal, WantedItem } from "./order-rules";

/** price_order_items' answer (migration 0021): the one pricing rule of buyers' and assisted orders. */
export interface PricedItems {
  subtotal: number;
  coop_id: string;
  missing: string[];
  missing_units: Array<{ productId: string; saleUnitId: string | null }>;
  bad: SaleUnitRefusal[];
  items: Array<{
    line_id: string | null;
    product_id: string;
    sale_unit_id: string;
    units: number;
    size: number;
    price: number;
    /** Base units: units × size. */
    quantity: number;
  }>;
}

/** Prices items by their sale units in the database, as place_order does for buyers' orders. */
export async function priceOrderItems(db: Executor, items: WantedItem[]): Promise<PricedItems> {
  const payload = JSON.stringify(
    items.map((i) => ({ product_id: i.productId, sale_unit_id: i.saleUnitId ?? null, quantity: i.quantity })),
  );
  const result = (await db.execute(sql`SELECT price_order_items(${payload}::jsonb) AS r`)) as unknown as
    | { rows?: Array<{ r: PricedItems }> }
    | Array<{ r: PricedItems }>;
  const rows = Array.isArray(result) ? result : (result.rows ?? []);
  const r = rows[0]!.r;
  return { ...r, subtotal: Number(r.subtotal) };
}
