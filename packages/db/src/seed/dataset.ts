import { newId } from "@coop/shared";
import type { coops, locations, products, saleUnits } from "../schema";
import {
  DEMO_COOP,
  DEMO_PRODUCTS,
  DEMO_SERVICE_POINTS,
  DEMO_WAREHOUSE,
  demoSaleUnits,
  type PlaceSpec,
} from "./catalog";
import { type Clock, createClock } from "./clock";
import { buildOrders, type OrderHistory } from "./orders";
import { buildConsignors, buildStaff, type ConsignorRow, createPhoneBook, type StaffRow } from "./people";
import { createRandom } from "./random";
import { type ConsignorEntryRow, ConsignorLedger, type PayoutRow } from "./settlement";
import { type SeededProduct, type ServicePointRef, StockBuilder } from "./stock";
import type { LotRow, MovementRow, StockLevelRow } from "./stock-book";

type CoopRow = typeof coops.$inferInsert & { id: string };
type LocationRow = typeof locations.$inferInsert & { id: string };
type ProductRow = typeof products.$inferInsert & { id: string };

/** Every row of the demo, built in memory and checked before anything is written. */
export interface DemoDataset {
  coop: CoopRow;
  locations: LocationRow[];
  staff: StaffRow[];
  consignors: ConsignorRow[];
  products: ProductRow[];
  saleUnits: Array<typeof saleUnits.$inferInsert>;
  lots: LotRow[];
  movements: MovementRow[];
  stockLevels: StockLevelRow[];
  orders: OrderHistory;
  consignorEntries: ConsignorEntryRow[];
  payouts: PayoutRow[];
}

export interface DatasetOptions {
  now: Date;
  /** Seed of the pseudo-random choices; the same seed gives the same villagers, lots and orders. */
  randomSeed: number;
  /** Hash of each distinct demo password. */
  passwordHashes: ReadonlyMap<string, string>;
}

export function buildDemoDataset(options: DatasetOptions): DemoDataset {
  const rng = createRandom(options.randomSeed);
  const clock = createClock(options.now);
  const nextPhone = createPhoneBook(rng);

  const coop: CoopRow = { id: newId("coop"), ...DEMO_COOP, createdAt: clock.daysAgo(400) };
  const warehouse = locationRow(coop.id, "warehouse", DEMO_WAREHOUSE, clock);
  const pointRows = DEMO_SERVICE_POINTS.map((spec) => locationRow(coop.id, "service_point", spec, clock));
  const placeRef = (row: LocationRow) => ({ id: row.id, code: row.code, village: row.village ?? null });

  const staff = buildStaff(coop.id, pointRows.map(placeRef), options.passwordHashes, clock);
  const userOf = (login: string) => staff.find((u) => u.login === login)!.id;
  const servicePoints: ServicePointRef[] = pointRows.map((row) => ({
    ...placeRef(row),
    agentUserId: staff.find((u) => u.servicePointId === row.id)!.id,
  }));
  const warehouseUserId = userOf("warehouse");

  const consignors = buildConsignors(coop.id, servicePoints, nextPhone, rng, clock);
  const seededProducts: SeededProduct[] = DEMO_PRODUCTS.map((spec) => ({ id: newId("product"), spec }));

  const stock = new StockBuilder({
    coopId: coop.id,
    rng,
    clock,
    warehouse: placeRef(warehouse),
    servicePoints,
    warehouseUserId,
    products: seededProducts,
    consignors,
  }).build();
  const ledger = new ConsignorLedger();
  const orders = buildOrders({
    coopId: coop.id,
    rng,
    clock,
    stock,
    ledger,
    products: seededProducts,
    warehouseId: warehouse.id,
    servicePoints,
    consignors,
    warehouseUserId,
    defaultCommissionBps: DEMO_COOP.defaultCommissionBps,
    nextPhone,
  });
  stock.finishLotStatuses();
  payOutBiggestEarner(ledger, consignors, servicePoints, clock);
  ledger.applyBalances(consignors);

  return {
    coop,
    locations: [warehouse, ...pointRows],
    staff,
    consignors,
    products: seededProducts.map(({ id, spec }) => ({
      id,
      coopId: coop.id,
      sku: spec.sku,
      nameZh: spec.nameZh,
      nameEn: spec.nameEn,
      descriptionZh: spec.descriptionZh,
      descriptionEn: spec.descriptionEn,
      kind: spec.kind,
      unit: spec.unit,
      priceFen: spec.priceFen,
      commissionBps: spec.commissionBps,
      perishable: spec.shelfLifeDays !== null,
      createdAt: clock.daysAgo(90),
    })),
    saleUnits: seededProducts.flatMap(({ id, spec }) =>
      demoSaleUnits(spec).map((u) => ({ id: newId("saleUnit"), productId: id, ...u })),
    ),
    lots: stock.book.lots,
    movements: stock.book.movements,
    stockLevels: stock.book.stockLevels(),
    orders,
    consignorEntries: ledger.entries,
    payouts: ledger.payouts,
  };
}

function locationRow(
  coopId: string,
  kind: "warehouse" | "service_point",
  spec: PlaceSpec,
  clock: Clock,
): LocationRow {
  return { id: newId("location"), coopId, kind, ...spec, createdAt: clock.daysAgo(400) };
}

/**
 * One villager has already been paid part of their earnings at the service point, so a statement shows
 * credits, a payout and a balance left over. Whole yuan, as cash is counted out.
 */
function payOutBiggestEarner(
  ledger: ConsignorLedger,
  consignors: readonly ConsignorRow[],
  servicePoints: readonly ServicePointRef[],
  clock: Clock,
): void {
  const [richest] = [...consignors].sort((a, b) => ledger.balanceOf(b.id) - ledger.balanceOf(a.id));
  if (!richest) return;
  // 60 % of the balance, rounded down to whole yuan: 0.6 / 100 fen per yuan = 3 / 500.
  const amountFen = Math.floor((ledger.balanceOf(richest.id) * 3) / 500) * 100;
  if (amountFen <= 0) return;
  const agent = servicePoints.find((p) => p.id === richest.servicePointId)!.agentUserId;
  ledger.payout(richest, amountFen, agent, clock.hoursAgo(1));
}
