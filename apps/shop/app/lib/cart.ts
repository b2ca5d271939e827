import { type BaseUnit, MAX_ORDER_LINE_QUANTITY, MAX_ORDER_UNITS } from "@coop/shared";
import type { SaleUnit } from "@coop/shared/contract";
import { fromBaseQuantity, type InputUnit, toBaseQuantity } from "./quantity";
import { chooseSaleUnit } from "./sale-units";

/**
 * The buyer's cart: which sale units of which products and how many of each (30 个, or 1 盒(30个): two
 * lines when a buyer takes both). It lives in a signed cookie (cart.server.ts), so it holds no prices: every
 * page prices it again from the API. Small on purpose: a cookie must stay under 4 KB, and the API takes at
 * most 50 lines an order.
 */
export interface CartLine {
  productId: string;
  /** The sale unit bought (one of the product's saleUnits). */
  saleUnitId: string;
  /** How many of that unit: the "2" of "2 盒(30个)". */
  units: number;
}

/**
 * A line of a cookie written before sale units: base units only. It is turned into a sale-unit line the first
 * time the cart is priced (`convertOldLines`, with the rule orders used then), or dropped with a note.
 */
export interface OldCartLine {
  productId: string;
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
  /** Lines from an old cookie, waiting to be converted (empty for every cart written since). */
  old: OldCartLine[];
  /** The Idempotency-Key of the last "add" form: a double tap or a resent form adds nothing twice. */
  lastKey: string | null;
}

/** Lines in one cart (each costs about 75 bytes of cookie). */
export const MAX_CART_LINES = 30;
/** The most base units of one line in one order (the API's own limit). */
export const MAX_LINE_QUANTITY = MAX_ORDER_LINE_QUANTITY;

const ID = /^[A-Za-z0-9_]{1,64}$/;
const FORM_KEY = /^[A-Za-z0-9_.:-]{8,200}$/;

export function emptyCart(): Cart {
  return { lines: [], old: [], lastKey: null };
}

const positiveInt = (value: unknown, max: number): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= max;

const sameLine = (a: { productId: string; saleUnitId: string }, productId: string, saleUnitId: string) =>
  a.productId === productId && a.saleUnitId === saleUnitId;

/**
 * The cart from a cookie's value, whatever it holds: anything unexpected (a hand-edited value) is dropped
 * rather than trusted; duplicates are merged and the line limit applies. A cookie from before sale units
 * (`v: 1`, base quantities) comes back as `old` lines.
 */
export function decodeCart(value: unknown): Cart {
  if (!value || typeof value !== "object") return emptyCart();
  const { v, l, o, k } = value as { v?: unknown; l?: unknown; o?: unknown; k?: unknown };
  if (v !== 1 && v !== 2) return emptyCart();
  const cart: Cart = { ...emptyCart(), lastKey: typeof k === "string" && FORM_KEY.test(k) ? k : null };
  const oldEntries = v === 1 ? l : o;
  if (Array.isArray(oldEntries)) {
    for (const entry of oldEntries) {
      if (!Array.isArray(entry) || entry.length !== 2) continue;
      const [productId, quantity] = entry as [unknown, unknown];
      if (typeof productId !== "string" || !ID.test(productId) || !positiveInt(quantity, MAX_LINE_QUANTITY))
        continue;
      const existing = cart.old.find((line) => line.productId === productId);
      if (existing) existing.quantity = Math.min(MAX_LINE_QUANTITY, existing.quantity + quantity);
      else if (cart.old.length < MAX_CART_LINES) cart.old.push({ productId, quantity });
    }
  }
  if (v === 2 && Array.isArray(l)) {
    for (const entry of l) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [productId, saleUnitId, units] = entry as [unknown, unknown, unknown];
      if (typeof productId !== "string" || !ID.test(productId)) continue;
      if (typeof saleUnitId !== "string" || !ID.test(saleUnitId) || !positiveInt(units, MAX_ORDER_UNITS))
        continue;
      const existing = cart.lines.find((line) => sameLine(line, productId, saleUnitId));
      if (existing) existing.units = Math.min(MAX_ORDER_UNITS, existing.units + units);
      else if (cart.lines.length < MAX_CART_LINES) cart.lines.push({ productId, saleUnitId, units });
    }
  }
  return cart;
}

type Encoded = { v: 2; l: Array<[string, string, number]>; o?: Array<[string, number]>; k?: string };

/** The cart as the cookie stores it: `{ v: 2, l: [[productId, saleUnitId, units], …], o: [old lines], k }`. */
export function encodeCart(cart: Cart): Encoded {
  const encoded: Encoded = {
    v: 2,
    l: cart.lines.map((line) => [line.productId, line.saleUnitId, line.units]),
  };
  if (cart.old.length > 0) encoded.o = cart.old.map((line) => [line.productId, line.quantity]);
  if (cart.lastKey) encoded.k = cart.lastKey;
  return encoded;
}

/** Whether a count may be ordered in this unit: at least its minimum, and min + a whole number of steps. */
export function unitsFit(unit: Pick<SaleUnit, "minUnits" | "stepUnits">, units: number): boolean {
  return (
    Number.isSafeInteger(units) &&
    units >= unit.minUnits &&
    units <= MAX_ORDER_UNITS &&
    (units - unit.minUnits) % unit.stepUnits === 0
  );
}

/** The most of a unit one line may take: the API's limits on units and on base units (units × size). */
export function maxUnits(unit: Pick<SaleUnit, "size">): number {
  return Math.min(MAX_ORDER_UNITS, Math.floor(MAX_LINE_QUANTITY / unit.size));
}

/**
 * The stepper (− / +): the next count of this unit from `current`, moving by its step from its minimum.
 * A count off the steps (typed by hand) moves to the nearest step in that direction; − never goes below the
 * minimum (taking a line out is its own button) and + never above the most one line may take.
 */
export function stepUnits(
  unit: Pick<SaleUnit, "minUnits" | "stepUnits" | "size">,
  current: number,
  direction: 1 | -1,
): number {
  const { minUnits: min, stepUnits: step } = unit;
  const top = min + Math.floor((maxUnits(unit) - min) / step) * step;
  if (!Number.isFinite(current) || current < min) return min;
  const steps = (current - min) / step;
  const next = direction === 1 ? Math.floor(steps) + 1 : Math.ceil(steps) - 1;
  return Math.max(min, Math.min(top, min + next * step));
}

/** The typed count of a unit, or null when it is not a whole positive number. */
export function parseUnits(input: string): number | null {
  const trimmed = input.trim();
  if (!/^\d{1,7}$/.test(trimmed)) return null;
  const units = Number(trimmed);
  return units > 0 ? units : null;
}

export type AddOutcome = "added" | "replayed" | "full" | "tooMuch";

/**
 * Adds `units` of a sale unit of a product; the same form sent twice (same key) adds it once. Another unit of
 * the same product (个 beside 盒) is another line.
 */
export function addToCart(
  cart: Cart,
  item: { productId: string; saleUnitId: string; units: number },
  key: string | null = null,
): { cart: Cart; outcome: AddOutcome } {
  if (key && key === cart.lastKey) return { cart, outcome: "replayed" };
  const { productId, saleUnitId, units } = item;
  if (!ID.test(productId) || !ID.test(saleUnitId) || !positiveInt(units, MAX_ORDER_UNITS))
    return { cart, outcome: "tooMuch" };
  const existing = cart.lines.find((line) => sameLine(line, productId, saleUnitId));
  if (existing) {
    const total = existing.units + units;
    if (total > MAX_ORDER_UNITS) return { cart, outcome: "tooMuch" };
    const lines = cart.lines.map((line) => (line === existing ? { ...line, units: total } : line));
    return { cart: { ...cart, lines, lastKey: key ?? cart.lastKey }, outcome: "added" };
  }
  if (cart.lines.length + cart.old.length >= MAX_CART_LINES) return { cart, outcome: "full" };
  return {
    cart: { ...cart, lines: [...cart.lines, { productId, saleUnitId, units }], lastKey: key ?? cart.lastKey },
    outcome: "added",
  };
}

/** Sets the count of a line already in the cart; 0 takes it out. */
export function setCartUnits(cart: Cart, productId: string, saleUnitId: string, units: number): Cart {
  if (units === 0) return removeFromCart(cart, productId, saleUnitId);
  if (!positiveInt(units, MAX_ORDER_UNITS)) return cart;
  return {
    ...cart,
    lines: cart.lines.map((line) => (sameLine(line, productId, saleUnitId) ? { ...line, units } : line)),
  };
}

/** Takes one line out (one unit of one product; the product's other units stay). */
export function removeFromCart(cart: Cart, productId: string, saleUnitId: string): Cart {
  return { ...cart, lines: cart.lines.filter((line) => !sameLine(line, productId, saleUnitId)) };
}

/** Takes out the lines given (their product or unit is no longer on sale). */
export function withoutLines(
  cart: Cart,
  gone: ReadonlyArray<{ productId: string; saleUnitId: string }>,
): Cart {
  return {
    ...cart,
    lines: cart.lines.filter((line) => !gone.some((g) => sameLine(line, g.productId, g.saleUnitId))),
  };
}

/**
 * Turns an old cookie's base-unit lines into sale-unit lines, once: each in the largest unit on sale that its
 * quantity fills exactly (chooseSaleUnit, the rule checkout used for them), merged into a line of the same
 * unit. Lines no unit fits (part of a 斤) or whose product is gone are dropped, and named in `dropped` so
 * the cart can say so. `products` must hold every product of `cart.old` (null: no longer sold).
 */
export function convertOldLines(
  cart: Cart,
  products: ReadonlyMap<string, { saleUnits?: readonly SaleUnit[] | undefined } | null>,
): { cart: Cart; dropped: string[] } {
  let next: Cart = { ...cart, old: [] };
  const dropped: string[] = [];
  for (const line of cart.old) {
    const chosen = chooseSaleUnit(products.get(line.productId)?.saleUnits, line.quantity);
    const added = chosen
      ? addToCart(next, { productId: line.productId, saleUnitId: chosen.unit.id, units: chosen.units })
      : null;
    if (added?.outcome === "added") next = added.cart;
    else dropped.push(line.productId);
  }
  return { cart: next, dropped };
}

/** Adds base-unit lines to be converted later (a reorder of an order from before sale units). */
export function addOldLine(cart: Cart, line: OldCartLine): { cart: Cart; outcome: AddOutcome } {
  if (!ID.test(line.productId) || !positiveInt(line.quantity, MAX_LINE_QUANTITY))
    return { cart, outcome: "tooMuch" };
  const existing = cart.old.find((old) => old.productId === line.productId);
  if (existing) {
    const quantity = existing.quantity + line.quantity;
    if (quantity > MAX_LINE_QUANTITY) return { cart, outcome: "tooMuch" };
    const old = cart.old.map((o) => (o === existing ? { ...o, quantity } : o));
    return { cart: { ...cart, old }, outcome: "added" };
  }
  if (cart.lines.length + cart.old.length >= MAX_CART_LINES) return { cart, outcome: "full" };
  return { cart: { ...cart, old: [...cart.old, line] }, outcome: "added" };
}

/**
 * The unit a buyer types a quantity in: goods sold by weight in 斤 (the way a market sells them),
 * everything else in its own unit (个, 袋, 毫升). (Assisted orders at a service point still take quantities.)
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
