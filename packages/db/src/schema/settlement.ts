import { CONSIGNOR_ENTRY_KINDS, PAYOUT_METHODS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { consignors } from "./consignors";
import { locations } from "./coop";
import { orderLines, orders } from "./orders";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export { CONSIGNOR_ENTRY_KINDS, type ConsignorEntryKind, PAYOUT_METHODS } from "@coop/shared";

export const payouts = pgTable(
  "payouts",
  {
    id: idColumn(),
    consignorId: text()
      .notNull()
      .references(() => consignors.id),
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    amountFen: bigint({ mode: "number" }).notNull(),
    method: text({ enum: PAYOUT_METHODS }).notNull(),
    /** The villager's balance right after this payout, printed on the signed receipt. */
    balanceAfterFen: bigint({ mode: "number" }).notNull(),
    paidByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [
    check("payouts_amount_positive", sql`amount_fen > 0`),
    check("payouts_method_check", oneOf("method", PAYOUT_METHODS)),
    index("payouts_consignor_idx").on(t.consignorId, t.createdAt),
    index("payouts_created_idx").on(t.createdAt, t.id),
    // An agent's cash day-close sums their cash payouts of the day.
    index("payouts_cash_payer_idx").on(t.paidByUserId, t.createdAt).where(sql`method = 'cash'`),
  ],
);

/**
 * The villager's money ledger (明白账): append-only, one line per earning, deduction and payout, so the
 * statement can be checked line by line. consignors.balance_fen is its running sum.
 */
export const consignorEntries = pgTable(
  "consignor_entries",
  {
    id: idColumn(),
    consignorId: text()
      .notNull()
      .references(() => consignors.id),
    kind: text({ enum: CONSIGNOR_ENTRY_KINDS }).notNull(),
    amountFen: bigint({ mode: "number" }).notNull(),
    /** For sale credits: the gross sale amount and the co-op's commission, so the line explains itself. */
    grossFen: bigint({ mode: "number" }),
    commissionFen: bigint({ mode: "number" }),
    quantity: integer(),
    lotId: text().references(() => lots.id),
    orderId: text().references(() => orders.id),
    orderLineId: text().references(() => orderLines.id),
    payoutId: text().references(() => payouts.id),
    note: text(),
    actorUserId: text().references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("consignor_entries_kind_check", oneOf("kind", CONSIGNOR_ENTRY_KINDS)),
    check("consignor_entries_amount_non_zero", sql`amount_fen <> 0`),
    check(
      "consignor_entries_sign",
      sql`(kind = 'sale_credit' AND amount_fen > 0) OR (kind IN ('deduction', 'payout', 'purchase', 'sale_reversal') AND amount_fen < 0) OR kind = 'adjustment'`,
    ),
    check(
      "consignor_entries_sale_split",
      sql`kind <> 'sale_credit' OR (gross_fen IS NOT NULL AND commission_fen IS NOT NULL AND gross_fen = amount_fen + commission_fen)`,
    ),
    check("consignor_entries_payout_link", sql`(kind = 'payout') = (payout_id IS NOT NULL)`),
    index("consignor_entries_consignor_time_idx").on(t.consignorId, t.createdAt),
    index("consignor_entries_lot_idx").on(t.lotId),
    // Exports page through the ledger in (created_at, id) order (decision 0043).
    index("consignor_entries_created_idx").on(t.createdAt, t.id),
  ],
);
