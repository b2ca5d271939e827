import { type BaseUnit, MAX_ORDER_LINE_QUANTITY } from "@coop/shared";
import { fromBaseQuantity, type InputUnit, toBaseQuantity } from "./quantity";

/**
 * The buyer's cart: which products and how many of each, in base units (pieces, grams, ml, bags). It
 * lives in a signed cookie (cart.server.ts), so it holds no prices: every page prices it again from the
 * API. Small on purpose: a cookie must stay under 4 KB, and the API takes at most 50 lines an order.
 */
export interface CartLine {
  productId: string;
  /** In the product's base unit. */
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
  /** The Idempotency-Key of the last "add" form: a double tap or a resent form adds nothing twice. */
  lastKey: string | null;
}

/** Different products in one cart (each line costs about 45 bytes of cookie). */
export const MAX_CART_LINES = 30;
/** The most of one product in one order (the API's own limit). */
export const MAX_LINE_QUANTITY = MAX_ORDER_LINE_QUANTITY;

const PRODUCT_ID = /^[A-Za-z0-9_]{1,64}$/;
const FORM_KEY = /^[A-Za-z0-9_.:-]{8,200}$/;

export function emptyCart(): Cart {
  return { lines: [], lastKey: null };
}

function validQuantity(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= MAX_LINE_QUANTITY;
}

/**
 * The cart from a cookie's value, whatever it holds: anything unexpected (an old format, a hand-edited
 * value) is dropped rather than trusted; duplicates are merged and the line limit applies.
 */
export function decodeCart(value: unknown): Cart {
  if (!value || typeof value !== "object" || (value as { v?: unknown }).v !== 1) return emptyCart();
  const { l, k } = value as { l?: unknown; k?: unknown };
  const cart: Cart = { lines: [], lastKey: typeof k === "string" && FORM_KEY.test(k) ? k : null };
  if (!Array.isArray(l)) return cart;
  for (const entry of l) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [productId, quantity] = entry as [unknown, unknown];
    if (typeof productId !== "string" || !PRODUCT_ID.test(productId) || !validQuantity(quantity)) continue;
    const existing = cart.lines.find((line) => line.productId === productId);
    if (existing) existing.quantity = Math.min(MAX_LINE_QUANTITY, existing.quantity + quantity);
    else if (cart.lines.length < MAX_CART_LINES) cart.lines.push({ productId, quantity });
  }
  return cart;
}

/** The cart as the cookie stores it: `{ v: 1, l: [[productId, quantity], …], k: lastKey }`. */
export function encodeCart(cart: Cart): { v: 1; l: Array<[string, number]>; k?: string } {
  const encoded: { v: 1; l: Array<[string, number]>; k?: string } = {
    v: 1,
    l: cart.lines.map((line) => [line.productId, line.quantity]),
  };
  if (cart.lastKey) encoded.k = cart.lastKey;
  return encoded;
}

export type AddOutcome = "added" | "replayed" | "full" | "tooMuch";

/** Adds a quantity of a product; the same form sent twice (same key) adds it once. */
export function addToCart(
  cart: Cart,
  productId: string,
  quantity: number,
  key: string | null = null,
): { cart: Cart; outcome: AddOutcome } {
  if (key && key === cart.lastKey) return { cart, outcome: "replayed" };
  if (!PRODUCT_ID.test(productId) || !validQuantity(quantity)) return { cart, outcome: "tooMuch" };
  const existing = cart.lines.find((line) => line.productId === productId);
  if (existing) {
    const total = existing.quantity + quantity;
    if (total > MAX_LINE_QUANTITY) return { cart, outcome: "tooMuch" };
    const lines = cart.lines.map((line) => (line === existing ? { productId, quantity: total } : line));
    return { cart: { lines, lastKey: key ?? cart.lastKey }, outcome: "added" };
  }
  if (cart.lines.length >= MAX_CART_LINES) return { cart, outcome: "full" };
  return {
    cart: { lines: [...cart.lines, { productId, quantity }], lastKey: key ?? cart.lastKey },
    outcome: "added",
  };
}

/** Sets the quantity of a product already in the cart; 0 takes it out. */
export function setCartQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (quantity === 0) return removeFromCart(cart, productId);
  if (!validQuantity(quantity)) return cart;
  return {
    ...cart,
    lines: cart.lines.map((line) => (line.productId === productId ? { productId, quantity } : line)),
  };
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return { ...cart, lines: cart.lines.filter((line) => line.productId !== productId) };
}

/** Takes out every product in `productIds` (gone from the catalog). */
export function withoutProducts(cart: Cart, productIds: readonly string[]): Cart {
  return { ...cart, lines: cart.lines.filter((line) => !productIds.includes(line.productId)) };
}

/**
 * The unit a buyer types a quantity in: goods sold by weight in 斤 (the way a market sells them),
 * everything else in its own unit (个, 袋, 毫升).
 */
export function buyerInputUnit(unit: BaseUnit): InputUnit {
  return unit === "gram" ? "jin" : unit;
}

/** What a buyer typed as base units, or null when it is not a positive amount of whole base units. */
export function parseBuyerQuantity(input: string, unit: BaseUnit): number | null {
  const quantity = toBaseQuantity(input, buyerInputUnit(unit));
  return quantity !== null && quantity <= MAX_LINE_QUANTITY ? quantity : null;
}

/** A quantity in base units as the buyer's field shows it (500 g → "1" 斤). */
export function buyerQuantityText(quantity: number, unit: BaseUnit): string {
  return fromBaseQuantity(quantity, buyerInputUnit(unit));
}

/** The quantity a buyer's field starts at: one piece or bag, one 斤, 500 ml. */
export function defaultBuyerQuantity(unit: BaseUnit): string {
  return unit === "ml" ? "500" : "1";
}
