import { type BaseUnit, formatFen, perBaseUnitDisplayFen } from "@coop/shared";
import type { SaleUnit } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";
import { PRICE_QUANTITY, unitLabel } from "../lib/units";

/**
 * A sale unit's price as a buyer reads it: "¥58.00/盒(30个)", and beside it the price of the quantity people
 * compare (¥1.93/个 for the box; ¥13.80/斤 is already that, so nothing is added). Display only: money is
 * never computed from the unit price beside it.
 */
export function UnitPrice({ unit, base }: { unit: SaleUnit; base: BaseUnit }) {
  const { t, i18n } = useTranslation();
  const per = PRICE_QUANTITY[base];
  const compare = unit.size !== per;
  const compareName = unitLabel(base, i18n.language, per);
  return (
    <span className="money unit-price" data-fen={unit.priceFen}>
      <span className="money-amount">{formatFen(unit.priceFen)}</span>
      <span className="money-per">
        {t("price.perUnit", { unitName: localized(unit.label, i18n.language) })}
      </span>
      {compare ? (
        <span className="unit-price-compare">
          {" "}
          {t("price.compare", {
            price: formatFen(perBaseUnitDisplayFen(unit.priceFen, unit.size, per)),
            per: per === 1 ? compareName : `${per}${compareName}`,
          })}
        </span>
      ) : null}
    </span>
  );
}
