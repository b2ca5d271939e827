/**
 * Money is kept as integer fen (1 yuan = 100 fen) everywhere inside the system. Conversion to and
 * from yuan happens only at the edges (forms, display), never in arithmetic.
 */
export type Fen = number;

export const FEN_PER_YUAN = 100;
/** Basis points: 10,000 bps = 100 %. Commission rates are stored this way so they stay integers. */
export const BPS_DENOMINATOR = 10_000;

export function assertFen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Not a whole number of fen: ${value}`);
  return value;
}

/**
 * Parses a yuan amount typed by a person ("12", "12.5", "12.50") into fen without floating-point
 * arithmetic. Returns null for anything that is not a plain non-negative amount with at most 2 decimals.
 */
export function parseYuan(input: string): Fen | null {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(2, "0"));
  return whole * FEN_PER_YUAN + fraction;
}

/** "1234" fen → "12.34" (no currency sign); negative amounts keep their sign. */
export function fenToYuanString(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / FEN_PER_YUAN);
  const rest = String(abs % FEN_PER_YUAN).padStart(2, "0");
  return `${sign}${yuan}.${rest}`;
}

/** Formats fen for display, e.g. "¥12.34". One function so every screen shows money the same way. */
export function formatFen(fen: Fen): string {
  const s = fenToYuanString(fen);
  return s.startsWith("-") ? `-¥${s.slice(1)}` : `¥${s}`;
}

/**
 * Splits a sale amount between the villager and the co-op. The co-op's commission is
 * amount × bps / 10,000 rounded half-down to the fen (ties go to the villager); the villager gets the rest,
 * so the two shares always add up to the sale amount exactly.
 */
export function splitCommission(amountFen: Fen, commissionBps: number): { villagerFen: Fen; coopFen: Fen } {
  assertFen(amountFen);
  if (!Number.isInteger(commissionBps) || commissionBps < 0 || commissionBps > BPS_DENOMINATOR) {
    throw new RangeError(`Commission must be 0..10000 basis points: ${commissionBps}`);
  }
  if (amountFen < 0) throw new RangeError("A sale amount cannot be negative");
  const product = amountFen * commissionBps;
  const floor = Math.floor(product / BPS_DENOMINATOR);
  const remainder = product - floor * BPS_DENOMINATOR;
  const coopFen = remainder * 2 > BPS_DENOMINATOR ? floor + 1 : floor;
  return { villagerFen: amountFen - coopFen, coopFen };
}

/**
 * Splits a whole amount of fen over parts in proportion to their weights (the base quantities a line drew
 * from each lot), by the largest-remainder method: each part gets the floor of its exact share, and the fen
 * left over go one each to the parts with the largest fractional remainders, ties to the earlier part (the
 * earlier lot in FEFO order). The parts always add up to the total exactly, and no part is more than one fen
 * away from its exact share — also when the price per base unit is fractional (1 斤 ¥13.80 = 2.76 fen/g).
 */
export function splitByLargestRemainder(totalFen: Fen, weights: readonly number[]): Fen[] {
  assertFen(totalFen);
  if (totalFen < 0) throw new RangeError("An amount to split cannot be negative");
  if (weights.length === 0) throw new RangeError("Nothing to split over");
  if (!weights.every((w) => Number.isSafeInteger(w) && w >= 0))
    throw new RangeError("Weights must be whole non-negative numbers");
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) throw new RangeError("Weights must not all be zero");
  // BigInt: total × weight can pass 2^53 for large lines (¥29,800 × 100,000 g).
  const total = BigInt(totalFen);
  const whole = BigInt(sum);
  const parts = weights.map((w) => (total * BigInt(w)) / whole);
  const remainders = weights.map((w, i) => ({ i, r: total * BigInt(w) - parts[i]! * whole }));
  let left = Number(total - parts.reduce((s, p) => s + p, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0) break;
    parts[i] = parts[i]! + 1n;
    left--;
  }
  return parts.map(Number);
}

/**
 * The price of part of a sale unit line: `quantity` base units of a line of `lineQuantity` base units that
 * costs `lineTotalFen`. The part and the rest split the line by the largest-remainder rule (the part
 * counted first), so part + rest = the line's total to the fen.
 */
export function partOfLineFen(lineTotalFen: Fen, lineQuantity: number, quantity: number): Fen {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > lineQuantity)
    throw new RangeError(`A part of a line must be 0..${lineQuantity} base units: ${quantity}`);
  if (quantity === lineQuantity) return lineTotalFen;
  if (quantity === 0) return 0;
  return splitByLargestRemainder(lineTotalFen, [quantity, lineQuantity - quantity])[0]!;
}
