import { type AddOutcome, addOldLine, addToCart, type Cart } from "./cart";

/**
 * 再买一次: an earlier order's goods put in the cart again, as the form on a history row sends them. A line
 * bought in a sale unit comes back in that unit and count ("productId:saleUnitId:units": 2 盒(30个) stays 2
 * boxes, 30 个 stays 30 loose eggs); a line from before sale units ("productId:quantity", base units) goes in as
 * an old line, converted when the cart opens. Prices are not carried: the cart prices everything again from the
 * API, and products or units the co-op no longer sells leave the cart there (the buyer is told).
 */
export type ReorderItem =
  | { productId: string; saleUnitId: string; units: number }
  | { productId: string; saleUnitId?: undefined; quantity: number };

const ITEM = /^([A-Za-z0-9_]{1,64}):(?:([A-Za-z0-9_]{1,64}):)?(\d{1,9})$/;

/** The items of a reorder form; anything malformed is dropped. */
export function reorderItems(values: readonly unknown[]): ReorderItem[] {
  const items: ReorderItem[] = [];
  for (const value of values) {
    const match = typeof value === "string" ? ITEM.exec(value) : null;
    if (!match) continue;
    const count = Number(match[3]);
    if (count <= 0) continue;
    items.push(
      match[2]
        ? { productId: match[1]!, saleUnitId: match[2], units: count }
        : { productId: match[1]!, quantity: count },
    );
  }
  return items;
}

/** The form value of one item. */
export const reorderValue = (item: ReorderItem) =>
  item.saleUnitId !== undefined
    ? `${item.productId}:${item.saleUnitId}:${item.units}`
    : `${item.productId}:${item.quantity}`;

/** What 再买一次 carries of a past order line: its sale unit and count when it had one. */
export function reorderItemOf(line: {
  productId: string;
  quantity: number;
  saleUnit?: { id: string } | null | undefined;
  units?: number | undefined;
}): ReorderItem {
  return line.saleUnit && line.units
    ? { productId: line.productId, saleUnitId: line.saleUnit.id, units: line.units }
    : { productId: line.productId, quantity: line.quantity };
}

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
    const result: { cart: Cart; outcome: AddOutcome } =
      item.saleUnitId !== undefined ? addToCart(next, item) : addOldLine(next, item);
    if (result.outcome === "added") {
      next = result.cart;
      added++;
    } else skipped++;
  }
  return { cart: { ...next, lastKey: key ?? next.lastKey }, added, skipped, replayed: false };
}
