import { CalendarYear, Deadline, MarkCalendarDay } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import {
  calendarYear,
  deadlineFrom,
  markCalendarDay,
  unmarkCalendarDay,
} from "../domain/calendar/working-calendar";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Working-day calendar"];
const security = [{ bearerAuth: [] }];
const DayParam = z.object({ day: z.iso.date().meta({ description: "A China-time day, YYYY-MM-DD" }) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const yearDef = createRoute({
  method: "get",
  path: "/admin/calendar",
  tags,
  security,
  summary: "The working-day calendar of a year: its holidays and make-up workdays (调休)",
  description:
    "Monday to Friday are working days and weekends rest, except the days marked here. Deadlines of service commitments (限时办结) are counted on it.",
  middleware: [requireStaff("admin")] as const,
  request: { query: z.object({ year: z.coerce.number().int().min(2020).max(2100) }) },
  responses: { 200: jsonContent(CalendarYear, "The year"), ...errorResponses(400, 401, 403) },
});

const markDef = createRoute({
  method: "put",
  path: "/admin/calendar/{day}",
  tags,
  security,
  summary: "Mark a day (admin): a public holiday on a weekday, or a make-up workday on a weekend",
  description:
    "Marking it again replaces the mark (safe to retry). A holiday on a weekend or a workday on a weekday changes nothing and is refused (400). Audited.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: DayParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: MarkCalendarDay } } },
  },
  responses: {
    200: jsonContent(CalendarYear, "The day's year, with the mark"),
    ...errorResponses(400, 401, 403),
  },
});

const unmarkDef = createRoute({
  method: "delete",
  path: "/admin/calendar/{day}",
  tags,
  security,
  summary: "Take the mark off a day (admin): it follows the week again",
  description: "Removing it again, or from a day with no mark, answers 204 too (safe to retry). Audited.",
  middleware: [requireStaff("admin")] as const,
  request: { params: DayParam },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 403) },
});

const deadlineDef = createRoute({
  method: "get",
  path: "/admin/calendar/deadline",
  tags,
  security,
  summary: "When a commitment of N working days from a day falls due, on the co-op's calendar",
  middleware: [requireStaff("admin", "agent", "warehouse")] as const,
  request: {
    query: z.object({
      from: z.iso.date(),
      workingDays: z.coerce.number().int().min(0).max(200),
    }),
  },
  responses: { 200: jsonContent(Deadline, "The due day"), ...errorResponses(400, 401, 403) },
});

export function calendarRoutes() {
  return createRouter()
    .openapi(yearDef, async (c) =>
      c.json(await calendarYear(c.var.deps.db, c.var.staff!.coopId, c.req.valid("query").year), 200),
    )
    .openapi(deadlineDef, async (c) => {
      const { from, workingDays } = c.req.valid("query");
      const due = await deadlineFrom(c.var.deps.db, c.var.staff!.coopId, from, workingDays);
      return c.json({ from, workingDays, due }, 200);
    })
    .openapi(markDef, async (c) => {
      const staff = c.var.staff!;
      const { day } = c.req.valid("param");
      await markCalendarDay(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        day,
        data: c.req.valid("json"),
      });
      return c.json(await calendarYear(c.var.deps.db, staff.coopId, Number(day.slice(0, 4))), 200);
    })
    .openapi(unmarkDef, async (c) => {
      const staff = c.var.staff!;
      await unmarkCalendarDay(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        day: c.req.valid("param").day,
      });
      return c.body(null, 204);
    });
}
