import type { BaseUnit } from "@coop/shared";
import { useRef, useState } from "react";
import { useAdoptTypedInput, useHydrated } from "../../lib/hydrated";
import { allowsDecimals, type InputUnit, inputUnitsFor, pressKey, toBaseQuantity } from "../../lib/quantity";
import { useStaffTranslation } from "../../staff-i18n";
import { Quantity } from "../Quantity";
import { Keypad } from "./Keypad";

/**
 * A quantity as a person gives it: a unit chooser for goods sold by weight (斤 / 公斤 / 克) and a big
 * number field. Without JavaScript it is a plain number field; with it, a large on-screen keypad
 * (the phone's own keyboard stays away) and the amount in base units as it is typed, starting from
 * whatever was typed into the plain field before the scripts arrived.
 */
export function QuantityField({
  unit,
  defaultValue = "",
  defaultInputUnit,
  error,
  errorId,
}: {
  unit: BaseUnit;
  defaultValue?: string;
  defaultInputUnit?: InputUnit;
  error?: boolean;
  errorId?: string;
}) {
  const { t } = useStaffTranslation();
  const hydrated = useHydrated();
  const units = inputUnitsFor(unit);
  const [value, setValue] = useState(defaultValue);
  const [inputUnit, setInputUnit] = useState<InputUnit>(defaultInputUnit ?? units[0] ?? unit);
  // A quantity typed and a unit picked before the scripts arrived stay as they are (the keypad then
  // continues from them): the form must never lose what the agent typed on a slow line.
  const fieldset = useRef<HTMLFieldSetElement>(null);
  useAdoptTypedInput(fieldset, (element) => {
    const typed = element.querySelector<HTMLInputElement>('input[name="quantity"]')?.value;
    if (typed !== undefined) setValue(typed.replace(/[^\d.]/g, ""));
    const picked = element.querySelector<HTMLInputElement>('input[name="inputUnit"]:checked')?.value;
    const unitPicked = units.find((option) => option === picked);
    if (unitPicked) setInputUnit(unitPicked);
  });
  const decimals = allowsDecimals(inputUnit);
  const base = value ? toBaseQuantity(value, inputUnit) : null;

  return (
    <fieldset ref={fieldset} className="field quantity-field">
      <legend className="field-label">{t("intake.quantity")}</legend>
      {units.length > 1 ? (
        <div className="segmented" role="radiogroup" aria-label={t("intake.inputUnit")}>
          {units.map((option) => (
            <label key={option} className="segment">
              <input
                type="radio"
                name="inputUnit"
                value={option}
                checked={inputUnit === option}
                onChange={() => setInputUnit(option)}
              />
              <span>{t(`quantity.inputUnits.${option}`)}</span>
            </label>
          ))}
        </div>
      ) : (
        <input type="hidden" name="inputUnit" value={inputUnit} />
      )}
      <div className="quantity-input-row">
        <input
          id="quantity"
          name="quantity"
          type="text"
          className="quantity-input"
          inputMode={hydrated ? "none" : decimals ? "decimal" : "numeric"}
          pattern={decimals ? "[0-9]+([.][0-9]{1,3})?" : "[0-9]+"}
          autoComplete="off"
          required
          value={value}
          onChange={(event) => setValue(event.target.value.replace(/[^\d.]/g, ""))}
          aria-invalid={error || undefined}
          aria-describedby={error ? errorId : undefined}
          aria-label={t("intake.quantity")}
        />
        <span className="quantity-input-unit" aria-hidden="true">
          {t(`quantity.inputUnits.${inputUnit}`)}
        </span>
      </div>
      {hydrated ? (
        <>
          {units.length > 1 ? (
            // Weights: what the typed 斤 come to in grams, as it is typed.
            <p className="quantity-preview" aria-live="polite">
              {base !== null ? <Quantity quantity={base} unit={unit} /> : "\u00a0"}
            </p>
          ) : null}
          <Keypad
            decimals={decimals}
            onPress={(key) => setValue((current) => pressKey(current, key, decimals))}
          />
        </>
      ) : null}
    </fieldset>
  );
}
