import type { Database, Executor } from "@coop/db";
import { calendarDays } from "@coop/db/schema";
import { addDays, addWorkingDays, type CalendarMarks, isWorkingDay, workingDaysBetween } from "@coop/shared";
import type { CalendarYear, MarkCalendarDay } from "@coop/shared/contract";
import { and, asc, between, eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";

/** The calendar's marks from `from` to `to` (plain China days), for counting deadlines in that span. */
export async function calendarMarks(
  db: Executor,
  coopId: string,
  from: string,
  to: string,
): Promise<CalendarMarks> {
  const rows = await db
    .select({ day: calendarDays.day, kind: calendarDays.kind })
    .from(calendarDays)
    .where(and(eq(calendarDays.coopId, coopId), between(calendarDays.day, from, to)))
    .orderBy(asc(calendarDays.day));
  return new Map(rows.map((r) => [r.day, r.kind]));
}

/** A year's marked days and how many working days it has. */
export async function calendarYear(db: Executor, coopId: string, year: number): Promise<CalendarYear> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const rows = await db
    .select({ day: calendarDays.day, kind: calendarDays.kind, name: calendarDays.name })
    .from(calendarDays)
    .where(and(eq(calendarDays.coopId, coopId), between(calendarDays.day, from, to)))
    .orderBy(asc(calendarDays.day));
  const marks: CalendarMarks = new Map(rows.map((r) => [r.day, r.kind]));
  // Working days after 31 December of the year before, up to and including the year's last day.
  const workingDays = workingDaysBetween(`${year - 1}-12-31`, to, marks);
  return { year, days: rows, workingDays };
}

/**
 * The admin marks a day (or changes its mark): a holiday on a weekday, a make-up workday on a weekend. A mark
 * that changes nothing (a holiday on a Sunday) is refused, so the calendar holds only what counts. Audited.
 */
export async function markCalendarDay(
  db: Database,
  input: { coopId: string; actorUserId: string; requestId: string; day: string; data: MarkCalendarDay },
): Promise<void> {
  const { day, data } = input;
  // What the week alone says of the day (no marks): the mark must say the opposite to mean anything.
  const weekend = !isWorkingDay(day, new Map());
  if (data.kind === "holiday" && weekend) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "A weekend day is a rest day already: mark holidays on weekdays.",
      {
        fields: [{ path: "kind", message: "a weekend is not a working day to begin with" }],
      },
    );
  }
  if (data.kind === "workday" && !weekend) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "A weekday is a working day already: mark make-up workdays on weekends.",
      {
        fields: [{ path: "kind", message: "a weekday is a working day to begin with" }],
      },
    );
  }
  await db.transaction(async (tx) => {
    await tx
      .insert(calendarDays)
      .values({
        coopId: input.coopId,
        day,
        kind: data.kind,
        name: data.name,
        updatedByUserId: input.actorUserId,
      })
      .onConflictDoUpdate({
        target: [calendarDays.coopId, calendarDays.day],
        set: { kind: data.kind, name: data.name, updatedByUserId: input.actorUserId, updatedAt: new Date() },
      });
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "calendar.mark",
      entityType: "calendar_day",
      entityId: day,
      data,
    });
  });
}

/** The admin takes a mark off a day: it follows the week's rule again. Again, or with no mark: nothing. */
export async function unmarkCalendarDay(
  db: Database,
  input: { coopId: string; actorUserId: string; requestId: string; day: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(calendarDays)
      .where(and(eq(calendarDays.coopId, input.coopId), eq(calendarDays.day, input.day)))
      .returning({ kind: calendarDays.kind, name: calendarDays.name });
    if (removed.length === 0) return;
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "calendar.unmark",
      entityType: "calendar_day",
      entityId: input.day,
      data: removed[0],
    });
  });
}

/** When a commitment of `days` working days starting on `from` falls due, on the co-op's calendar. */
export async function deadlineFrom(
  db: Executor,
  coopId: string,
  from: string,
  days: number,
): Promise<string> {
  // Generous: a year of calendar past the start covers any commitment of up to ~200 working days.
  const to = addDays(from, 400);
  return addWorkingDays(from, days, await calendarMarks(db, coopId, from, to));
}
