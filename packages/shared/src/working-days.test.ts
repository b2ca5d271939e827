import { describe, expect, it } from "vitest";
import type { CalendarDayKind } from "./closed-sets";
import { addWorkingDays, isWorkingDay, workingDaysBetween } from "./working-days";

// A National Day week as the State Council announces them: 1–7 October off (Thursday to Wednesday), with
// Sunday 27 September and Saturday 10 October made workdays (调休) in exchange.
const marks = new Map<string, CalendarDayKind>([
  ...["01", "02", "03", "04", "05", "06", "07"].map((d) => [`2026-10-${d}`, "holiday"] as const),
  ["2026-09-27", "workday"],
  ["2026-10-10", "workday"],
]);

describe("working days", () => {
  it("follow the week, except the days the calendar marks", () => {
    expect(isWorkingDay("2026-09-25", marks)).toBe(true); // Friday
    expect(isWorkingDay("2026-09-26", marks)).toBe(false); // Saturday
    expect(isWorkingDay("2026-09-27", marks)).toBe(true); // Sunday, made a workday
    expect(isWorkingDay("2026-10-01", marks)).toBe(false); // Thursday, National Day
    expect(isWorkingDay("2026-10-10", marks)).toBe(true); // Saturday, made a workday
    expect(isWorkingDay("2026-10-11", marks)).toBe(false); // Sunday
  });

  it("put a deadline across the holiday week on the right day", () => {
    // Tuesday 29 Sep + 3: Wednesday 30 (1), 1–7 Oct off, Thursday 8 (2), Friday 9 (3).
    expect(addWorkingDays("2026-09-29", 3, marks)).toBe("2026-10-09");
    // + 4 lands on the make-up Saturday, not the Monday after.
    expect(addWorkingDays("2026-09-29", 4, marks)).toBe("2026-10-10");
    expect(addWorkingDays("2026-09-29", 5, marks)).toBe("2026-10-12");
  });

  it("count a make-up Sunday as a working day", () => {
    // Friday 25 Sep + 1: Saturday rests, Sunday 27 is a workday.
    expect(addWorkingDays("2026-09-25", 1, marks)).toBe("2026-09-27");
    // Without the calendar it would have been Monday 28.
    expect(addWorkingDays("2026-09-25", 1, new Map())).toBe("2026-09-28");
  });

  it("start a 0-day commitment on the next working day when it begins on a rest day", () => {
    expect(addWorkingDays("2026-10-03", 0, marks)).toBe("2026-10-08");
    expect(addWorkingDays("2026-10-08", 0, marks)).toBe("2026-10-08");
    expect(() => addWorkingDays("2026-10-08", -1, marks)).toThrow(RangeError);
  });

  it("measure how many working days something took", () => {
    expect(workingDaysBetween("2026-09-29", "2026-10-09", marks)).toBe(3);
    expect(workingDaysBetween("2026-09-30", "2026-10-07", marks)).toBe(0);
    expect(workingDaysBetween("2026-10-09", "2026-10-09", marks)).toBe(0);
    expect(workingDaysBetween("2026-10-09", "2026-10-12", marks)).toBe(2);
  });
});
