import { addToCart, type Cart } from "./cart";

/**
 * 再买一次: an earlier order's goods put in the cart again, as the form on a history row sends them
 * ("productId:quantity" fields). Prices are not carried: the cart prices everything again from the API, and
 * products the co-op no longer sells leave the cart there (the buyer is told).
 */
export interface ReorderItem {
  productId: string;
  quantity: number;
}

const ITEM = /^([A-Za-z0-9_]{1,64}):(\d{1,9})$/;

/** The items of a reorder form; anything malformed is dropped. */
export function reorderItems(values: readonly unknown[]): ReorderItem[] {
  const items: ReorderItem[] = [];
  for (const value of values) {
    const match = typeof value === "string" ? ITEM.exec(value) : null;
    if (match) items.push({ productId: match[1]!, quantity: Number(match[2]) });
  }
  return items;
}

/** The form value of one item. */
export const reorderValue = (item: ReorderItem) => `${item.productId}:${item.quantity}`;

/**
 * Adds every item once; the same form sent twice (same key) adds nothing the second time. Items the cart
 * cannot take (full, or over the most one order may have) are counted in `skipped`.
 */
export function reorderIntoCart(
  cart: Cart,
  items: readonly ReorderItem[],
  key: string | null,
): { cart: Cart; added: number; skipped: number; replayed: boolean } {
  if (key && key === cart.lastKey) return { cart, added: 0, skipped: 0, replayed: true };
  let next = cart;
  let added = 0;
  let skipped = 0;
  for (const item of items) {
    const result = addToCart(next, item.productId, item.quantity);
    if (result.outcome === "added") {
      next = result.cart;
      added++;
    } else skipped++;
  }
  return { cart: { ...next, lastKey: key ?? next.lastKey }, added, skipped, replayed: false };
}
