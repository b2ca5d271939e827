import { type BaseUnit, fenToYuanString } from "@coop/shared";
import type { AdminSaleUnit } from "@coop/shared/contract";
import { Form } from "@remix-run/react";
import { localized } from "../../i18n";
import { unitLabel } from "../../lib/units";
import { useStaffTranslation } from "../../staff-i18n";
import { FormKey } from "./FormBits";

export type SaleUnitProblem = "problem" | "taken" | "defaultStays" | null;

/**
 * The admin's sale units of a product: each with its price (typed in yuan, ¥13.80 is fine), on sale or not,
 * and made the default; and a form to add one (盒(30个): 30 个 at ¥58.00). Each form posts on its own.
 */
export function SaleUnitsEditor({
  units,
  base,
  addKey,
  problem,
  saved,
}: {
  units: readonly AdminSaleUnit[];
  base: BaseUnit;
  addKey: string;
  problem: SaleUnitProblem;
  saved: boolean;
}) {
  const { t, i18n } = useStaffTranslation();
  const baseName = unitLabel(base, i18n.language, 2);
  return (
    <section aria-labelledby="sale-units-title" className="sale-units-editor">
      <h2 id="sale-units-title">{t("adminProducts.saleUnits.title")}</h2>
      <p className="field-hint">{t("adminProducts.saleUnits.hint")}</p>
      {problem ? (
        <p className="field-error" role="alert">
          {t(`adminProducts.saleUnits.${problem}`)}
        </p>
      ) : null}
      {saved ? (
        <p className="notice notice-info" role="status">
          {t("adminProducts.saleUnits.saved")}
        </p>
      ) : null}
      <ul className="card-list">
        {units.map((u) => (
          <li key={u.id} className="card" data-sale-unit={u.id}>
            <Form method="post" className="form">
              <input type="hidden" name="intent" value="editUnit" />
              <input type="hidden" name="saleUnitId" value={u.id} />
              <p className="card-title">
                {localized(u.label, i18n.language)} · {u.size} {baseName}
                {u.isDefault ? (
                  <span className="badge"> {t("adminProducts.saleUnits.isDefault")}</span>
                ) : null}
              </p>
              <label className="field-label" htmlFor={`unit-price-${u.id}`}>
                {t("adminProducts.saleUnits.price")}
              </label>
              <input
                id={`unit-price-${u.id}`}
                name="unitPrice"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                defaultValue={fenToYuanString(u.priceFen)}
              />
              <select
                name="unitActive"
                defaultValue={u.active ? "on" : "off"}
                aria-label={t("adminProducts.saleUnits.state")}
              >
                <option value="on">{t("adminProducts.saleUnits.onSale")}</option>
                <option value="off">{t("adminProducts.saleUnits.offSale")}</option>
              </select>
              {u.isDefault ? null : (
                <label className="check">
                  <input type="checkbox" name="unitDefault" value="yes" />
                  <span>{t("adminProducts.saleUnits.makeDefault")}</span>
                </label>
              )}
              <button type="submit" className="button">
                {t("adminProducts.saleUnits.save")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" className="form">
        <input type="hidden" name="intent" value="addUnit" />
        <FormKey value={addKey} />
        <label className="field-label" htmlFor="unit-label-zh">
          {t("adminProducts.saleUnits.labelZh")}
        </label>
        <input id="unit-label-zh" name="unitLabelZh" type="text" maxLength={20} required autoComplete="off" />
        <label className="field-label" htmlFor="unit-label-en">
          {t("adminProducts.saleUnits.labelEn")}
        </label>
        <input id="unit-label-en" name="unitLabelEn" type="text" maxLength={40} required autoComplete="off" />
        <label className="field-label" htmlFor="unit-size">
          {t("adminProducts.saleUnits.size", { unit: baseName })}
        </label>
        <input id="unit-size" name="unitSize" type="text" inputMode="numeric" required autoComplete="off" />
        <label className="field-label" htmlFor="unit-price-new">
          {t("adminProducts.saleUnits.price")}
        </label>
        <input
          id="unit-price-new"
          name="unitPrice"
          type="text"
          inputMode="decimal"
          required
          autoComplete="off"
        />
        <button type="submit" className="button button-primary button-block">
          {t("adminProducts.saleUnits.add")}
        </button>
      </Form>
    </section>
  );
}
