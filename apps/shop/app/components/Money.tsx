import { type BaseUnit, type Fen, formatFen } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { PRICE_QUANTITY, unitLabel } from "../lib/units";

/**
 * The one place money is shown. With `per`, the amount is a unit price: goods sold by weight or volume
 * show the price of 500 g / 500 ml, everything else the price of one unit.
 */
export function Money({ fen, per }: { fen: Fen; per?: BaseUnit }) {
  const { t, i18n } = useTranslation();
  if (!per) {
    return (
      <span className="money" data-fen={fen}>
        {formatFen(fen)}
      </span>
    );
  }
  const quantity = PRICE_QUANTITY[per];
  const unitName = unitLabel(per, i18n.language, quantity);
  return (
    <span className="money" data-fen={fen * quantity}>
      <span className="money-amount">{formatFen(fen * quantity)}</span>{" "}
      <span className="money-per">
        {quantity === 1 ? t("price.perUnit", { unitName }) : t("price.perQuantity", { quantity, unitName })}
      </span>
    </span>
  );
}
