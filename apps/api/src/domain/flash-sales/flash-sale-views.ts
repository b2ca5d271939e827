import type { Executor } from "@coop/db";
import { flashSaleBuckets, flashSales, products, saleUnits } from "@coop/db/schema";
import type { FlashSale } from "@coop/shared/contract";
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { mainPhotosOf } from "../catalog/product-photos";

type SaleRow = typeof flashSales.$inferSelect;

export function flashSaleState(sale: Pick<SaleRow, "startsAt" | "endsAt" | "closedAt">, now: Date) {
  if (sale.closedAt || now >= sale.endsAt) return "ended" as const;
  return now < sale.startsAt ? ("upcoming" as const) : ("live" as const);
}

/** The sales' public views, from one query each for the sales, what is left, and the main photos. */
async function viewsOf(
  db: Executor,
  where: ReturnType<typeof and>,
  page: { newestFirst?: boolean; limit?: number } = {},
): Promise<FlashSale[]> {
  const rows = await db
    .select({
      sale: flashSales,
      nameZh: products.nameZh,
      nameEn: products.nameEn,
      unit: products.unit,
      labelZh: saleUnits.labelZh,
      labelEn: saleUnits.labelEn,
      size: saleUnits.size,
      regularPriceFen: saleUnits.priceFen,
      left: sql<number>`(SELECT coalesce(sum(b.remaining), 0) FROM ${flashSaleBuckets} b WHERE b.sale_id = ${flashSales.id})`.mapWith(
        Number,
      ),
    })
    .from(flashSales)
    .innerJoin(products, eq(products.id, flashSales.productId))
    .innerJoin(saleUnits, eq(saleUnits.id, flashSales.saleUnitId))
    .where(where)
    .orderBy(
      ...(page.newestFirst
        ? [desc(flashSales.startsAt), desc(flashSales.id)]
        : [asc(flashSales.startsAt), asc(flashSales.id)]),
    )
    .limit(page.limit ?? 200);
  const photoOf = await mainPhotosOf(
    db,
    rows.map((r) => r.sale.productId),
  );
  const now = new Date();
  return rows.map((r) => ({
    id: r.sale.id,
    title: { zh: r.sale.titleZh, en: r.sale.titleEn },
    state: flashSaleState(r.sale, now),
    product: {
      id: r.sale.productId,
      name: { zh: r.nameZh, en: r.nameEn },
      unit: r.unit,
      photo: photoOf.get(r.sale.productId) ?? null,
    },
    saleUnit: { id: r.sale.saleUnitId, label: { zh: r.labelZh, en: r.labelEn }, size: r.size },
    priceFen: r.sale.priceFen,
    regularPriceFen: r.regularPriceFen,
    quantity: r.sale.quantity,
    left: r.left,
    perBuyerLimit: r.sale.perBuyerLimit,
    startsAt: r.sale.startsAt.toISOString(),
    endsAt: r.sale.endsAt.toISOString(),
    closedAt: r.sale.closedAt?.toISOString() ?? null,
    serverTime: now.toISOString(),
  }));
}

/** How long a sale's view is reused: thousands of viewers refreshing cost one read a second per process. */
export const FLASH_SALE_VIEW_TTL_MS = 1000;

const cache = new WeakMap<object, Map<string, { at: number; view: Promise<FlashSale | null> }>>();

/**
 * One sale's public view, read at most once a second per process (its `left` may be a second old; the
 * buckets, not this figure, decide what is sold). The clock-dependent parts (state, serverTime) are fresh;
 * `fresh` reads it anew (the admin's answer after a change).
 */
export async function getFlashSale(
  db: Executor,
  id: string,
  options: { fresh?: boolean; now?: number } = {},
): Promise<FlashSale> {
  const now = options.now ?? Date.now();
  let views = cache.get(db);
  if (!views) {
    views = new Map();
    cache.set(db, views);
  }
  let hit = views.get(id);
  if (!hit || options.fresh || now - hit.at >= FLASH_SALE_VIEW_TTL_MS) {
    const entry = { at: now, view: viewsOf(db, and(eq(flashSales.id, id))).then((v) => v[0] ?? null) };
    hit = entry;
    views.set(id, entry);
    // A failed read is not kept (the next viewer asks again), unless a newer read has replaced it already.
    entry.view.catch(() => {
      if (views.get(id) === entry) views.delete(id);
    });
    if (views.size > 1000) views.delete(views.keys().next().value!);
  }
  const view = await hit.view;
  if (!view) throw new ApiError("NOT_FOUND", "There is no such flash sale.");
  const at = new Date(now);
  return {
    ...view,
    state: flashSaleState(
      {
        startsAt: new Date(view.startsAt),
        endsAt: new Date(view.endsAt),
        closedAt: view.closedAt ? new Date(view.closedAt) : null,
      },
      at,
    ),
    serverTime: at.toISOString(),
  };
}

/** After a change this process made (a close): its next view is read anew; other processes within a second. */
export function forgetFlashSaleView(db: Executor, id: string): void {
  cache.get(db)?.delete(id);
}

/** Sales not over yet (upcoming and live), soonest first: what the shop announces. */
export async function listCurrentFlashSales(db: Executor): Promise<FlashSale[]> {
  return viewsOf(db, and(isNull(flashSales.closedAt), gt(flashSales.endsAt, new Date())));
}

/** Every sale of the co-op, for the admin, newest first (a page of 50). */
export async function listFlashSalesForAdmin(db: Executor, coopId: string): Promise<FlashSale[]> {
  return viewsOf(db, and(eq(flashSales.coopId, coopId)), { newestFirst: true, limit: 50 });
}
