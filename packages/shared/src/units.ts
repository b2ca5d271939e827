/**
 * Quantities are integers in a product's base unit: pieces (eggs, jars), grams (vegetables by weight),
 * millilitres (oil), bags (fertilizer). People weigh in 斤 (jin, 500 g) and kg; the screens convert.
 */
export const BASE_UNITS = ["piece", "gram", "ml", "bag"] as const;
export type BaseUnit = (typeof BASE_UNITS)[number];

export const GRAMS_PER_JIN = 500;
export const GRAMS_PER_KG = 1000;

/** Units a person may type a weight in; all convert exactly to whole grams when given to 0.001 kg / 0.002 jin. */
export type WeightInputUnit = "gram" | "jin" | "kg";

const GRAMS_PER: Record<WeightInputUnit, number> = { gram: 1, jin: GRAMS_PER_JIN, kg: GRAMS_PER_KG };

/**
 * Converts a decimal weight typed by a person ("2.5" 斤) to whole grams without floating-point error.
 * Returns null if the input is not a positive decimal or does not come to a whole number of grams.
 */
export function weightToGrams(input: string, unit: WeightInputUnit): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,3}))?\s*$/.exec(input);
  if (!match) return null;
  const decimals = match[2] ?? "";
  const scale = 10 ** decimals.length;
  const scaled = Number(match[1]) * scale + Number(decimals || "0");
  const gramsTimesScale = scaled * GRAMS_PER[unit];
  if (gramsTimesScale % scale !== 0) return null;
  const grams = gramsTimesScale / scale;
  return grams > 0 ? grams : null;
}

/** A short bilingual label of a base unit, for prices such as "¥2.00 / 枚". */
export const UNIT_LABELS: Record<BaseUnit, { zh: string; en: string }> = {
  piece: { zh: "个", en: "piece" },
  gram: { zh: "克", en: "g" },
  ml: { zh: "毫升", en: "ml" },
  bag: { zh: "袋", en: "bag" },
};
