import { z } from "zod";
import { CALENDAR_DAY_KINDS } from "../closed-sets";
import { TextInput } from "./common";

const ChinaDay = z.iso.date().meta({ description: "A day in China time, YYYY-MM-DD" });

export const CalendarDay = z
  .object({
    day: ChinaDay,
    kind: z.enum(CALENDAR_DAY_KINDS).meta({
      description: "holiday: a weekday the co-op rests (国庆节); workday: a weekend day it works (调休)",
    }),
    name: z.string(),
  })
  .meta({ id: "CalendarDay" });
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarYear = z
  .object({
    year: z.number().int(),
    days: z.array(CalendarDay).meta({ description: "The marked days of the year, in order" }),
    workingDays: z.number().int().meta({ description: "Working days in the year, the marks counted" }),
  })
  .meta({ id: "CalendarYear" });
export type CalendarYear = z.infer<typeof CalendarYear>;

export const MarkCalendarDay = z
  .object({
    kind: z.enum(CALENDAR_DAY_KINDS),
    name: TextInput.trim().min(1).max(40).meta({ example: "国庆节" }),
  })
  .meta({ id: "MarkCalendarDay" });
export type MarkCalendarDay = z.infer<typeof MarkCalendarDay>;

export const Deadline = z
  .object({
    from: ChinaDay,
    workingDays: z.number().int(),
    due: ChinaDay.meta({ description: "The workingDays-th working day after from" }),
  })
  .meta({ id: "Deadline" });
export type Deadline = z.infer<typeof Deadline>;
