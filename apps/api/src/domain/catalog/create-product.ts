import type { Executor } from "@coop/db";
import { products, saleUnits } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { CreateProduct } from "@coop/shared/contract";
import { eq, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { productSearchText } from "./search-text";

export async function createProduct(
  db: Executor,
  input: { coopId: string; actorUserId: string; requestId?: string; data: CreateProduct },
) {
  const { data } = input;
  return db.transaction(async (tx) => {
    const id = newId("product");
    // Names the admin in the product's first commission history row, which the database writes (0016).
    await tx.execute(sql`SELECT set_config('coop.actor_user_id', ${input.actorUserId}, true)`);
    const inserted = await tx
      .insert(products)
      .values({
        id,
        coopId: input.coopId,
        sku: data.sku,
        nameZh: data.name.zh,
        nameEn: data.name.en,
        descriptionZh: data.description?.zh ?? "",
        descriptionEn: data.description?.en ?? "",
        kind: data.kind,
        unit: data.unit,
        priceFen: data.priceFen,
        commissionBps: data.commissionBps ?? null,
        perishable: data.perishable,
        searchText: productSearchText({ nameZh: data.name.zh, nameEn: data.name.en, sku: data.sku }),
      })
      .onConflictDoNothing({ target: products.sku })
      .returning({ id: products.id });
    if (inserted.length === 0) {
      throw new ApiError("ALREADY_EXISTS", `A product with SKU ${data.sku} already exists.`, {
        fields: [{ path: "sku", message: "already used" }],
      });
    }
    if (data.saleUnit) {
      // Sold from the start in the unit given (1 斤 at ¥13.80): it replaces the one-base-unit default the
      // database made for the new product (migration 0021), and priceFen follows it (trigger).
      await tx.delete(saleUnits).where(eq(saleUnits.productId, id));
      await tx.insert(saleUnits).values({
        id: newId("saleUnit"),
        productId: id,
        labelZh: data.saleUnit.label.zh,
        labelEn: data.saleUnit.label.en,
        size: data.saleUnit.size,
        priceFen: data.saleUnit.priceFen,
        isDefault: true,
      });
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "product.create",
      entityType: "product",
      entityId: id,
      data,
      requestId: input.requestId,
    });
    return { id };
  });
}
