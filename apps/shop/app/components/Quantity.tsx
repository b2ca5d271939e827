import type { BaseUnit } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { quantityText } from "../lib/quantity-text";

/**
 * The one place a quantity is shown: base units made readable ("2.5 斤 (1,250 克)", "30 个").
 * `signed` shows + for additions (ledger lines); a minus is always shown.
 */
export function Quantity({
  quantity,
  unit,
  signed = false,
}: {
  quantity: number;
  unit: BaseUnit;
  signed?: boolean;
}) {
  const { t } = useTranslation();
  const { main, exact } = quantityText(quantity, unit, t, { signed });
  return (
    <span className="quantity" data-quantity={quantity} data-unit={unit}>
      <span className="quantity-main">{main}</span>
      {exact ? <span className="quantity-exact"> {exact}</span> : null}
    </span>
  );
}
