import { sql } from "drizzle-orm";
import { bigint, check, date, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { idColumn } from "./_columns";
import { locations } from "./coop";
import { staffUsers } from "./staff";

/**
 * An agent handing in the cash of a China day (UTC+8) to the co-op. What is expected is computed from the
 * payment and payout rows when the hand-in is submitted and kept here, so the slip the agent signed can be
 * checked later; a later hand-in for the same day covers only what came in after the earlier ones. An admin
 * confirms it with the amount they counted.
 */
export const cashHandIns = pgTable(
  "cash_handins",
  {
    id: idColumn(),
    agentUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    chinaDay: date({ mode: "string" }).notNull(),
    /** Cash taken minus cash paid out that day, less what earlier hand-ins of the day already expected. */
    expectedFen: bigint({ mode: "number" }).notNull(),
    countedFen: bigint({ mode: "number" }).notNull(),
    differenceFen: bigint({ mode: "number" }).notNull(),
    reason: text(),
    submittedAt: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    confirmedByUserId: text().references(() => staffUsers.id),
    confirmedAt: timestamp({ withTimezone: true, mode: "date" }),
    confirmedCountedFen: bigint({ mode: "number" }),
    confirmNote: text(),
  },
  (t) => [
    check("cash_handins_counted_non_negative", sql`counted_fen >= 0`),
    check("cash_handins_difference_adds_up", sql`difference_fen = counted_fen - expected_fen`),
    check(
      "cash_handins_difference_has_reason",
      sql`difference_fen = 0 OR length(btrim(coalesce(reason, ''))) > 0`,
    ),
    check(
      "cash_handins_confirmation_complete",
      sql`(confirmed_by_user_id IS NULL) = (confirmed_at IS NULL) AND (confirmed_at IS NULL) = (confirmed_counted_fen IS NULL)`,
    ),
    check(
      "cash_handins_confirmed_counted_non_negative",
      sql`confirmed_counted_fen IS NULL OR confirmed_counted_fen >= 0`,
    ),
    check(
      "cash_handins_recount_has_note",
      sql`confirmed_counted_fen IS NULL OR confirmed_counted_fen = counted_fen OR length(btrim(coalesce(confirm_note, ''))) > 0`,
    ),
    index("cash_handins_agent_day_idx").on(t.agentUserId, t.chinaDay),
    index("cash_handins_unconfirmed_idx").on(t.submittedAt).where(sql`confirmed_at IS NULL`),
  ],
);
