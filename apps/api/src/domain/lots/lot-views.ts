import type { Executor } from "@coop/db";
import { consignors, lotPhotos, lots, products, staffUsers, stockMovements } from "@coop/db/schema";
import { and, asc, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { ledgerLine } from "../line-codes";

const lotColumns = {
  id: lots.id,
  lotNo: lots.lotNo,
  status: lots.status,
  productId: lots.productId,
  productNameZh: products.nameZh,
  productNameEn: products.nameEn,
  unit: products.unit,
  priceFen: products.priceFen,
  consignorId: lots.consignorId,
  consignorName: consignors.name,
  originLocationId: lots.originLocationId,
  locationId: lots.locationId,
  quantityReceived: lots.quantityReceived,
  onHand: lots.onHand,
  grade: lots.grade,
  bestBefore: lots.bestBefore,
  qcPassed: lots.qcPassed,
  qcReason: lots.qcReason,
  blockedReason: lots.blockedReason,
  receivedByName: staffUsers.displayName,
  createdAt: lots.createdAt,
};

type LotRow = {
  [K in keyof typeof lotColumns]: (typeof lotColumns)[K]["_"]["notNull"] extends true
    ? (typeof lotColumns)[K]["_"]["data"]
    : (typeof lotColumns)[K]["_"]["data"] | null;
};

function project(row: LotRow, photoIds: string[]) {
  return {
    id: row.id,
    lotNo: row.lotNo,
    status: row.status,
    productId: row.productId,
    productName: { zh: row.productNameZh, en: row.productNameEn },
    unit: row.unit,
    consignorId: row.consignorId,
    consignorName: row.consignorName,
    originLocationId: row.originLocationId,
    locationId: row.locationId,
    quantityReceived: row.quantityReceived,
    onHand: row.onHand,
    grade: row.grade,
    bestBefore: row.bestBefore,
    qcPassed: row.qcPassed,
    qcReason: row.qcReason,
    unitPriceFen: row.priceFen,
    photoIds,
    receivedByName: row.receivedByName,
    blockedReason: row.blockedReason,
    createdAt: row.createdAt.toISOString(),
  };
}

function baseQuery(db: Executor) {
  return db
    .select(lotColumns)
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .leftJoin(consignors, eq(consignors.id, lots.consignorId))
    .leftJoin(staffUsers, eq(staffUsers.id, lots.receivedByUserId));
}

async function photoIdsByLot(db: Executor, lotIds: string[]) {
  const map = new Map<string, string[]>();
  if (lotIds.length === 0) return map;
  const rows = await db
    .select({ id: lotPhotos.id, lotId: lotPhotos.lotId })
    .from(lotPhotos)
    .where(inArray(lotPhotos.lotId, lotIds))
    .orderBy(asc(lotPhotos.createdAt));
  for (const r of rows) map.set(r.lotId, [...(map.get(r.lotId) ?? []), r.id]);
  return map;
}

export async function getLot(db: Executor, id: string) {
  const [row] = await baseQuery(db).where(eq(lots.id, id));
  if (!row) return null;
  const photos = await photoIdsByLot(db, [id]);
  return project(row as LotRow, photos.get(id) ?? []);
}

export async function getLotDetail(db: Executor, id: string) {
  const lot = await getLot(db, id);
  if (!lot) return null;
  const movements = await db
    .select()
    .from(stockMovements)
    .where(eq(stockMovements.lotId, id))
    .orderBy(asc(stockMovements.createdAt), asc(stockMovements.id));
  return { ...lot, movements: movements.map(projectMovement) };
}

export function projectMovement(m: typeof stockMovements.$inferSelect) {
  return {
    id: m.id,
    at: m.createdAt.toISOString(),
    kind: m.kind,
    productId: m.productId,
    locationId: m.locationId,
    lotId: m.lotId,
    quantityDelta: m.quantityDelta,
    reason: m.reason,
    reasonLine: ledgerLine(m.reason, m.kind),
    actorUserId: m.actorUserId,
    orderId: m.orderId,
  };
}

/** Newest first, keyset-paged by id (TypeIDs sort by creation time). */
export async function listLots(
  db: Executor,
  filter: {
    originLocationId?: string | undefined;
    locationId?: string | undefined;
    status?: (typeof lots.$inferSelect)["status"] | undefined;
    consignorId?: string | undefined;
    productId?: string | undefined;
    lotNo?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [];
  if (filter.originLocationId) conditions.push(eq(lots.originLocationId, filter.originLocationId));
  if (filter.locationId) conditions.push(eq(lots.locationId, filter.locationId));
  if (filter.status) conditions.push(eq(lots.status, filter.status));
  if (filter.consignorId) conditions.push(eq(lots.consignorId, filter.consignorId));
  if (filter.productId) conditions.push(eq(lots.productId, filter.productId));
  if (filter.lotNo) conditions.push(eq(lots.lotNo, filter.lotNo));
  if (filter.beforeId) conditions.push(lt(lots.id, filter.beforeId));
  const rows = (await baseQuery(db)
    .where(and(...conditions))
    .orderBy(desc(lots.id))
    .limit(filter.limit + 1)) as LotRow[];
  const page = rows.slice(0, filter.limit);
  const photos = await photoIdsByLot(
    db,
    page.map((r) => r.id),
  );
  return {
    items: page.map((r) => project(r, photos.get(r.id) ?? [])),
    nextBeforeId: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
