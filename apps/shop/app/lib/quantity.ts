import {
  type BaseUnit,
  GRAMS_PER_JIN,
  MAX_LOT_QUANTITY,
  type WeightInputUnit,
  weightToGrams,
} from "@coop/shared";

/**
 * Quantities are whole numbers in a product's base unit (pieces, grams, ml, bags). People think in 斤
 * and 个: this module turns what they type into base units and base units into what they read.
 */

/** Units a quantity is shown in; each has a label in the catalogs (quantity.units.*). */
export type DisplayUnit = "piece" | "gram" | "jin" | "kg" | "ml" | "litre" | "bag";

export interface QuantityPart {
  /** Digits with a decimal point, no grouping ("2.5", "1250"); the component groups them. */
  value: string;
  unit: DisplayUnit;
}

export interface QuantityDescription {
  negative: boolean;
  /** What a person reads first: "2.5 斤". */
  main: QuantityPart;
  /** The exact base amount in brackets, when `main` is in another unit: "(1250 克)". */
  exact: QuantityPart | null;
}

/** "1250" / 500 with up to 3 decimals, trailing zeros dropped: integer arithmetic only. */
function divide(amount: number, by: number): string {
  const whole = Math.floor(amount / by);
  const rest = amount - whole * by;
  if (rest === 0) return String(whole);
  // by is 500 or 1000: rest/by has at most 3 decimals.
  const thousandths = Math.round((rest * 1000) / by);
  return `${whole}.${String(thousandths).padStart(3, "0").replace(/0+$/, "")}`;
}

/**
 * How to show an amount of a base unit: grams from 500 up as 斤 with the grams in brackets
 * ("2.5 斤 (1250 克)"), millilitres from 1000 up as litres; pieces and bags as they are.
 */
export function describeQuantity(quantity: number, unit: BaseUnit): QuantityDescription {
  const negative = quantity < 0;
  const amount = Math.abs(quantity);
  const base: QuantityPart = { value: String(amount), unit };
  if (unit === "gram" && amount >= GRAMS_PER_JIN) {
    return { negative, main: { value: divide(amount, GRAMS_PER_JIN), unit: "jin" }, exact: base };
  }
  if (unit === "ml" && amount >= 1000) {
    return { negative, main: { value: divide(amount, 1000), unit: "litre" }, exact: base };
  }
  return { negative, main: base, exact: null };
}

/** "1250" → "1,250"; "1234.5" → "1,234.5". Grouping by hand, so server and browser agree exactly. */
export function groupDigits(value: string): string {
  const [whole = "", decimals] = value.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return decimals === undefined ? grouped : `${grouped}.${decimals}`;
}

/** The units an agent may type a quantity of a product in; the first is the default. */
export function inputUnitsFor(unit: BaseUnit): readonly InputUnit[] {
  return unit === "gram" ? WEIGHT_INPUT_UNITS : [unit];
}

export type InputUnit = WeightInputUnit | Exclude<BaseUnit, "gram">;
export const WEIGHT_INPUT_UNITS: readonly WeightInputUnit[] = ["jin", "kg", "gram"];

export function isInputUnit(value: unknown, unit: BaseUnit): value is InputUnit {
  return typeof value === "string" && (inputUnitsFor(unit) as readonly string[]).includes(value);
}

/** Whether a decimal point makes sense for a unit (2.5 斤 yes, 2.5 个 no). */
export function allowsDecimals(inputUnit: InputUnit): boolean {
  return inputUnit === "jin" || inputUnit === "kg";
}

/** What an agent may type for one lot, count or return; order lines are bounded lower by the cart. */
const MAX_BASE_QUANTITY = MAX_LOT_QUANTITY;

/**
 * What an agent typed, in the unit they chose, as whole base units; null when it is not a positive
 * amount that comes to whole base units (2.5 个, 0, "abc", 0.0001 斤).
 */
export function toBaseQuantity(input: string, inputUnit: InputUnit): number | null {
  const text = input.trim();
  let result: number | null;
  if (inputUnit === "jin" || inputUnit === "kg" || inputUnit === "gram") {
    result = weightToGrams(text, inputUnit);
  } else {
    result = /^\d{1,8}$/.test(text) ? Number(text) : null;
  }
  if (result === null || result <= 0 || result > MAX_BASE_QUANTITY) return null;
  return result;
}

/** The same quantity as a string in an input unit, for prefilling a field ("1250" g → "2.5" 斤). */
export function fromBaseQuantity(quantity: number, inputUnit: InputUnit): string {
  if (inputUnit === "jin") return divide(quantity, GRAMS_PER_JIN);
  if (inputUnit === "kg") return divide(quantity, 1000);
  return String(quantity);
}

/** Keys of the on-screen keypad. */
export type KeypadKey = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "." | "back" | "clear";

const MAX_DIGITS = 8;

/**
 * What the field says after a key of the keypad is pressed. Keeps the text a valid number as it is
 * typed: one decimal point (only where decimals make sense), at most 3 decimals, no leading zeros.
 */
export function pressKey(current: string, key: KeypadKey, decimals: boolean): string {
  if (key === "clear") return "";
  if (key === "back") return current.slice(0, -1);
  const [whole = "", fraction] = current.split(".");
  if (key === ".") {
    if (!decimals || fraction !== undefined) return current;
    return `${whole || "0"}.`;
  }
  if (fraction !== undefined) return fraction.length >= 3 ? current : `${current}${key}`;
  if (whole === "0") return key;
  if (whole.length >= MAX_DIGITS) return current;
  return `${current}${key}`;
}
