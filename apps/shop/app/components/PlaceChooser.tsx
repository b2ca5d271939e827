import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";
import { type PickupPoint, type PlaceView, pointsByVillage } from "../lib/place";

/**
 * "取货点：竹山村服务点 · 换一个": the buyer's place, and a plain form (no script needed) to choose another
 * open point, grouped by village, or home delivery. Sent to /place, which remembers it and comes back here.
 */
export function PlaceChooser({
  view,
  points,
  redirectTo,
}: {
  view: PlaceView;
  points: readonly PickupPoint[];
  redirectTo: string;
}) {
  const { t, i18n } = useTranslation();
  const current =
    view?.type === "pickup"
      ? t("place.current", { name: localized(view.name, i18n.language) })
      : view?.type === "delivery"
        ? t("place.currentDelivery")
        : t("place.none");
  const chosenId = view?.type === "pickup" ? view.id : view?.type === "delivery" ? "delivery" : "";
  return (
    // Keyed by the place, so it closes again once a new place is saved (the page is not reloaded).
    <details key={chosenId} className="edit-box place-chooser" data-testid="place-chooser">
      <summary>
        <span>
          <span data-testid="place-current">{current}</span>
          {" · "}
          <span className="inline-link">{view ? t("place.change") : t("place.choose")}</span>
        </span>
      </summary>
      <Form method="post" action="/place" className="form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <p className="field-hint">{t("place.intro")}</p>
        {pointsByVillage(points).map((group) => (
          <fieldset key={group.village} className="field">
            <legend className="field-label">{group.village}</legend>
            <div className="choice-list">
              {group.points.map((point) => (
                <label key={point.id} className="choice">
                  <input type="radio" name="place" value={point.id} defaultChecked={chosenId === point.id} />
                  <span className="choice-body">
                    <span className="choice-title">{localized(point.name, i18n.language)}</span>
                    {point.address ? <span className="choice-hint">{point.address}</span> : null}
                    {point.openingHours ? <span className="choice-hint">{point.openingHours}</span> : null}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <div className="choice-list">
          <label className="choice">
            <input type="radio" name="place" value="delivery" defaultChecked={chosenId === "delivery"} />
            <span className="choice-body">
              <span className="choice-title">{t("place.delivery")}</span>
              <span className="choice-hint">{t("place.deliveryHint")}</span>
            </span>
          </label>
        </div>
        <button type="submit" className="button button-primary button-block">
          {t("place.save")}
        </button>
      </Form>
    </details>
  );
}
