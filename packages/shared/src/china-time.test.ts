import { describe, expect, it } from "vitest";
import {
  addDays,
  CHINA_UTC_OFFSET_HOURS,
  chinaDate,
  chinaDatePlusDays,
  chinaDateStamp,
  chinaDateTime,
  chinaDayRange,
  chinaDayStartMs,
  chinaMonth,
  chinaMonthRange,
  chinaParts,
  chinaToday,
  daysBetween,
  daysUntil,
  isPlainDate,
  parseChinaDateTime,
  shiftMonth,
  startOfChinaMonth,
} from "./china-time";

const at = (iso: string) => new Date(iso);

describe("China time (UTC+8)", () => {
  it("is eight hours ahead of UTC all year (no daylight saving)", () => {
    expect(CHINA_UTC_OFFSET_HOURS).toBe(8);
    expect(chinaDateTime(at("2026-01-15T04:00:00Z"))).toBe("2026-01-15 12:00");
    expect(chinaDateTime(at("2026-07-15T04:00:00Z"))).toBe("2026-07-15 12:00");
  });

  it("turns the day at midnight China time, which is 16:00 UTC", () => {
    expect(chinaDate(at("2026-11-23T15:59:59.999Z"))).toBe("2026-11-23");
    expect(chinaDate(at("2026-11-23T16:00:00.000Z"))).toBe("2026-11-24");
    expect(chinaToday(at("2026-11-23T16:00:00.000Z"))).toBe("2026-11-24");
    expect(chinaDateStamp(at("2026-11-23T16:00:00.000Z"))).toBe("20261124");
    // Early morning in China is still yesterday in UTC.
    expect(chinaDate(at("2026-11-23T23:30:00Z"))).toBe("2026-11-24");
    expect(chinaParts(at("2026-11-23T16:05:00Z"))).toEqual({
      year: 2026,
      month: 11,
      day: 24,
      hour: 0,
      minute: 5,
    });
  });

  it("turns the month and the year at their China midnight", () => {
    expect(chinaMonth(at("2026-11-30T15:59:59Z"))).toBe("2026-11");
    expect(chinaMonth(at("2026-11-30T16:00:00Z"))).toBe("2026-12");
    expect(chinaDate(at("2026-12-31T16:00:00Z"))).toBe("2027-01-01");
    expect(chinaMonth(at("2026-12-31T16:00:00Z"))).toBe("2027-01");
    expect(chinaDateTime("2026-12-31T16:30:00Z")).toBe("2027-01-01 00:30");
    // A leap day.
    expect(chinaDate(at("2028-02-28T16:00:00Z"))).toBe("2028-02-29");
    expect(chinaDate(at("2028-02-29T16:00:00Z"))).toBe("2028-03-01");
  });

  it("gives a China day as the instants it runs between", () => {
    const { start, end } = chinaDayRange("2026-11-24");
    expect(start.toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(end.toISOString()).toBe("2026-11-24T16:00:00.000Z");
    // Every instant of the range belongs to that day, and none outside it.
    expect(chinaDate(start)).toBe("2026-11-24");
    expect(chinaDate(new Date(end.getTime() - 1))).toBe("2026-11-24");
    expect(chinaDate(end)).toBe("2026-11-25");
    expect(chinaDayStartMs(at("2026-11-24T10:00:00Z").getTime())).toBe(start.getTime());
  });

  it("gives a China month as the instants it runs between, across month and year ends", () => {
    expect(chinaMonthRange("2026-11")).toEqual({
      start: at("2026-10-31T16:00:00.000Z"),
      end: at("2026-11-30T16:00:00.000Z"),
    });
    expect(chinaMonthRange("2026-12")?.end).toEqual(at("2026-12-31T16:00:00.000Z"));
    expect(chinaMonthRange("2028-02")?.end).toEqual(at("2028-02-29T16:00:00.000Z"));
    expect(chinaMonthRange("2026-13")).toBeNull();
    expect(chinaMonthRange("2026-00")).toBeNull();
    expect(chinaMonthRange("last month")).toBeNull();
    // 1 December 00:30 in China is in December even though it is still 30 November in UTC.
    expect(startOfChinaMonth(at("2026-11-30T16:30:00Z"))).toEqual(at("2026-11-30T16:00:00.000Z"));
    expect(startOfChinaMonth(at("2026-11-30T15:30:00Z"))).toEqual(at("2026-10-31T16:00:00.000Z"));
  });

  it("does calendar arithmetic on plain dates", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2026-12-02", "2026-10-03")).toBe(-60);
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    // Best-before = the China date of intake + shelf life: an intake at 23:30 China time counts from that day.
    expect(chinaDatePlusDays(at("2026-11-30T15:30:00Z"), 7)).toBe("2026-12-07");
    expect(chinaDatePlusDays(at("2026-11-30T16:30:00Z"), 7)).toBe("2026-12-08");
  });

  it("counts days until a date from today in China", () => {
    const lateUtc = at("2026-11-30T20:00:00Z"); // 1 December, 04:00 in China
    expect(daysUntil("2026-12-01", lateUtc)).toBe(0);
    expect(daysUntil("2026-11-30", lateUtc)).toBe(-1);
    expect(daysUntil("2026-12-08", lateUtc)).toBe(7);
  });

  it("reads China wall-clock text (Aliyun's) as the right instant", () => {
    expect(parseChinaDateTime("2026-12-01 00:00:00")).toEqual(at("2026-11-30T16:00:00.000Z"));
    expect(parseChinaDateTime("2027-01-01 07:59:59")).toEqual(at("2026-12-31T23:59:59.000Z"));
    expect(parseChinaDateTime("2026-02-30 10:00:00")).toBeNull();
    expect(parseChinaDateTime("2026-12-01T00:00:00")).toBeNull();
    expect(parseChinaDateTime("2026-12-01 24:00:00")).toBeNull();
    expect(parseChinaDateTime(undefined)).toBeNull();
  });

  it("knows real plain dates", () => {
    expect(isPlainDate("2028-02-29")).toBe(true);
    expect(isPlainDate("2026-02-29")).toBe(false);
    expect(isPlainDate("2026-2-1")).toBe(false);
    expect(isPlainDate("2026-12-01T00:00:00Z")).toBe(false);
  });
});
