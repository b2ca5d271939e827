import type { Statement } from "@coop/shared/contract";
import type { TFunction } from "i18next";
import { localized } from "../i18n";
import type { CommonCatalog } from "../locales/common.zh-CN";
import { statementNoteText } from "./line-text";
import { quantityLine } from "./quantity-text";

export type StatementLine = Statement["lines"][number];

export interface StatementLineText {
  /** What happened, in plain words: "交货", "卖出", "付给您". */
  kind: string;
  /** Which goods: "HS01-20261123-0007 · 土鸡蛋 · 30 个"; null for money-only lines. */
  goods: string | null;
  /** Anything else worth reading: the reason of a discrepancy, a payout's method. */
  note: string | null;
}

/** Lines that move money; the others (intake, rejection, discrepancy, return) only record goods. */
export function movesMoney(line: StatementLine): boolean {
  return line.amountFen !== 0;
}

type DiscrepancyKind = keyof CommonCatalog["discrepancy"];

/**
 * A reason code the API may put in a note (a discrepancy kind) in the reader's words; other notes as
 * written. The catalog's discrepancy keys are the contract's DISCREPANCY_KINDS (a test holds them equal),
 * so the browser needs no copy of the contract for this.
 */
export function noteText(note: string | undefined | null, t: TFunction<"staff">): string | null {
  if (!note) return null;
  // "broken" or "broken: 路上颠破 2 枚": the code first, then what the warehouse wrote.
  const match = /^([a-z_]+)(?::\s*([\s\S]*))?$/.exec(note);
  const code = match?.[1];
  if (!code || code in Object.prototype) return note;
  // Asked of i18next (a default answer no message is): the staff chunk carries no copy of the buyer words.
  const label = t(`discrepancy.${code as DiscrepancyKind}`, { defaultValue: "" });
  if (!label) return note;
  return match[2] ? t("statement.noteWithReason", { label, note: match[2] }) : label;
}

/** One line of a villager's statement as text a villager can check against their slips. */
export function statementLineText(
  line: StatementLine,
  t: TFunction<"staff">,
  language: string,
): StatementLineText {
  const goods = [
    line.lotNo ?? null,
    line.productName ? localized(line.productName, language) : null,
    line.quantity !== undefined && line.unit ? quantityLine(line.quantity, line.unit, t) : null,
  ].filter((part): part is string => part !== null);
  return {
    kind: t(`statement.kinds.${line.kind}`),
    goods: goods.length > 0 ? goods.join(" · ") : null,
    // The API's code when it sends one; an older answer's note read as before.
    note: line.noteLine
      ? (statementNoteText(line.noteLine, line.note, t, language) ?? null)
      : noteText(line.note, t),
  };
}
