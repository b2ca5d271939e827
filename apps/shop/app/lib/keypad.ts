import type { KeypadKey } from "./quantity";

export type { KeypadKey } from "./quantity";
export { pressKey } from "./quantity";

/**
 * What a pickup-code field says after a key: digits only, leading zeros kept ("012345" is a code),
 * at most `length` of them.
 */
export function pressCodeKey(current: string, key: KeypadKey, length = 6): string {
  if (key === "clear") return "";
  if (key === "back") return current.slice(0, -1);
  if (key === "." || current.length >= length) return current;
  return `${current}${key}`;
}

const MAX_YUAN_DIGITS = 7;

/**
 * What a yuan field says after a key: one decimal point, at most 2 decimals (fen), no leading zeros,
 * at most ¥9,999,999.
 */
export function pressMoneyKey(current: string, key: KeypadKey): string {
  if (key === "clear") return "";
  if (key === "back") return current.slice(0, -1);
  const [whole = "", fraction] = current.split(".");
  if (key === ".") return fraction !== undefined ? current : `${whole || "0"}.`;
  if (fraction !== undefined) return fraction.length >= 2 ? current : `${current}${key}`;
  if (whole === "0") return key;
  if (whole.length >= MAX_YUAN_DIGITS) return current;
  return `${current}${key}`;
}
