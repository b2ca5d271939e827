import type { SaleUnit } from "@coop/shared/contract";

/**
 * The shop's cart counts base units (eggs, grams, ml) as the buyer types them; the API sells sale units
 * (个, 盒(30个), 斤, 瓶(500毫升)). A cart line is ordered in the largest unit on sale that its quantity fills
 * exactly (30 eggs = 1 盒(30个) at the box's price; 31 eggs = 31 个), within the unit's minimum and step.
 * null: no unit fits, and the buyer is asked for a quantity that does (e.g. whole 斤).
 */
export function chooseSaleUnit(
  saleUnits: readonly SaleUnit[] | undefined,
  quantity: number,
): { unit: SaleUnit; units: number } | null {
  if (!saleUnits || saleUnits.length === 0) return null;
  const fitting = saleUnits
    .filter((u) => quantity % u.size === 0)
    .map((u) => ({ unit: u, units: quantity / u.size }))
    .filter(({ unit, units }) => units >= unit.minUnits && (units - unit.minUnits) % unit.stepUnits === 0);
  fitting.sort((a, b) => b.unit.size - a.unit.size || Number(b.unit.isDefault) - Number(a.unit.isDefault));
  return fitting[0] ?? null;
}

/** The smallest sale unit on sale: what a quantity must be a whole number of. */
export function smallestSaleUnit(saleUnits: readonly SaleUnit[] | undefined): SaleUnit | null {
  if (!saleUnits || saleUnits.length === 0) return null;
  return [...saleUnits].sort((a, b) => a.size - b.size)[0]!;
}
