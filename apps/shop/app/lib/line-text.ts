import { formatFen } from "@coop/shared";
import type { LedgerLine, OrderProgressLine, StatementNoteLine } from "@coop/shared/contract";
import type { TFunction } from "i18next";
import { localized } from "../i18n";
import { zhCN } from "../locales/zh-CN";

/**
 * Ledger, order-progress and statement lines in the reader's language (decision 0031): the API sends a code
 * with its parameters and what a person typed; the words come from the locale files. An API answer from
 * before codes (no line object) shows its stored text as it is.
 */

type Namespace = "ledger" | "orderProgress" | "statementLine";
type Coded = { code: string | null; params: Record<string, string>; typed: string | null };

/**
 * Parameters as the reader reads them: a discrepancy kind in words, fen as yuan, and of a line stored in both
 * languages ("中文 / English") the reader's side.
 */
function readableParams(
  params: Record<string, string>,
  t: TFunction,
  language: string,
): Record<string, string> {
  const out: Record<string, string> = { ...params };
  if (params.zh !== undefined && params.en !== undefined) {
    out.text = localized({ zh: params.zh, en: params.en }, language);
  }
  const kind = params.kind;
  if (kind && Object.hasOwn(zhCN.discrepancy, kind)) {
    out.kind = t(`discrepancy.${kind as keyof typeof zhCN.discrepancy}`);
  }
  if (params.cashFen && /^\d+$/.test(params.cashFen)) out.amount = formatFen(Number(params.cashFen));
  return out;
}

function codedText(ns: Namespace, line: Coded, t: TFunction, language: string): string | null {
  const known = line.code !== null && Object.hasOwn(zhCN[ns], line.code);
  if (!known) return line.typed;
  const params = readableParams(line.params, t, language);
  // The keys are the contract's code lists; a test holds the catalogs to them.
  const translate = t as unknown as (key: string, options?: Record<string, string>) => string;
  let text = translate(`${ns}.${line.code}`, params);
  if (ns === "orderProgress" && params.amount)
    text = translate("orderProgress.withCash", { text, ...params });
  return line.typed ? translate(`${ns}.withTyped`, { text, typed: line.typed }) : text;
}

/** Why a stock ledger line happened, or null when nothing was said. */
export function ledgerText(line: LedgerLine | undefined, reason: string | null, t: TFunction): string | null {
  // No ledger code carries text in two languages, so the language is not needed here.
  return line ? codedText("ledger", line, t, "zh-CN") : reason;
}

/** The note of an order's progress step, or null. */
export function orderProgressText(
  line: OrderProgressLine | undefined,
  note: string | null,
  t: TFunction,
  language: string,
): string | null {
  return line ? codedText("orderProgress", line, t, language) : note;
}

/**
 * The note of a statement line, or null. A sale's note only said "sold <product>", which the line's kind
 * and goods already say, so it is not repeated.
 */
export function statementNoteText(
  line: StatementNoteLine | undefined,
  note: string | null | undefined,
  t: TFunction,
  language: string,
): string | null | undefined {
  if (!line) return note;
  if (line.code === "sold" && !line.typed) return null;
  return codedText("statementLine", line, t, language);
}
