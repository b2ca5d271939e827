import {
  DISCREPANCY_KINDS,
  type LedgerCode,
  type LedgerLine,
  type OrderProgressCode,
  type OrderProgressLine,
  type StatementLineCode,
  type StatementNoteLine,
} from "@coop/shared/contract";

/**
 * Ledger, order-progress and statement lines as codes (decision 0031). The append-only ledgers keep the text
 * they always stored; the code is read back from that text, so lines written before codes existed read right
 * too and nothing is rewritten. Writers take their text from the tables below, so a code and the text it is
 * stored as cannot drift apart. The shop words each code from its locale files; text a person typed is
 * passed on as typed.
 */

/** Stock ledger reasons with no parameters, exactly as stored. */
export const LEDGER_TEXT = {
  collection_sent: "collection",
  collection_received: "collection received",
  delivery_sent: "delivery run",
  delivery_received: "delivery received",
  order_refunded_before_dispatch: "order refunded before it left the co-op",
  cycle_count: "cycle count",
} as const satisfies Partial<Record<LedgerCode, string>>;

/** The intake line names the lot: "intake HS01-20261123-0007". */
export const intakeReason = (lotNo: string) => `intake ${lotNo}`;

/** A discrepancy found on receipt: its kind, then what the receiver wrote ("broken: 路上颠破 2 枚"). */
export const discrepancyReason = (kind: string | undefined, note: string | undefined) =>
  [kind, note].filter(Boolean).join(": ");

/** Order progress notes with no parameters, exactly as stored. */
export const PROGRESS_TEXT = {
  placed_by_staff: "placed by staff",
  online_payment_received: "online payment received",
  payment_provider_unavailable: "payment provider unavailable",
  set_against_earnings: "set against earnings",
  payment_cancelled: "payment cancelled",
  not_paid_in_time: "not paid in time",
  payment_never_started: "payment never started (the server stopped while placing the order)",
  refunded_at_stripe: "refunded at Stripe",
  refunded_at_stripe_before_confirmed: "refunded at Stripe before payment was confirmed",
  refunded_at_stripe_after_handover: "refunded at Stripe after hand-over",
  cancelled_by_staff: "cancelled by staff",
  cancelled_by_buyer: "cancelled by the buyer",
  lost_on_delivery: "lost on the delivery run and out of stock at the warehouse",
  received_at_point: "goods received at the service point",
  picked_up_with_code: "凭取货码 / with the pickup code",
  picked_up_villager_sms: "村民手机验证码 / villager's phone and SMS code",
  harvest_allocated: "harvest allocated to the pre-order",
  harvest_short: "the harvest fell short of this pre-order",
} as const satisfies Partial<Record<OrderProgressCode, string>>;

/** Statement (consignor entry) notes with no parameters, exactly as stored. */
export const STATEMENT_TEXT = {
  payout_cash: "现金结算 / cash",
  payout_transfer: "转账 / transfer",
  farm_supplies: "农资代购 / farm supplies",
  farm_supply_refunded: "代购退款 / farm-supply order refunded",
  farm_supply_missing_refunded: "代购缺货退款 / missing part of a farm-supply order refunded",
  delivery_missing_refunded: "送货缺损退款 / missing on delivery, refunded to the buyer",
  buyer_refunded: "买家退款 / refunded to the buyer",
  cycle_count: "cycle count",
} as const satisfies Partial<Record<StatementLineCode, string>>;

type Coded<C extends string> = { code: C | null; params: Record<string, string>; typed: string | null };

const line = <C extends string>(code: C | null, params: Record<string, string> = {}, typed?: string | null) =>
  ({ code, params, typed: typed ? typed : null }) as Coded<C>;

function exact<C extends string>(table: Record<string, string>, text: string): C | null {
  for (const [code, stored] of Object.entries(table)) if (stored === text) return code as C;
  return null;
}

const DISCREPANCY = new Set<string>(DISCREPANCY_KINDS);

/** "broken" or "broken: 路上颠破 2 枚" → the kind and the typed rest; null when the text starts otherwise. */
function discrepancyOf(text: string): { kind: string; typed: string | null } | null {
  const match = /^([a-z_]+)(?::\s*([\s\S]*))?$/.exec(text);
  if (!match?.[1] || !DISCREPANCY.has(match[1])) return null;
  return { kind: match[1], typed: match[2] ?? null };
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Older lines were stored in both languages, "中文 / English" (the demo's payouts, for one): each side for
 * its reader. Only when the left side is Chinese and the right side is not, so a typed slash stays typed.
 */
function bilingualOf(text: string): { zh: string; en: string } | null {
  const at = text.indexOf(" / ");
  if (at < 0) return null;
  const zh = text.slice(0, at).trim();
  const en = text.slice(at + 3).trim();
  if (!zh || !en || !CJK.test(zh) || CJK.test(en)) return null;
  return { zh, en };
}

/** A stock ledger line's reason as a code. */
export function ledgerLine(reason: string | null, kind: string): LedgerLine {
  if (!reason) return line<LedgerCode>(null);
  const fixed = exact<LedgerCode>(LEDGER_TEXT, reason);
  if (fixed) return line(fixed);
  if (kind === "intake") {
    const intake = /^intake (\S+)$/.exec(reason);
    if (intake?.[1]) return line<LedgerCode>("intake", { lotNo: intake[1] });
  }
  if (kind === "discrepancy") {
    const found = discrepancyOf(reason);
    if (found) return line<LedgerCode>("discrepancy", { kind: found.kind }, found.typed);
  }
  return line<LedgerCode>(null, {}, reason);
}

/** An order progress step's note as a code. */
export function orderProgressLine(note: string | null): OrderProgressLine {
  if (!note) return line<OrderProgressCode>(null);
  // A cash hand-over adds what was taken: "凭取货码 / with the pickup code; cash 10800 fen".
  const cash = /^([\s\S]*); cash (\d+) fen$/.exec(note);
  const base = cash?.[1] ?? note;
  const cashParams: Record<string, string> = cash?.[2] ? { cashFen: cash[2] } : {};
  const fixed = exact<OrderProgressCode>(PROGRESS_TEXT, base);
  if (fixed) return line(fixed, cashParams);
  const idChecked = /^核对证件 \/ ID checked: (\S+) …(\S+)$/.exec(base);
  if (idChecked?.[1] && idChecked[2]) {
    return line<OrderProgressCode>("picked_up_id_checked", {
      idType: idChecked[1],
      last4: idChecked[2],
      ...cashParams,
    });
  }
  const run = /^delivery run (\S+)$/.exec(note);
  if (run?.[1]) return line<OrderProgressCode>("packed_for_delivery_run", { runId: run[1] });
  const recall = /^召回 \/ recall (\S+): ([\s\S]*)$/.exec(note);
  if (recall?.[1]) return line<OrderProgressCode>("recall", { lotNo: recall[1] }, recall[2]);
  const both = bilingualOf(note);
  if (both) return line<OrderProgressCode>("bilingual", both);
  return line<OrderProgressCode>(null, {}, note);
}

export const recallNote = (lotNo: string, reason: string) => `召回 / recall ${lotNo}: ${reason}`;
export const deliveryRunNote = (runId: string) => `delivery run ${runId}`;

/**
 * A statement line's note as a code. Sale credits were stored as "售出<name> / sold <name>"; the line names
 * its product already, so the code says only that it sold.
 */
export function statementNoteLine(note: string | null | undefined, lineKind: string): StatementNoteLine {
  if (!note) return line<StatementLineCode>(null);
  const fixed = exact<StatementLineCode>(STATEMENT_TEXT, note);
  if (fixed) return line(fixed);
  if (lineKind === "sale" && /^售出[\s\S]* \/ sold [\s\S]*$/.test(note))
    return line<StatementLineCode>("sold");
  if (lineKind === "discrepancy") {
    const found = discrepancyOf(note);
    if (found) return line<StatementLineCode>("discrepancy", { kind: found.kind }, found.typed);
  }
  const both = bilingualOf(note);
  if (both) return line<StatementLineCode>("bilingual", both);
  return line<StatementLineCode>(null, {}, note);
}
