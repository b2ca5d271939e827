import type { BaseUnit } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";
import type { PlaceView } from "../lib/place";
import { unitLabel } from "../lib/units";

/**
 * How many can be ordered now, in the product's unit. Given the buyer's place, it says where: "竹山村服务点
 * 可取 8 个", "可送货 8 个". With none chosen (or not known to this page) it says "有货 8个": the catalog then
 * counts what the warehouse can deliver, and the page asks the buyer to choose a point.
 */
export function Availability({
  available,
  unit,
  place,
}: {
  available: number;
  unit: BaseUnit;
  place?: PlaceView | undefined;
}) {
  const { t, i18n } = useTranslation();
  const amount = { amount: available, unitName: unitLabel(unit, i18n.language, available) };
  if (!place) {
    if (available <= 0) return <span className="stock stock-out">{t("stock.outOfStock")}</span>;
    return <span className="stock stock-in">{t("stock.inStock", amount)}</span>;
  }
  if (place.type === "pickup") {
    const name = localized(place.name, i18n.language);
    return available > 0 ? (
      <span className="stock stock-in">{t("place.availableAt", { ...amount, name })}</span>
    ) : (
      <span className="stock stock-out">{t("place.outAt", { name })}</span>
    );
  }
  return available > 0 ? (
    <span className="stock stock-in">{t("place.availableDelivery", amount)}</span>
  ) : (
    <span className="stock stock-out">{t("place.outDelivery")}</span>
  );
}

/** When it comes: nothing in the data says the day of the next run, so it says so plainly. */
export function WhenItComes({ place }: { place: PlaceView }) {
  const { t } = useTranslation();
  if (place?.type === "pickup") return <p className="field-hint">{t("place.whenPickup")}</p>;
  return <p className="field-hint">{t(place ? "place.whenDelivery" : "place.chooseToSee")}</p>;
}
