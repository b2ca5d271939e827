import { z } from "zod";
import type { ApiClient } from "./api.server";
import type { Cart } from "./cart";
import { type PricedCart, type PricedProduct, priceCart } from "./checkout";

/**
 * Every product of a cart as the API sells it now (null: no longer sold), fetched side by side, with what
 * can be had at the pickup point given (absent: what the warehouse can deliver).
 */
export async function cartProducts(
  api: ApiClient,
  productIds: readonly string[],
  servicePointId?: string,
): Promise<Map<string, PricedProduct | null>> {
  const products = await Promise.all(productIds.map((id) => api.getProduct(id, servicePointId)));
  return new Map(productIds.map((id, index) => [id, products[index] ?? null]));
}

/** The cart priced from the API, each line checked against what can be had at the place given. */
export async function pricedCart(api: ApiClient, cart: Cart, servicePointId?: string): Promise<PricedCart> {
  const products = await cartProducts(
    api,
    cart.lines.map((line) => line.productId),
    servicePointId,
  );
  return priceCart(cart.lines, products);
}

/** error.details of a 409 OUT_OF_STOCK: the lines the API could not reserve, and what it has there. */
const OutOfStockDetails = z.object({
  lines: z.array(
    z.object({
      productId: z.string(),
      requested: z.number().int(),
      available: z.number().int().min(0).optional(),
    }),
  ),
});

/** The short lines of an OUT_OF_STOCK answer; an answer without them (an older API) names none. */
export function outOfStockLines(
  details: unknown,
): Array<{ productId: string; requested: number; available?: number | undefined }> {
  const parsed = OutOfStockDetails.safeParse(details);
  return parsed.success ? parsed.data.lines : [];
}
