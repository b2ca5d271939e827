import { DISCREPANCY_KINDS, isOneOf } from "@coop/shared";
import type { DeliveryRun } from "@coop/shared/contract";
import { inputUnitsFor, isInputUnit, toBaseQuantity } from "./quantity";

export { DISCREPANCY_KINDS as DELIVERY_DISCREPANCY_KINDS } from "@coop/shared";

export type ReceiveFieldProblem = "required" | "quantity" | "discrepancyKind";

/**
 * Reads the agent's receive form: per run line, the count (in the unit shown, "0" = none came), a reason
 * when it is off, and a note. Returns the lines for POST /receive, or the fields to fix.
 */
export function readReceiveForm(
  form: FormData,
  lines: Pick<DeliveryRun["lines"][number], "id" | "unit" | "quantity">[],
) {
  const fields: Record<string, ReceiveFieldProblem> = {};
  const typed: Record<string, string> = {};
  const out = lines.map((line) => {
    const raw = String(form.get(`received.${line.id}`) ?? "").slice(0, 20);
    typed[line.id] = raw;
    const unit = form.get(`unit.${line.id}`) ?? inputUnitsFor(line.unit)[0];
    const received = /^\s*0+([.]0*)?\s*$/.test(raw)
      ? 0
      : raw.trim() && isInputUnit(unit, line.unit)
        ? toBaseQuantity(raw, unit)
        : null;
    const kindRaw = String(form.get(`kind.${line.id}`) ?? "");
    const kind = isOneOf(DISCREPANCY_KINDS, kindRaw) ? kindRaw : undefined;
    const note = String(form.get(`note.${line.id}`) ?? "")
      .trim()
      .slice(0, 200);
    if (received === null) fields[`received.${line.id}`] = raw.trim() ? "quantity" : "required";
    else if (received > line.quantity) fields[`received.${line.id}`] = "quantity";
    else if (received < line.quantity && !kind) fields[`kind.${line.id}`] = "discrepancyKind";
    return {
      lineId: line.id,
      receivedQuantity: received ?? 0,
      ...(received !== null && received < line.quantity && kind ? { discrepancyKind: kind } : {}),
      ...(note ? { note } : {}),
    };
  });
  return { lines: out, fields, typed, ok: Object.keys(fields).length === 0 };
}

/** How a run line stands after the count, for the run page: arrived in full, or short and what was decided. */
export function lineOutcome(
  line: Pick<DeliveryRun["lines"][number], "quantity" | "quantityReceived" | "resolution">,
) {
  if (line.quantityReceived === null) return { kind: "travelling" as const, missing: 0 };
  const missing = line.quantity - line.quantityReceived;
  if (missing === 0) return { kind: "complete" as const, missing };
  return { kind: line.resolution ?? ("waiting" as const), missing };
}
