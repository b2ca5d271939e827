import { parseWithZod } from "@conform-to/zod/v4";
import { type DeliveryRun, ReceiveDeliveryRun } from "@coop/shared/contract";
import { receiveLinesForm, typedCounts } from "./receive-lines";

export { DISCREPANCY_KINDS as DELIVERY_DISCREPANCY_KINDS } from "@coop/shared";

/** A run's receive form: its lines as the contract's ReceiveDeliveryRun body (lines[].lineId). */
export function runReceiveForm(lines: Pick<DeliveryRun["lines"][number], "id" | "unit" | "quantity">[]) {
  const receive = lines.map((line) => ({ id: line.id, unit: line.unit, sent: line.quantity }));
  return receiveLinesForm(receive, { moreAllowed: false })
    .transform((read) => ({ lines: read.map(({ id, ...line }) => ({ lineId: id, ...line })) }))
    .pipe(ReceiveDeliveryRun);
}

/**
 * Reads the agent's receive form without the screen: per run line, the count (in the unit shown, "0" = none
 * came), a reason when it is short, and a note. Returns the lines for POST /receive, or the fields to fix.
 */
export function readReceiveForm(
  form: FormData,
  lines: Pick<DeliveryRun["lines"][number], "id" | "unit" | "quantity">[],
) {
  const submission = parseWithZod(form, { schema: runReceiveForm(lines) });
  const typed = typedCounts(form, lines);
  if (submission.status === "success") return { lines: submission.value.lines, fields: {}, typed, ok: true };
  const fields: Record<string, string> = {};
  for (const [name, errors] of Object.entries(submission.error ?? {}))
    if (errors?.[0]) fields[name] = errors[0];
  return { lines: [], fields, typed, ok: false };
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
