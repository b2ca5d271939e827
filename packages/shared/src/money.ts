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
