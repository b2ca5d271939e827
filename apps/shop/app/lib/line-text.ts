import { formatFen } from "@coop/shared";
import type { LedgerLine, OrderProgressLine, StatementNoteLine } from "@coop/shared/contract";
import type { TFunction } from "i18next";
import { type BuyerT, localized } from "../i18n";

/**
 * Ledger, order-progress and statement lines in the reader's language (decision 0031): the API sends a code
 * with its parameters and what a person typed; the words come from the locale files. An API answer from
 * before codes (no line object) shows its stored text as it is.
 */

type Section = "ledger" | "orderProgress" | "statementLine";
type Coded = { code: string | null; params: Record<string, string>; typed: string | null };
/** Keys built from the API's codes: checked at runtime (`known`), not by the compiler. */
type Translate = (key: string, options?: Record<string, string | null>) => string;

/** A default answer no message is. */
const MISSING = "\u0000missing";

/**
 * Whether the catalogs the page holds have `section.code`, asked of i18next itself (a default answer that no
 * message is): the buyer's browser has no copy of the catalogs beyond the words it loaded (decision 0033). A
 * code must be a plain identifier, so "constructor" and the like are never looked up.
 */
function known(translate: Translate, section: string, code: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(code) || code in Object.prototype) return false;
  return translate(`${section}.${code}`, { defaultValue: MISSING }) !== MISSING;
}

/**
 * Parameters as the reader reads them: a discrepancy kind in words, fen as yuan, and of a line stored in both
 * languages ("中文 / English") the reader's side.
 */
function readableParams(
  params: Record<string, string>,
  translate: Translate,
  language: string,
): Record<string, string> {
  const out: Record<string, string> = { ...params };
  if (params.zh !== undefined && params.en !== undefined) {
    out.text = localized({ zh: params.zh, en: params.en }, language);
  }
  const kind = params.kind;
  if (kind && known(translate, "discrepancy", kind)) out.kind = translate(`discrepancy.${kind}`);
  if (params.cashFen && /^\d+$/.test(params.cashFen)) out.amount = formatFen(Number(params.cashFen));
  return out;
}

function codedText(ns: Section, line: Coded, t: BuyerT, language: string): string | null {
  // The keys are the contract's code lists; a test holds the catalogs to them.
  const translate = t as unknown as Translate;
  if (line.code === null || !known(translate, ns, line.code)) return line.typed;
  const params = readableParams(line.params, translate, language);
  let text = translate(`${ns}.${line.code}`, params);
  if (ns === "orderProgress" && params.amount)
    text = translate("orderProgress.withCash", { text, ...params });
  return line.typed ? translate(`${ns}.withTyped`, { text, typed: line.typed }) : text;
}

/** Why a stock ledger line happened, or null when nothing was said. */
export function ledgerText(
  line: LedgerLine | undefined,
  reason: string | null,
  t: TFunction<"staff">,
): string | null {
  // No ledger code carries text in two languages, so the language is not needed here.
  return line ? codedText("ledger", line, t, "zh-CN") : reason;
}

/** The note of an order's progress step, or null. */
export function orderProgressText(
  line: OrderProgressLine | undefined,
  note: string | null,
  t: BuyerT,
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
  t: TFunction<"staff">,
  language: string,
): string | null | undefined {
  if (!line) return note;
  if (line.code === "sold" && !line.typed) return null;
  return codedText("statementLine", line, t, language);
}
