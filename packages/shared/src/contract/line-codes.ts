import { z } from "zod";

/**
 * Ledger, order-progress and statement lines as codes (issue 11 item 7, decision 0031): the API says WHAT
 * happened as a stable code with its parameters, the shop says it in the reader's language from its locale
 * files. Whatever a person typed (a spoilage note, a refund reason) travels as `typed`, exactly as typed.
 * A line whose stored text matches no code (older free text) has code null and its text in `typed`.
 */

/** Why a stock ledger line happened (the stock_movements.reason column, read back as a code). */
export const LEDGER_CODES = [
  "intake",
  "collection_sent",
  "collection_received",
  "delivery_sent",
  "delivery_received",
  "discrepancy",
  "order_refunded_before_dispatch",
  "cycle_count",
] as const;

/** A step of an order's progress (order_status_history.note, read back as a code). */
export const ORDER_PROGRESS_CODES = [
  "placed_by_staff",
  "online_payment_received",
  "payment_provider_unavailable",
  "set_against_earnings",
  "payment_cancelled",
  "not_paid_in_time",
  "payment_never_started",
  "refunded_at_stripe",
  "refunded_at_stripe_before_confirmed",
  "refunded_at_stripe_after_handover",
  "cancelled_by_staff",
  "cancelled_by_buyer",
  "lost_on_delivery",
  "received_at_point",
  "packed_for_delivery_run",
  "recall",
  "picked_up_with_code",
  "picked_up_id_checked",
  "picked_up_villager_sms",
  "harvest_allocated",
  "harvest_short",
  "bilingual",
] as const;

/** The note of a villager's statement line (consignor entries, goods lines), read back as a code. */
export const STATEMENT_LINE_CODES = [
  "sold",
  "payout_cash",
  "payout_transfer",
  "farm_supplies",
  "farm_supply_refunded",
  "farm_supply_missing_refunded",
  "delivery_missing_refunded",
  "buyer_refunded",
  "discrepancy",
  "cycle_count",
  "bilingual",
] as const;

export type LedgerCode = (typeof LEDGER_CODES)[number];
export type OrderProgressCode = (typeof ORDER_PROGRESS_CODES)[number];
export type StatementLineCode = (typeof STATEMENT_LINE_CODES)[number];

function codedLine<const C extends readonly [string, ...string[]]>(codes: C, id: string) {
  return z
    .object({
      code: z.enum(codes).nullable().meta({ description: "What happened; null for text no code matches" }),
      params: z.record(z.string(), z.string()).meta({
        description:
          "The code's parameters: lotNo, kind (a discrepancy kind), orderId, runId, idType, last4, cashFen, zh/en (bilingual)",
      }),
      typed: z.string().nullable().meta({ description: "What a person typed, as they typed it" }),
    })
    .meta({ id });
}

export const LedgerLine = codedLine(LEDGER_CODES, "LedgerLine");
export const OrderProgressLine = codedLine(ORDER_PROGRESS_CODES, "OrderProgressLine");
export const StatementNoteLine = codedLine(STATEMENT_LINE_CODES, "StatementNoteLine");
export type LedgerLine = z.infer<typeof LedgerLine>;
export type OrderProgressLine = z.infer<typeof OrderProgressLine>;
export type StatementNoteLine = z.infer<typeof StatementNoteLine>;
