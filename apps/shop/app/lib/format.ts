/** "13812345678" → "138 1234 5678": how people read a mobile number aloud. */
export function formatPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone;
}

/** "138****5678": a number on a slip of paper that may be lost. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** Whether what was typed in a search box is (the start of) a mobile number rather than a name. */
export function looksLikePhone(value: string): boolean {
  return /^[\d\s-]{3,}$/.test(value);
}

/** Basis points as a percentage for a field: 1000 → "10", 850 → "8.5". */
export function bpsToPercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = bps % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

/** A percentage typed by a person ("10", "8.5") as basis points; null if it is not 0–100 with ≤ 2 decimals. */
export function percentToBps(input: string): number | null {
  const match = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(input);
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return bps <= 10_000 ? bps : null;
}

/**
 * A price typed per sales quantity (per 500 g for goods sold by weight, per item otherwise) as fen per
 * base unit; null when it is not a yuan amount or does not divide into whole fen per base unit.
 */
export function pricePerBaseUnit(fenPerQuantity: number | null, quantity: number): number | null {
  if (fenPerQuantity === null || fenPerQuantity % quantity !== 0) return null;
  return fenPerQuantity / quantity;
}
