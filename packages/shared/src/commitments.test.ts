import { describe, expect, it } from "vitest";
import { commitmentStanding, median } from "./commitments";
import type { CalendarMarks } from "./working-days";

// National Day 2026 as announced: 1–7 October off (Thursday to Wednesday); Sunday 27 September and
// Saturday 10 October are make-up workdays (调休).
const marks: CalendarMarks = new Map([
  ...["01", "02", "03", "04", "05", "06", "07"].map((d) => [`2026-10-${d}`, "holiday"] as const),
  ["2026-09-27", "workday"],
  ["2026-10-10", "workday"],
]);

describe("where a piece of work stands against its commitment", () => {
  it("falls due across the holiday week and the make-up Saturday", () => {
    // A sale on Wednesday 30 September, 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, 调休).
    const sale = { startedOn: "2026-09-30", days: 3 };
    expect(commitmentStanding({ ...sale, doneOn: "2026-10-10", today: "2026-10-12" }, marks)).toEqual({
      dueOn: "2026-10-10",
      state: "on_time",
      workingDays: 3,
    });
    expect(commitmentStanding({ ...sale, doneOn: "2026-10-12", today: "2026-10-12" }, marks)).toMatchObject({
      state: "late",
      workingDays: 4,
    });
    // Saturday 26 September + 1 working day is the make-up Sunday the 27th.
    expect(
      commitmentStanding({ startedOn: "2026-09-26", days: 1, doneOn: null, today: "2026-09-26" }, marks),
    ).toMatchObject({ dueOn: "2026-09-27", state: "at_risk" });
  });

  it("is pending, then at risk the working day before and on the due day, then breached", () => {
    const open = { startedOn: "2026-09-30", days: 3, doneOn: null };
    expect(commitmentStanding({ ...open, today: "2026-09-30" }, marks).state).toBe("pending");
    // 8 October: two working days left (9th, 10th).
    expect(commitmentStanding({ ...open, today: "2026-10-08" }, marks).state).toBe("pending");
    expect(commitmentStanding({ ...open, today: "2026-10-09" }, marks).state).toBe("at_risk");
    expect(commitmentStanding({ ...open, today: "2026-10-10" }, marks).state).toBe("at_risk");
    expect(commitmentStanding({ ...open, today: "2026-10-11" }, marks)).toMatchObject({
      state: "breached",
      workingDays: 3,
    });
  });

  it("takes the middle of the times taken", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
