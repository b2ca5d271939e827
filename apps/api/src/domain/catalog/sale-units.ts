import type { Executor } from "@coop/db";
import { products, saleUnits } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { AdminSaleUnit, CreateSaleUnit, SaleUnitChanges } from "@coop/shared/contract";
import { and, asc, desc, eq, ne } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { driverErrorOf } from "../../lib/db-errors";
import { ApiError } from "../../lib/errors";
import { lockProduct } from "./lock-product";

type SaleUnitRow = typeof saleUnits.$inferSelect;

/**
 * The sale unit a special sale (a flash sale, a harvest campaign) is set up for: the given one, or the
 * product's default, of a product of this co-op on sale, the unit itself on sale; else 400 naming the field.
 */
export async function saleUnitOnSale(
  db: Executor,
  input: { coopId: string; productId: string; saleUnitId?: string | undefined },
): Promise<{ id: string; size: number; productKind: "produce" | "supply" }> {
  const [unit] = await db
    .select({ id: saleUnits.id, size: saleUnits.size, productKind: products.kind })
    .from(saleUnits)
    .innerJoin(products, eq(products.id, saleUnits.productId))
    .where(
      and(
        eq(products.id, input.productId),
        eq(products.coopId, input.coopId),
        eq(products.active, true),
        eq(saleUnits.active, true),
        input.saleUnitId ? eq(saleUnits.id, input.saleUnitId) : eq(saleUnits.isDefault, true),
      ),
    )
    .limit(1);
  if (!unit) {
    throw new ApiError("VALIDATION_FAILED", "Choose a product on sale and one of its sale units.", {
      fields: [{ path: input.saleUnitId ? "saleUnitId" : "productId", message: "not on sale" }],
    });
  }
  return unit;
}

export function projectSaleUnit(u: SaleUnitRow): AdminSaleUnit {
  return {
    id: u.id,
    label: { zh: u.labelZh, en: u.labelEn },
    size: u.size,
    priceFen: u.priceFen,
    minUnits: u.minUnits,
    stepUnits: u.stepUnits,
    isDefault: u.isDefault,
    active: u.active,
    sortOrder: u.sortOrder,
  };
}

/** A product's sale units for the admin, on sale or not, the default first. */
export async function listSaleUnits(db: Executor, productId: string): Promise<AdminSaleUnit[]> {
  const rows = await db
    .select()
    .from(saleUnits)
    .where(eq(saleUnits.productId, productId))
    .orderBy(
      desc(saleUnits.isDefault),
      desc(saleUnits.active),
      asc(saleUnits.sortOrder),
      asc(saleUnits.size),
    );
  return rows.map(projectSaleUnit);
}

const labelTaken = () =>
  new ApiError("ALREADY_EXISTS", "This product already has a sale unit with that name.", {
    fields: [{ path: "label.zh", message: "already used for this product" }],
  });

/** One default per product: the old default steps down in the same transaction (its price stays). */
async function clearDefault(tx: Executor, productId: string, except?: string) {
  await tx
    .update(saleUnits)
    .set({ isDefault: false })
    .where(
      and(
        eq(saleUnits.productId, productId),
        eq(saleUnits.isDefault, true),
        ...(except ? [ne(saleUnits.id, except)] : []),
      ),
    );
}

/**
 * The admin adds a way to sell a product (盒(30个) at ¥58.00). As the default it becomes what the catalog's
 * priceFen shows and what an order item without a saleUnitId counts (the database keeps products.price_fen
 * equal to it, migration 0021). Audited.
 */
export async function addSaleUnit(
  db: Executor,
  input: { coopId: string; actorUserId: string; requestId?: string; productId: string; data: CreateSaleUnit },
): Promise<AdminSaleUnit> {
  const { data } = input;
  try {
    return await db.transaction(async (tx) => {
      await lockProduct(tx, input.coopId, input.productId);
      if (data.isDefault) await clearDefault(tx, input.productId);
      const [row] = await tx
        .insert(saleUnits)
        .values({
          id: newId("saleUnit"),
          productId: input.productId,
          labelZh: data.label.zh,
          labelEn: data.label.en,
          size: data.size,
          priceFen: data.priceFen,
          minUnits: data.minUnits,
          stepUnits: data.stepUnits,
          isDefault: data.isDefault,
          sortOrder: data.sortOrder,
        })
        .returning();
      await audit(tx, {
        actorUserId: input.actorUserId,
        action: "product.sale_unit.add",
        entityType: "product",
        entityId: input.productId,
        data: { saleUnit: projectSaleUnit(row!) },
        requestId: input.requestId,
      });
      return projectSaleUnit(row!);
    });
  } catch (error) {
    if (driverErrorOf(error)?.code === "23505") throw labelTaken();
    throw error;
  }
}

/**
 * The admin changes a sale unit: its name, price, minimum and step, order, makes it the default, or takes it
 * off sale (not the default: make another the default first). Orders already placed keep the unit's size and
 * price they were placed with (order_lines). Its size never changes: a different size is a new unit. Audited
 * with before and after.
 */
export async function updateSaleUnit(
  db: Executor,
  input: {
    coopId: string;
    actorUserId: string;
    requestId?: string;
    productId: string;
    saleUnitId: string;
    data: SaleUnitChanges;
  },
): Promise<AdminSaleUnit> {
  const { data } = input;
  try {
    return await db.transaction(async (tx) => {
      await lockProduct(tx, input.coopId, input.productId);
      const [before] = await tx
        .select()
        .from(saleUnits)
        .where(and(eq(saleUnits.id, input.saleUnitId), eq(saleUnits.productId, input.productId)));
      if (!before) throw new ApiError("NOT_FOUND", "This product has no such sale unit.");
      const makeDefault = data.isDefault === true && !before.isDefault;
      const active = data.active ?? before.active;
      if (!active && (before.isDefault || makeDefault)) {
        throw new ApiError(
          "INVALID_STATE",
          "The default sale unit cannot be taken off sale: make another unit the default first.",
          { fields: [{ path: "active", message: "this is the default unit" }] },
        );
      }
      const changes: Partial<SaleUnitRow> = {};
      if (data.label && data.label.zh !== before.labelZh) changes.labelZh = data.label.zh;
      if (data.label && data.label.en !== before.labelEn) changes.labelEn = data.label.en;
      if (data.priceFen !== undefined && data.priceFen !== before.priceFen) changes.priceFen = data.priceFen;
      if (data.minUnits !== undefined && data.minUnits !== before.minUnits) changes.minUnits = data.minUnits;
      if (data.stepUnits !== undefined && data.stepUnits !== before.stepUnits)
        changes.stepUnits = data.stepUnits;
      if (data.sortOrder !== undefined && data.sortOrder !== before.sortOrder)
        changes.sortOrder = data.sortOrder;
      if (active !== before.active) changes.active = active;
      if (makeDefault) changes.isDefault = true;
      if (Object.keys(changes).length === 0) return projectSaleUnit(before);
      if (makeDefault) await clearDefault(tx, input.productId, before.id);
      const [after] = await tx.update(saleUnits).set(changes).where(eq(saleUnits.id, before.id)).returning();
      await audit(tx, {
        actorUserId: input.actorUserId,
        action: changes.active === false ? "product.sale_unit.deactivate" : "product.sale_unit.update",
        entityType: "product",
        entityId: input.productId,
        data: {
          saleUnitId: before.id,
          before: Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof SaleUnitRow]])),
          after: changes,
        },
        requestId: input.requestId,
      });
      return projectSaleUnit(after!);
    });
  } catch (error) {
    if (driverErrorOf(error)?.code === "23505") throw labelTaken();
    throw error;
  }
}
