import { describe, expect, it } from "vitest";
import {
  chinaMonth,
  chinaToday,
  daysUntil,
  formatDate,
  formatDateTime,
  monthRange,
  shiftMonth,
} from "./dates";

describe("dates in China time", () => {
  it("formats instants in UTC+8 whatever the machine's zone", () => {
    expect(formatDate("2026-11-30T17:00:00.000Z", "zh-CN")).toBe("2026年12月1日");
    expect(formatDateTime("2026-11-23T06:05:00.000Z", "zh-CN")).toBe("2026年11月23日 14:05");
    expect(formatDate("2026-12-20", "en")).toBe("20 Dec 2026");
  });

  it("knows today and this month in China", () => {
    const lateUtc = new Date("2026-11-30T20:00:00.000Z"); // already 1 December in China
    expect(chinaToday(lateUtc)).toBe("2026-12-01");
    expect(chinaMonth(lateUtc)).toBe("2026-12");
  });

  it("turns a month into the instants it starts and ends at", () => {
    expect(monthRange("2026-11")).toEqual({
      from: "2026-10-31T16:00:00.000Z",
      to: "2026-11-30T16:00:00.000Z",
    });
    expect(monthRange("2026-12")?.to).toBe("2026-12-31T16:00:00.000Z");
    expect(monthRange("2026-13")).toBeNull();
    expect(monthRange("last month")).toBeNull();
  });

  it("moves between months across years", () => {
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
  });

  it("counts days to a best-before date", () => {
    const now = new Date("2026-11-23T02:00:00.000Z");
    expect(daysUntil("2026-11-30", now)).toBe(7);
    expect(daysUntil("2026-11-22", now)).toBe(-1);
  });
});
