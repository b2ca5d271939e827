import type { BaseUnit } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { quantityText } from "../../lib/quantity-text";
import { Quantity } from "../Quantity";

/**
 * A quantity of counted goods bought in a sale unit larger than one piece, as "2 盒(30个)（60 个）"; anything
 * else (个, 袋, weights, volumes, orders from before sale units) reads as the quantity always has.
 */
export function SaleUnitsQuantity({
  quantity,
  unit,
  saleUnit,
  units,
}: {
  quantity: number;
  unit: BaseUnit;
  saleUnit: { label: { zh: string; en: string }; size?: number } | null | undefined;
  units: number | undefined;
}) {
  const { t, i18n } = useTranslation();
  // Weights and volumes already read in the units people use (1 斤 (500 克), 500 毫升): only counted goods
  // name the unit bought beside the count.
  const counted = unit === "piece" || unit === "bag";
  if (!saleUnit || units === undefined || quantity === units || !counted)
    return <Quantity quantity={quantity} unit={unit} />;
  return (
    <span className="quantity" data-quantity={quantity} data-unit={unit} data-units={units}>
      {t("price.unitsOf", {
        units,
        label: localized(saleUnit.label, i18n.language),
        quantity: quantityText(quantity, unit, t).main,
      })}
    </span>
  );
}
