import type { BaseUnit } from "@coop/shared";
import { asBuyerT, type BuyerT } from "../i18n";
import { describeQuantity, groupDigits, type QuantityPart } from "./quantity";

/**
 * A quantity as text in the reader's language: the main amount ("2.5 斤") and the exact base amount
 * in brackets ("(1,250 克)") when they differ. The Quantity component and printed slips both use it.
 */
export function quantityText(
  quantity: number,
  unit: BaseUnit,
  anyT: BuyerT,
  options: { signed?: boolean } = {},
): { main: string; exact: string | null } {
  const t = asBuyerT(anyT);
  const { negative, main, exact } = describeQuantity(quantity, unit);
  const part = (p: QuantityPart) =>
    t("quantity.amount", { value: groupDigits(p.value), unitName: t(`quantity.units.${p.unit}`) });
  const sign = negative ? "−" : options.signed && quantity > 0 ? "+" : "";
  return { main: `${sign}${part(main)}`, exact: exact ? t("quantity.exact", { amount: part(exact) }) : null };
}

/** The whole quantity on one line: "2.5 斤 (1,250 克)". */
export function quantityLine(quantity: number, unit: BaseUnit, t: BuyerT): string {
  const { main, exact } = quantityText(quantity, unit, t);
  return exact ? `${main} ${exact}` : main;
}
