import type { BaseUnit } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { unitLabel } from "../lib/units";

/** "有货 120个" or "缺货": how many can be ordered now, in the product's unit. */
export function Availability({ available, unit }: { available: number; unit: BaseUnit }) {
  const { t, i18n } = useTranslation();
  if (available <= 0) return <span className="stock stock-out">{t("stock.outOfStock")}</span>;
  return (
    <span className="stock stock-in">
      {t("stock.inStock", { amount: available, unitName: unitLabel(unit, i18n.language, available) })}
    </span>
  );
}
