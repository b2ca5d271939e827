import { type Executor, hashPassword } from "@coop/db";
import {
  consignors,
  coops,
  locations,
  lots,
  products,
  type StaffRole,
  staffUsers,
  stockLevels,
} from "@coop/db/schema";
import { newId } from "@coop/shared";
import { productSearchText } from "../src/domain/catalog/search-text";
import { recordMovement } from "../src/domain/stock/ledger";

/** Builders for test data with sensible defaults; each takes overrides for what a test cares about. */
let seq = 0;
const next = () => ++seq;

let cachedHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct-horse-battery";
const passwordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export async function makeCoop(db: Executor) {
  const id = newId("coop");
  const n = next();
  await db.insert(coops).values({ id, code: `C${n}`, nameZh: `测试供销社${n}`, nameEn: `Test co-op ${n}` });
  return { id };
}

export async function makeLocation(
  db: Executor,
  coopId: string,
  overrides: Partial<typeof locations.$inferInsert> = {},
) {
  const n = next();
  const row = {
    id: newId("location"),
    coopId,
    kind: "service_point" as const,
    code: `SP-T${n}`,
    nameZh: `测试村服务点${n}`,
    nameEn: `Test village point ${n}`,
    village: `测试村${n}`,
    ...overrides,
  };
  await db.insert(locations).values(row);
  return row;
}

export async function makeStaff(
  db: Executor,
  coopId: string,
  role: StaffRole,
  overrides: Partial<typeof staffUsers.$inferInsert> = {},
) {
  const n = next();
  const row = {
    id: newId("user"),
    coopId,
    login: `${role}${n}`,
    passwordHash: await passwordHash(),
    displayName: `${role} ${n}`,
    role,
    servicePointId: null,
    ...overrides,
  };
  await db.insert(staffUsers).values(row);
  return { ...row, password: TEST_PASSWORD };
}

export async function makeProduct(
  db: Executor,
  coopId: string,
  overrides: Partial<typeof products.$inferInsert> = {},
) {
  const n = next();
  const row = {
    id: newId("product"),
    coopId,
    sku: `SKU-${n}`,
    nameZh: `产品${n}`,
    nameEn: `Product ${n}`,
    kind: "produce" as const,
    unit: "piece" as const,
    priceFen: 100 * n,
    ...overrides,
  };
  // As the API writes it (create-product.ts), so catalog search finds factory products too.
  await db.insert(products).values({ searchText: productSearchText(row), ...row });
  return row;
}

export async function setStock(
  db: Executor,
  productId: string,
  locationId: string,
  onHand: number,
  reserved = 0,
) {
  await db.insert(stockLevels).values({ productId, locationId, onHand, reserved });
}

export async function makeConsignor(
  db: Executor,
  coopId: string,
  servicePointId: string,
  overrides: Partial<typeof consignors.$inferInsert> = {},
) {
  const n = next();
  const row = {
    id: newId("consignor"),
    coopId,
    name: `村民${n}`,
    phone: `139${String(10_000_000 + n).slice(-8)}`,
    servicePointId,
    ...overrides,
  };
  await db.insert(consignors).values(row);
  return row;
}

/**
 * A small co-op with the places and people most tests need: a warehouse, two service points with an agent
 * each, a warehouse worker, an admin, eggs (perishable, by the piece) and pickles (by the gram).
 */
export async function makeCoopWorld(db: Executor) {
  const coop = await makeCoop(db);
  const warehouse = await makeLocation(db, coop.id, {
    kind: "warehouse",
    village: null,
    code: `WH-${next()}`,
  });
  const pointA = await makeLocation(db, coop.id);
  const pointB = await makeLocation(db, coop.id);
  const agentA = await makeStaff(db, coop.id, "agent", { servicePointId: pointA.id });
  const agentB = await makeStaff(db, coop.id, "agent", { servicePointId: pointB.id });
  const warehouseUser = await makeStaff(db, coop.id, "warehouse");
  const admin = await makeStaff(db, coop.id, "admin");
  const egg = await makeProduct(db, coop.id, {
    nameZh: "土鸡蛋",
    nameEn: "Egg",
    unit: "piece",
    priceFen: 200,
    perishable: true,
  });
  const pickle = await makeProduct(db, coop.id, {
    nameZh: "坛子菜",
    nameEn: "Pickles",
    unit: "gram",
    priceFen: 3,
    commissionBps: 1500,
  });
  const fertilizer = await makeProduct(db, coop.id, { kind: "supply", unit: "bag", priceFen: 16_800 });
  return { coop, warehouse, pointA, pointB, agentA, agentB, warehouseUser, admin, egg, pickle, fertilizer };
}

/** Stock taken in at a place as the ledger knows it: a co-op lot (QC passed) with its intake movement. */
export async function takeInStock(
  db: Executor,
  coopId: string,
  input: { productId: string; locationId: string; quantity: number },
) {
  const { productId, locationId, quantity } = input;
  const lotId = newId("lot");
  await db.insert(stockLevels).values({ productId, locationId, onHand: 0 }).onConflictDoNothing();
  await db.insert(lots).values({
    id: lotId,
    coopId,
    lotNo: `T-${lotId.slice(-8)}`,
    productId,
    originLocationId: locationId,
    locationId,
    status: "in_stock",
    quantityReceived: quantity,
    onHand: 0,
    qcPassed: true,
  });
  await recordMovement(db, { productId, locationId, lotId, kind: "intake", quantityDelta: quantity });
  return lotId;
}
