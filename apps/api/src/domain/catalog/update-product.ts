import type { Executor } from "@coop/db";
import { products } from "@coop/db/schema";
import type { ProductChanges } from "@coop/shared/contract";
import { eq, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { definedOnly } from "../locations/place-views";
import { getAdminProduct, unitInUse } from "./admin-products";
import { productSearchText } from "./search-text";

type ProductRow = typeof products.$inferSelect;

/**
 * The admin changes a product: names, description, price, whether it is on sale, its unit (only while
 * nothing counts in it yet: 409 otherwise) and its commission. A new commission is never an edit of the old:
 * the database adds a row to product_commission_rates (migration 0016) naming who set it, and each sale
 * is credited at the rate in force when it is recorded (record-sale.ts reads products.commission_bps then);
 * a sale already recorded keeps the commission written in its consignor entry. Audited with before/after.
 */
export async function updateProduct(
  db: Executor,
  input: { actorUserId: string; requestId?: string; id: string; data: ProductChanges },
) {
  const { data } = input;
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(products).where(eq(products.id, input.id)).for("update");
    if (!before) throw new ApiError("NOT_FOUND", "There is no such product.");
    const wanted = definedOnly({
      nameZh: data.name?.zh,
      nameEn: data.name?.en,
      descriptionZh: data.description?.zh,
      descriptionEn: data.description?.en,
      unit: data.unit,
      priceFen: data.priceFen,
      commissionBps: data.commissionBps,
      active: data.active,
    });
    const changes = Object.fromEntries(
      Object.entries(wanted).filter(([key, value]) => before[key as keyof ProductRow] !== value),
    ) as Partial<ProductRow>;
    if (Object.keys(changes).length === 0) return;
    if (changes.unit && (await unitInUse(tx, input.id))) {
      throw new ApiError(
        "INVALID_STATE",
        "The unit can no longer change: lots, stock or orders already count this product in it. Add a new product instead.",
        { fields: [{ path: "unit", message: "already used by lots, stock or orders" }] },
      );
    }
    // Names the admin in the commission history row the trigger writes (transaction-local).
    if ("commissionBps" in changes) {
      await tx.execute(sql`SELECT set_config('coop.actor_user_id', ${input.actorUserId}, true)`);
    }
    // A rename is found by its new names (and their pinyin) at once, not after the API's next start.
    const searchText =
      "nameZh" in changes || "nameEn" in changes
        ? productSearchText({
            nameZh: changes.nameZh ?? before.nameZh,
            nameEn: changes.nameEn ?? before.nameEn,
            sku: before.sku,
          })
        : undefined;
    await tx
      .update(products)
      .set({ ...changes, ...(searchText ? { searchText } : {}) })
      .where(eq(products.id, input.id));
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: changes.active === false ? "product.deactivate" : "product.update",
      entityType: "product",
      entityId: input.id,
      data: {
        before: Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof ProductRow]])),
        after: changes,
      },
      requestId: input.requestId,
    });
  });
  return (await getAdminProduct(db, input.id))!;
}
