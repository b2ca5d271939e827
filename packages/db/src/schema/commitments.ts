import { COMMITMENT_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { check, date, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, oneOf, updatedAt } from "./_columns";
import { coops, locations } from "./coop";
import { staffUsers } from "./staff";

export { COMMITMENT_KINDS, type CommitmentKind } from "@coop/shared";

/**
 * The co-op's service commitments (限时办结): how many working days each kind of work may take. A kind
 * with no row keeps the default (@coop/shared COMMITMENT_DEFAULT_DAYS). Whether each piece of work was on
 * time is computed from the records themselves (orders, their status history, sale credits and payouts,
 * follow-ups), never stored, so changing a commitment re-judges the past by the new promise.
 */
export const serviceCommitments = pgTable(
  "service_commitments",
  {
    coopId: text()
      .notNull()
      .references(() => coops.id),
    kind: text({ enum: COMMITMENT_KINDS }).notNull(),
    workingDays: integer().notNull(),
    updatedByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.coopId, t.kind] }),
    check("service_commitments_kind_check", oneOf("kind", COMMITMENT_KINDS)),
    check("service_commitments_days", sql`working_days BETWEEN 0 AND 60`),
  ],
);

/**
 * One reminder per service point and China day: the daily job inserts the row and queues the SMS in one
 * transaction, so two processes running the job (or a rerun) text a point once.
 */
export const commitmentReminders = pgTable(
  "commitment_reminders",
  {
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    day: date({ mode: "string" }).notNull(),
    atRisk: integer().notNull(),
    breached: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.servicePointId, t.day] }),
    check("commitment_reminders_counts", sql`at_risk >= 0 AND breached >= 0 AND at_risk + breached > 0`),
  ],
);
