import { z } from "zod";
import type { CommonCatalog as Catalog } from "../locales/common.zh-CN";
import { type InputUnit, toBaseQuantity } from "./quantity";

/**
 * Form-text conversions for quantities, piped into the contract's own number schemas (decision 0039):
 * the shop turns "2.5" 斤 into 1250 g, the contract checks the bounds. Client-safe (no server imports),
 * so the pure readers in lib/ (e.g. the delivery receive form) can use them too.
 */

type FieldProblem = keyof Catalog["staffForm"]["fields"];

/** "0", "00", "0.0": a count of nothing, a real answer where the contract allows 0. */
const ZERO = /^\s*0+([.]0*)?\s*$/;

/** What a person typed in `inputUnit` as whole base units; `zero`: "0" is 0 (a count), else refused. */
export function baseQuantityOf(text: string, inputUnit: InputUnit, zero = false): number | null {
  return zero && ZERO.test(text) ? 0 : toBaseQuantity(text, inputUnit);
}

/**
 * A quantity field typed in `inputUnit`, as base units, then checked by `base` (a contract field such as
 * `CountLot.shape.countedQuantity`). Text that is no quantity is the catalog's `quantity`.
 */
export function quantityAsBase<Out extends z.ZodType<number, number>>(
  inputUnit: InputUnit,
  base: Out,
  { zero = false }: { zero?: boolean } = {},
) {
  return z
    .string()
    .transform((value, ctx) => {
      const parsed = baseQuantityOf(value, inputUnit, zero);
      if (parsed === null) ctx.addIssue({ code: "custom", message: "quantity" satisfies FieldProblem });
      return parsed ?? z.NEVER;
    })
    .pipe(base);
}
