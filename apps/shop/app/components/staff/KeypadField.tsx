import { useRef, useState } from "react";
import { useAdoptTypedInput, useHydrated } from "../../lib/hydrated";
import { pressCodeKey, pressMoneyKey } from "../../lib/keypad";
import { Keypad } from "./Keypad";

/**
 * A number typed with the big on-screen keypad: a 6-digit pickup code or an amount of yuan. Without
 * JavaScript it is a plain field with the phone's number keyboard; what was typed there before the
 * scripts arrived is kept.
 */
export function KeypadField({
  id,
  name,
  kind,
  defaultValue = "",
  prefix,
  suffix,
  hintId,
  error,
  errorId,
}: {
  id: string;
  name: string;
  kind: "code" | "money";
  defaultValue?: string;
  prefix?: string;
  suffix?: string;
  hintId?: string;
  error?: boolean;
  errorId?: string;
}) {
  const hydrated = useHydrated();
  const [value, setValue] = useState(defaultValue);
  const code = kind === "code";
  // What was typed before the scripts arrived stays (slow line): the keypad continues from it.
  const input = useRef<HTMLInputElement>(null);
  useAdoptTypedInput(input, (element) => setValue(element.value.replace(code ? /\D/g : /[^\d.]/g, "")));
  const describedBy = [hintId, error ? errorId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="keypad-field">
      <div className="quantity-input-row">
        {prefix ? (
          <span className="quantity-input-unit" aria-hidden="true">
            {prefix}
          </span>
        ) : null}
        <input
          ref={input}
          id={id}
          name={name}
          type="text"
          className={code ? "quantity-input code-input" : "quantity-input"}
          inputMode={hydrated ? "none" : code ? "numeric" : "decimal"}
          pattern={code ? "[0-9]{6}" : "[0-9]+([.][0-9]{1,2})?"}
          maxLength={code ? 6 : 10}
          autoComplete="off"
          required
          value={value}
          onChange={(event) => setValue(event.target.value.replace(code ? /\D/g : /[^\d.]/g, ""))}
          aria-invalid={error || undefined}
          aria-describedby={describedBy}
        />
        {suffix ? (
          <span className="quantity-input-unit" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
      {hydrated ? (
        <Keypad
          decimals={!code}
          onPress={(key) =>
            setValue((current) => (code ? pressCodeKey(current, key) : pressMoneyKey(current, key)))
          }
        />
      ) : null}
    </div>
  );
}
