import { type BaseUnit, UNIT_LABELS } from "@coop/shared";

/**
 * Prices are kept per base unit, but a price per gram ("¥0.03 / 克") means nothing to a shopper:
 * goods sold by weight or volume are priced per 500 (one 斤 of vegetables, a common bottle of oil).
 */
export const PRICE_QUANTITY: Record<BaseUnit, number> = { piece: 1, gram: 500, ml: 500, bag: 1 };

/** The unit's label in the reader's language, from the shared UNIT_LABELS. */
export function unitLabel(unit: BaseUnit, language: string, count = 1): string {
  const labels = UNIT_LABELS[unit];
  if (language !== "en") return labels.zh;
  // English counts: "1 piece", "3 pieces"; abbreviations (g, ml) do not take an s.
  return count !== 1 && (unit === "piece" || unit === "bag") ? `${labels.en}s` : labels.en;
}
