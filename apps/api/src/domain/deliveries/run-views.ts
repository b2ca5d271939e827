import type { Executor } from "@coop/db";
import {
  type DeliveryRunStatus,
  deliveryRunLineLots,
  deliveryRunLines,
  deliveryRuns,
  locations,
  lots,
  orderLineLots,
  orders,
  products,
} from "@coop/db/schema";
import { and, asc, count, desc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import { waitingLinesQuery } from "./build-runs";

/**
 * What staff read about runs. Projected field by field: no order's pickup code (nor its access token) is
 * ever part of a run, its pick list or its manifest.
 */
export async function listDeliveryRuns(
  db: Executor,
  filter: { coopId: string; status?: DeliveryRunStatus | undefined; toLocationId?: string | undefined },
) {
  const conditions: SQL[] = [eq(deliveryRuns.coopId, filter.coopId)];
  if (filter.status) conditions.push(eq(deliveryRuns.status, filter.status));
  if (filter.toLocationId) conditions.push(eq(deliveryRuns.toLocationId, filter.toLocationId));
  const runs = await db
    .select({ run: deliveryRuns, nameZh: locations.nameZh, nameEn: locations.nameEn })
    .from(deliveryRuns)
    .innerJoin(locations, eq(locations.id, deliveryRuns.toLocationId))
    .where(and(...conditions))
    .orderBy(desc(deliveryRuns.createdAt))
    .limit(100);
  if (runs.length === 0) return [];
  const counts = await db
    .select({
      runId: deliveryRunLines.runId,
      lines: count(),
      orders: sql<number>`count(DISTINCT ${deliveryRunLines.orderId})::int`.mapWith(Number),
    })
    .from(deliveryRunLines)
    .where(
      inArray(
        deliveryRunLines.runId,
        runs.map((r) => r.run.id),
      ),
    )
    .groupBy(deliveryRunLines.runId);
  return runs.map(({ run, nameZh, nameEn }) => {
    const c = counts.find((x) => x.runId === run.id);
    return {
      ...runSummary(run, { zh: nameZh, en: nameEn }),
      lineCount: c?.lines ?? 0,
      orderCount: c?.orders ?? 0,
    };
  });
}

function runSummary(run: typeof deliveryRuns.$inferSelect, toName: { zh: string; en: string }) {
  return {
    id: run.id,
    status: run.status,
    fromLocationId: run.fromLocationId,
    toLocationId: run.toLocationId,
    toName,
    createdAt: run.createdAt.toISOString(),
    dispatchedAt: run.dispatchedAt?.toISOString() ?? null,
    receivedAt: run.receivedAt?.toISOString() ?? null,
  };
}

/** One run with its lines, the pick list (which lots to take, first-expiring first) and the manifest per order. */
export async function getDeliveryRun(db: Executor, runId: string) {
  const [row] = await db
    .select({ run: deliveryRuns, nameZh: locations.nameZh, nameEn: locations.nameEn })
    .from(deliveryRuns)
    .innerJoin(locations, eq(locations.id, deliveryRuns.toLocationId))
    .where(eq(deliveryRuns.id, runId));
  if (!row) return null;
  const { run } = row;
  const lineRows = await db
    .select({
      line: deliveryRunLines,
      nameZh: products.nameZh,
      nameEn: products.nameEn,
      unit: products.unit,
      contactName: orders.contactName,
      contactPhone: orders.contactPhone,
      orderStatus: orders.status,
    })
    .from(deliveryRunLines)
    .innerJoin(products, eq(products.id, deliveryRunLines.productId))
    .innerJoin(orders, eq(orders.id, deliveryRunLines.orderId))
    .where(eq(deliveryRunLines.runId, run.id))
    .orderBy(asc(orders.createdAt), asc(deliveryRunLines.id));
  const carried = lineRows.length
    ? await db
        .select({ c: deliveryRunLineLots, lotNo: lots.lotNo, bestBefore: lots.bestBefore })
        .from(deliveryRunLineLots)
        .innerJoin(lots, eq(lots.id, deliveryRunLineLots.lotId))
        .where(
          inArray(
            deliveryRunLineLots.runLineId,
            lineRows.map((l) => l.line.id),
          ),
        )
    : [];
  const lines = lineRows.map((r) => ({
    id: r.line.id,
    orderId: r.line.orderId,
    orderLineId: r.line.orderLineId,
    productId: r.line.productId,
    productName: { zh: r.nameZh, en: r.nameEn },
    unit: r.unit,
    goods: r.line.goods,
    quantity: r.line.quantity,
    quantityReceived: r.line.quantityReceived,
    discrepancyKind: r.line.discrepancyKind,
    note: r.line.note,
    resolution: r.line.resolution,
    resendOfLineId: r.line.resendOfLineId,
    lots: carried
      .filter((c) => c.c.runLineId === r.line.id)
      .map((c) => ({ lotId: c.c.lotId, lotNo: c.lotNo, bestBefore: c.bestBefore, quantity: c.c.quantity })),
  }));

  const manifest = [...new Set(lineRows.map((r) => r.line.orderId))].map((orderId) => {
    const first = lineRows.find((r) => r.line.orderId === orderId)!;
    return {
      orderId,
      orderStatus: first.orderStatus,
      contactName: first.contactName,
      // The last four digits are enough to match a parcel to a person at the point.
      phoneTail: first.contactPhone.slice(-4),
      lines: lines
        .filter((l) => l.orderId === orderId)
        .map((l) => ({
          lineId: l.id,
          productName: l.productName,
          unit: l.unit,
          quantity: l.quantity,
          quantityReceived: l.quantityReceived,
        })),
    };
  });

  return {
    ...runSummary(run, { zh: row.nameZh, en: row.nameEn }),
    lines,
    pickList:
      run.status === "packing" ? await plannedPicks(db, run.fromLocationId, lines) : pickedFrom(lines),
    manifest,
  };
}

type RunLineView = {
  id: string;
  orderLineId: string;
  productId: string;
  productName: { zh: string; en: string };
  unit: (typeof products.$inferSelect)["unit"];
  goods: string;
  quantity: number;
  lots: Array<{ lotId: string; lotNo: string; bestBefore: string | null; quantity: number }>;
};
type Pick = { lotId: string; lotNo: string; bestBefore: string | null; take: number };

function byProduct(lines: RunLineView[]) {
  const groups = new Map<string, RunLineView[]>();
  for (const l of lines) groups.set(l.productId, [...(groups.get(l.productId) ?? []), l]);
  return [...groups.values()];
}

function pickEntry(group: RunLineView[], picks: Pick[]) {
  const merged = new Map<string, Pick>();
  for (const p of picks) {
    const seen = merged.get(p.lotId);
    merged.set(p.lotId, seen ? { ...seen, take: seen.take + p.take } : { ...p });
  }
  return {
    productId: group[0]!.productId,
    productName: group[0]!.productName,
    unit: group[0]!.unit,
    quantity: group.reduce((s, l) => s + l.quantity, 0),
    lots: [...merged.values()].sort((a, b) => (a.bestBefore ?? "9999").localeCompare(b.bestBefore ?? "9999")),
  };
}

/** After dispatch: the lots that actually went. */
function pickedFrom(lines: RunLineView[]) {
  return byProduct(lines).map((group) =>
    pickEntry(
      group,
      group.flatMap((l) =>
        l.lots.map((x) => ({ lotId: x.lotId, lotNo: x.lotNo, bestBefore: x.bestBefore, take: x.quantity })),
      ),
    ),
  );
}

/**
 * Before dispatch: units already sold at payment are taken from the lots their sale drew; the rest from the
 * warehouse's first-expiring lots — the same order dispatch will follow.
 */
async function plannedPicks(db: Executor, warehouseId: string, lines: RunLineView[]) {
  const out = [];
  for (const group of byProduct(lines)) {
    const picks: Pick[] = [];
    const soldLineIds = group.filter((l) => l.goods === "sold").map((l) => l.orderLineId);
    if (soldLineIds.length) {
      const drawn = await db
        .select({
          lotId: lots.id,
          lotNo: lots.lotNo,
          bestBefore: lots.bestBefore,
          take: orderLineLots.quantity,
        })
        .from(orderLineLots)
        .innerJoin(lots, eq(lots.id, orderLineLots.lotId))
        .where(inArray(orderLineLots.orderLineId, soldLineIds));
      picks.push(...drawn);
    }
    let unsold = group.filter((l) => l.goods !== "sold").reduce((s, l) => s + l.quantity, 0);
    if (unsold > 0) {
      const candidates = await db
        .select({ lotId: lots.id, lotNo: lots.lotNo, bestBefore: lots.bestBefore, onHand: lots.onHand })
        .from(lots)
        .where(
          and(
            eq(lots.productId, group[0]!.productId),
            eq(lots.locationId, warehouseId),
            eq(lots.status, "in_stock"),
            gt(lots.onHand, 0),
          ),
        )
        .orderBy(sql`${lots.bestBefore} ASC NULLS LAST`, asc(lots.createdAt), asc(lots.id));
      for (const c of candidates) {
        if (unsold === 0) break;
        const take = Math.min(c.onHand, unsold);
        unsold -= take;
        picks.push({ lotId: c.lotId, lotNo: c.lotNo, bestBefore: c.bestBefore, take });
      }
    }
    out.push(pickEntry(group, picks));
  }
  return out;
}

/** Service points with order lines waiting at a warehouse to be sent, for the warehouse's first screen. */
export async function pointsWaitingForDelivery(db: Executor, coopId: string) {
  const waiting = await waitingLinesQuery(db, { coopId });
  const byPoint = new Map<string, { orders: Set<string>; lines: number }>();
  for (const w of waiting) {
    const key = w.pickupLocationId!;
    const entry = byPoint.get(key) ?? { orders: new Set<string>(), lines: 0 };
    entry.orders.add(w.line.orderId);
    entry.lines += 1;
    byPoint.set(key, entry);
  }
  if (byPoint.size === 0) return [];
  const points = await db
    .select()
    .from(locations)
    .where(inArray(locations.id, [...byPoint.keys()]))
    .orderBy(asc(locations.code));
  return points.map((p) => ({
    servicePointId: p.id,
    code: p.code,
    name: { zh: p.nameZh, en: p.nameEn },
    orderCount: byPoint.get(p.id)!.orders.size,
    lineCount: byPoint.get(p.id)!.lines,
  }));
}
