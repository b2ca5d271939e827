import { getCollectionProps, getInputProps } from "@conform-to/react";
import type { ReactNode } from "react";
import { FieldError } from "./FormBits";
import type { StaffField } from "./StaffForm";

/**
 * Controls beside StaffForm's fields (which stay the infrastructure's): for a box drawn inside a `Field`
 * (a currency sign before it, a large type) and for one choice of a few.
 */

/** Conform's props for a text box inside `<Field>`: name and what was typed; put `key={field.key}` beside. */
export function textInputProps(field: StaffField) {
  const { key: _key, ...props } = getInputProps(field, { type: "text", ariaAttributes: false });
  return props;
}

/**
 * One choice of a few, as big segments (payout method, payment of an assisted order): a radio group
 * under a legend, what was chosen before kept from the last answer, the field's error below.
 */
export function ChoiceField({
  field,
  legend,
  choices,
  required,
}: {
  field: StaffField;
  legend: ReactNode;
  choices: ReadonlyArray<{ value: string; label: ReactNode }>;
  required?: boolean;
}) {
  const inputs = getCollectionProps(field, {
    type: "radio",
    options: choices.map((choice) => choice.value),
    ariaAttributes: false,
  });
  return (
    <fieldset className="field">
      <legend className="field-label">{legend}</legend>
      <div className="segmented">
        {inputs.map(({ key, ...input }, index) => (
          <label key={key} className="segment">
            <input
              {...input}
              // The last answer's choice, also when the group mounts again (a confirm step and back).
              defaultChecked={(field.value ?? field.initialValue) === input.value}
              required={required}
            />
            <span>{choices[index]?.label}</span>
          </label>
        ))}
      </div>
      <FieldError id={`${field.name}-error`} problem={field.errors?.[0]} />
    </fieldset>
  );
}

/**
 * The action's answer if it answers this form's button, else null: on a screen with several forms (a lot's
 * count, spoil and return), each shows only its own problem. Conform's last result keeps the intent sent.
 */
export function answerFor<Answer>(answer: Answer, intent: string): Answer | null {
  if (!answer || typeof answer !== "object" || !("result" in answer)) return null;
  const result = (answer as { result?: { initialValue?: Record<string, unknown> | null } }).result;
  return result?.initialValue?.intent === intent ? answer : null;
}
