import type { BaseUnit } from "@coop/shared";
import type { SaleUnit } from "@coop/shared/contract";
import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { MAX_CART_LINES, parseUnits, stepUnits } from "../../lib/cart";
import { FormKey } from "../staff/FormBits";
import { SaleUnitChoiceText } from "./SaleUnitChoice";

export type BuyProblem = "unit" | "quantity" | "step" | "notEnough" | "full" | "tooMuch";

/**
 * The product page's buy box: the buyer picks a sale unit (big radio cards: "1个 ¥2.00", "1盒(30个) ¥58.00")
 * and a count of it with − / + moving by the unit's step from its minimum, or types the count. A plain form:
 * without JavaScript − and + post the form and the page comes back with the new count; with it they change
 * the field at once. Choosing another unit starts its count at that unit's minimum.
 */
export function BuyBox({
  saleUnits,
  base,
  selected,
  typed,
  idempotencyKey,
  problem,
  submitting,
}: {
  saleUnits: readonly SaleUnit[];
  base: BaseUnit;
  selected: string | undefined;
  typed: string | undefined;
  idempotencyKey: string;
  problem: BuyProblem | null;
  submitting: boolean;
}) {
  const { t, i18n } = useTranslation();
  const first =
    saleUnits.find((u) => u.id === selected) ?? saleUnits.find((u) => u.isDefault) ?? saleUnits[0];
  const [unitId, setUnitId] = useState(first?.id ?? "");
  const [count, setCount] = useState(typed ?? String(first?.minUnits ?? 1));
  const unit = saleUnits.find((u) => u.id === unitId) ?? first;
  if (!unit) return null;
  const label = localized(unit.label, i18n.language);
  const step = (direction: 1 | -1) => (event: React.MouseEvent) => {
    // With JavaScript the count changes here; without it the button posts the form (intent less/more).
    event.preventDefault();
    setCount(String(stepUnits(unit, parseUnits(count) ?? unit.minUnits - 1, direction)));
  };

  return (
    <Form
      method="post"
      className="form add-form buy-box"
      aria-describedby={problem ? "add-problem" : undefined}
    >
      {/* The form's default button: Enter in the count field adds to the cart, not − . */}
      <button
        type="submit"
        name="intent"
        value="add"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
      >
        {t("addToCart.submit")}
      </button>
      <FormKey value={idempotencyKey} />
      <fieldset className="field unit-choices">
        <legend className="field-label">{t("buyBox.chooseUnit")}</legend>
        <div className="choice-list">
          {saleUnits.map((u) => (
            <label key={u.id} className="choice unit-choice" data-sale-unit-id={u.id}>
              <input
                type="radio"
                name="saleUnitId"
                value={u.id}
                checked={u.id === unit.id}
                onChange={() => {
                  setUnitId(u.id);
                  setCount(String(u.minUnits));
                }}
              />
              <span className="choice-body">
                <SaleUnitChoiceText unit={u} base={base} />
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor="units" className="field-label">
        {t("buyBox.howMany", { label })}
      </label>
      <div className="quantity-input-row stepper">
        <button
          type="submit"
          name="intent"
          value="less"
          formNoValidate
          className="button button-secondary stepper-button"
          aria-label={t("buyBox.less", { step: unit.stepUnits, label })}
          onClick={step(-1)}
        >
          −
        </button>
        <input
          id="units"
          name="units"
          type="text"
          className="quantity-input"
          inputMode="numeric"
          pattern="[0-9]+"
          autoComplete="off"
          required
          value={count}
          onChange={(event) => setCount(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby="units-hint"
        />
        <span className="quantity-input-unit" aria-hidden="true">
          {label}
        </span>
        <button
          type="submit"
          name="intent"
          value="more"
          formNoValidate
          className="button button-secondary stepper-button"
          aria-label={t("buyBox.more", { step: unit.stepUnits, label })}
          onClick={step(1)}
        >
          +
        </button>
      </div>
      <p className="field-hint" id="units-hint">
        {unit.minUnits > 1 || unit.stepUnits > 1
          ? t("buyBox.steps", { min: unit.minUnits, step: unit.stepUnits })
          : t("buyBox.wholeUnits", { label })}
      </p>
      {problem ? (
        <p className="field-error" id="add-problem" role="alert">
          {t(`buyBox.problems.${problem}`, {
            max: MAX_CART_LINES,
            label,
            min: unit.minUnits,
            step: unit.stepUnits,
          })}
        </p>
      ) : null}
      <button
        type="submit"
        name="intent"
        value="add"
        className="button button-primary button-block button-big"
        disabled={submitting}
      >
        {t("addToCart.submit")}
      </button>
    </Form>
  );
}
