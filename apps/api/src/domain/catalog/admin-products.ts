import type { Executor } from "@coop/db";
import {
  lots,
  orderLines,
  type ProductKind,
  productCommissionRates,
  products,
  staffUsers,
  stockLevels,
} from "@coop/db/schema";
import type { AdminProduct, AdminProductDetail } from "@coop/shared/contract";
import { and, asc, desc, eq, exists, gt, ilike, or, type SQL } from "drizzle-orm";
import { containsPattern } from "../../lib/like";
import { listSaleUnits } from "./sale-units";

type ProductRow = typeof products.$inferSelect;

export function projectAdminProduct(p: ProductRow): AdminProduct {
  return {
    id: p.id,
    sku: p.sku,
    name: { zh: p.nameZh, en: p.nameEn },
    description: { zh: p.descriptionZh, en: p.descriptionEn },
    kind: p.kind,
    unit: p.unit,
    priceFen: p.priceFen,
    commissionBps: p.commissionBps,
    perishable: p.perishable,
    active: p.active,
  };
}

/** Every product for the admin, on sale or not, by part of a name or the SKU, kind and state; keyset paged. */
export async function listAdminProducts(
  db: Executor,
  filter: {
    coopId: string;
    q?: string | undefined;
    kind?: ProductKind | undefined;
    active?: boolean | undefined;
    afterId?: string | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [eq(products.coopId, filter.coopId)];
  if (filter.afterId) conditions.push(gt(products.id, filter.afterId));
  if (filter.kind) conditions.push(eq(products.kind, filter.kind));
  if (filter.active !== undefined) conditions.push(eq(products.active, filter.active));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(
      or(ilike(products.nameZh, pattern), ilike(products.nameEn, pattern), ilike(products.sku, pattern))!,
    );
  }
  const rows = await db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(asc(products.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map(projectAdminProduct),
    nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null,
  };
}

/**
 * True once anything counts in the product's unit: a lot, a stock level or an order line. Changing the unit
 * then would turn 30 eggs into 30 grams in every record, so it is refused.
 */
export async function unitInUse(db: Executor, productId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: products.id })
    .from(products)
    .where(
      and(
        eq(products.id, productId),
        or(
          exists(db.select({ one: lots.id }).from(lots).where(eq(lots.productId, productId)).limit(1)),
          exists(
            db
              .select({ one: stockLevels.productId })
              .from(stockLevels)
              .where(eq(stockLevels.productId, productId))
              .limit(1),
          ),
          exists(
            db
              .select({ one: orderLines.id })
              .from(orderLines)
              .where(eq(orderLines.productId, productId))
              .limit(1),
          ),
        ),
      ),
    );
  return Boolean(row);
}

/** One product for the admin, with its commission history (newest first) and whether its unit is fixed. */
export async function getAdminProduct(db: Executor, id: string): Promise<AdminProductDetail | null> {
  const [row] = await db.select().from(products).where(eq(products.id, id));
  if (!row) return null;
  const history = await db
    .select({
      commissionBps: productCommissionRates.commissionBps,
      setBy: staffUsers.displayName,
      from: productCommissionRates.createdAt,
    })
    .from(productCommissionRates)
    .leftJoin(staffUsers, eq(staffUsers.id, productCommissionRates.setByUserId))
    .where(eq(productCommissionRates.productId, id))
    .orderBy(desc(productCommissionRates.createdAt), desc(productCommissionRates.id));
  return {
    ...projectAdminProduct(row),
    unitLocked: await unitInUse(db, id),
    saleUnits: await listSaleUnits(db, id),
    commissionHistory: history.map((h) => ({
      commissionBps: h.commissionBps,
      setBy: h.setBy,
      from: h.from.toISOString(),
    })),
  };
}
