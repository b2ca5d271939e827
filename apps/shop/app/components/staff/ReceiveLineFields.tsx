import type { BaseUnit } from "@coop/shared";
import type { ReactNode } from "react";
import { fromBaseQuantity, inputUnitsFor } from "../../lib/quantity";
import { useStaffTranslation } from "../../staff-i18n";
import { Quantity } from "../Quantity";
import { textInputProps } from "./FieldControls";
import { Field, SelectField, type StaffField, TextField } from "./StaffForm";

/**
 * One line of a receive form (a collection at the warehouse, a delivery run at the point): what was sent,
 * the count (prefilled with it), a reason when it is off, a note. Field names `received.<id>`, `kind.<id>`,
 * `note.<id>` (lib/receive-lines.ts reads them); `texts` is the screen's catalog section.
 */
export function ReceiveLineFields({
  fields,
  id,
  index,
  unit,
  sent,
  legend,
  texts,
  kinds,
  ...data
}: {
  fields: Record<string, StaffField>;
  id: string;
  index: number;
  unit: BaseUnit;
  sent: number;
  legend: ReactNode;
  texts: "collection" | "delivery";
  kinds: readonly string[];
  "data-lot-no"?: string;
  "data-line-id"?: string;
}) {
  const { t } = useStaffTranslation();
  const units = inputUnitsFor(unit);
  const inputUnit = units[0] ?? unit;
  // Conform's fields answer any name: `received.<id>` is the count of this line.
  const received = fields[`received.${id}`]!;
  const kind = fields[`kind.${id}`]!;
  const note = fields[`note.${id}`]!;
  return (
    <fieldset className="form receive-line" {...data}>
      <legend className="receive-legend">{legend}</legend>
      <p>
        {t(`${texts}.sentQuantity`)} <Quantity quantity={sent} unit={unit} />
      </p>
      <Field field={received} id={`received-${index}`} label={t(`${texts}.receivedQuantity`)}>
        {(ids) => (
          <div className="quantity-input-row">
            <input
              key={received.key}
              {...textInputProps(received)}
              defaultValue={
                (received.initialValue as string | undefined) ?? fromBaseQuantity(sent, inputUnit)
              }
              {...ids}
              inputMode={units.length > 1 ? "decimal" : "numeric"}
              className="quantity-input"
              required
              autoComplete="off"
            />
            <input type="hidden" name={`unit.${id}`} value={inputUnit} />
            <span className="quantity-input-unit">{t(`quantity.inputUnits.${inputUnit}`)}</span>
          </div>
        )}
      </Field>
      <SelectField
        field={kind}
        id={`kind-${index}`}
        label={t(`${texts}.discrepancy`)}
        options={[
          { value: "", label: t(`${texts}.noDiscrepancy`) },
          ...kinds.map((value) => ({ value, label: t(`discrepancy.${value}` as "discrepancy.broken") })),
        ]}
      />
      <TextField field={note} id={`note-${index}`} label={t(`${texts}.note`)} maxLength={200} />
    </fieldset>
  );
}
