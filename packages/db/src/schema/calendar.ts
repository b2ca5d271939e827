import { CALENDAR_DAY_KINDS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { check, date, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { oneOf, updatedAt } from "./_columns";
import { coops } from "./coop";
import { staffUsers } from "./staff";

export { CALENDAR_DAY_KINDS, type CalendarDayKind } from "@coop/shared";

/**
 * The co-op's working-day calendar (decision 0042): only the days that break the week's rule — a public
 * holiday on a weekday, a make-up workday (调休) on a weekend — kept by the admin. Deadlines of service
 * commitments (限时办结) are counted on it (@coop/shared working-days.ts).
 */
export const calendarDays = pgTable(
  "calendar_days",
  {
    coopId: text()
      .notNull()
      .references(() => coops.id),
    /** A China-time day. */
    day: date({ mode: "string" }).notNull(),
    kind: text({ enum: CALENDAR_DAY_KINDS }).notNull(),
    /** What it is, as the notice says: 国庆节, 国庆节调休. */
    name: text().notNull(),
    updatedByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.coopId, t.day] }),
    check("calendar_days_kind_check", oneOf("kind", CALENDAR_DAY_KINDS)),
    check("calendar_days_name", sql`length(name) BETWEEN 1 AND 40`),
  ],
);
