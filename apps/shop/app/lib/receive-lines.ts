import type { BaseUnit } from "@coop/shared";
import { DISCREPANCY_KINDS, isOneOf } from "@coop/shared";
import { TextInput } from "@coop/shared/contract";
import { z } from "zod";
import type { CommonCatalog as Catalog } from "../locales/common.zh-CN";
import { baseQuantityOf } from "./form-quantities";
import { inputUnitsFor, isInputUnit } from "./quantity";

/**
 * The receive form of a collection (warehouse) and of a delivery run (service point): per line the
 * count as `received.<id>` in the unit of `unit.<id>` ("0" = none came), `kind.<id>` (a DISCREPANCY_KINDS
 * reason) when the count is off, and `note.<id>`. One schema for both screens; each pipes its lines into
 * its own contract body (ReceiveCollection, ReceiveDeliveryRun). Client-safe: no server imports.
 */

type FieldProblem = keyof Catalog["staffForm"]["fields"];

export interface ReceiveLine {
  id: string;
  unit: BaseUnit;
  /** What was sent, in base units. */
  sent: number;
}

const ByLine = z.record(z.string(), z.string().optional()).default({});

/**
 * `moreAllowed`: a collection may bring more than the slip said (a discrepancy, with its reason); a run's
 * line cannot (the shop packed that much: more is a typing error).
 */
export function receiveLinesForm(lines: readonly ReceiveLine[], { moreAllowed }: { moreAllowed: boolean }) {
  return z
    .object({
      received: ByLine,
      unit: ByLine,
      kind: ByLine,
      note: z.record(z.string(), TextInput.trim().max(200).optional()).default({}),
    })
    .transform((form, ctx) =>
      lines.map((line) => {
        const typed = form.received[line.id]?.trim() ?? "";
        const unit = form.unit[line.id] ?? inputUnitsFor(line.unit)[0];
        const received = typed && isInputUnit(unit, line.unit) ? baseQuantityOf(typed, unit, true) : null;
        const kindTyped = form.kind[line.id];
        const kind = isOneOf(DISCREPANCY_KINDS, kindTyped) ? kindTyped : undefined;
        const problem = (path: "received" | "kind", message: FieldProblem) =>
          ctx.addIssue({ code: "custom", path: [path, line.id], message });
        if (received === null) problem("received", typed ? "quantity" : "required");
        else if (received > line.sent && !moreAllowed) problem("received", "quantity");
        else if (received !== line.sent && !kind) problem("kind", "discrepancyKind");
        return {
          id: line.id,
          receivedQuantity: received ?? 0,
          ...(received !== null && received !== line.sent && kind ? { discrepancyKind: kind } : {}),
          ...(form.note[line.id] ? { note: form.note[line.id] } : {}),
        };
      }),
    );
}

/** What was typed in each line's count, by line id, to show it again (the tests and screens read it). */
export function typedCounts(
  form: FormData,
  lines: readonly Pick<ReceiveLine, "id">[],
): Record<string, string> {
  return Object.fromEntries(lines.map((line) => [line.id, String(form.get(`received.${line.id}`) ?? "")]));
}
