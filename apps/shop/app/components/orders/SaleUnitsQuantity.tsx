import type { BaseUnit } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { quantityText } from "../../lib/quantity-text";
import { Quantity } from "../Quantity";

/**
 * A quantity bought in a sale unit larger than one base unit, as "2 盒(30个)（60 个）"; in a unit of one base
 * unit (个, 袋) or without a sale unit (orders from before sale units), the quantity as always.
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
  if (!saleUnit || units === undefined || quantity === units)
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
