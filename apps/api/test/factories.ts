import { type Executor, hashPassword } from "@coop/db";
import { coops, locations, products, type StaffRole, staffUsers, stockLevels } from "@coop/db/schema";
import { newId } from "@coop/shared";

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
  await db.insert(products).values(row);
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
