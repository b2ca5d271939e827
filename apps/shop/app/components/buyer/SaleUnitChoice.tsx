import { type BaseUnit, formatFen, perBaseUnitDisplayFen } from "@coop/shared";
import type { SaleUnit } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { PRICE_QUANTITY, unitLabel } from "../../lib/units";

/** The quantity people compare prices by: 斤 for weighed goods, 500 毫升 for liquids, one piece or bag. */
export function useCompareName(base: BaseUnit): string {
  const { t, i18n } = useTranslation();
  if (base === "gram") return t("quantity.inputUnits.jin");
  const per = PRICE_QUANTITY[base];
  const name = unitLabel(base, i18n.language, per);
  return per === 1 ? name : `${per}${i18n.language === "en" ? " " : ""}${name}`;
}

/**
 * One way to buy, as its button reads: "1盒(30个) ¥58.00" and beside it the price per quantity people compare
 * ("（合 ¥1.93/个）", "（合 ¥13.80/斤）"). Display only: money is never computed from the compared price.
 */
export function SaleUnitChoiceText({ unit, base }: { unit: SaleUnit; base: BaseUnit }) {
  const { t, i18n } = useTranslation();
  const compareName = useCompareName(base);
  const per = PRICE_QUANTITY[base];
  return (
    <>
      <span className="choice-title unit-choice-title">
        {t("buyBox.one", { label: localized(unit.label, i18n.language) })}{" "}
        <span className="money" data-fen={unit.priceFen}>
          {formatFen(unit.priceFen)}
        </span>
      </span>
      <span className="choice-hint">
        {t("price.compare", {
          price: formatFen(perBaseUnitDisplayFen(unit.priceFen, unit.size, per)),
          per: compareName,
        })}
        {unit.minUnits > 1 || unit.stepUnits > 1
          ? ` · ${t("buyBox.steps", { min: unit.minUnits, step: unit.stepUnits })}`
          : ""}
      </span>
    </>
  );
}
