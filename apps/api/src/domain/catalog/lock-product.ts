import type { Executor } from "@coop/db";
import { products } from "@coop/db/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

/**
 * Locks one of the co-op's products for a change to what hangs off it (its photos, its sale units), so two
 * admins editing at once take turns; another co-op's product is not found.
 */
export async function lockProduct(tx: Executor, coopId: string, productId: string): Promise<void> {
  const [product] = await tx
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, productId), eq(products.coopId, coopId)))
    .for("update");
  if (!product) throw new ApiError("NOT_FOUND", "There is no such product.");
}
