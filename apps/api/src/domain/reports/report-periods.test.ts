import { describe, expect, it } from "vitest";
import { daysInRange, mondayOf, periodsOf, planRange } from "./report-periods";

describe("planRange", () => {
  it("reads whole months from the month rollups and the ends from the day rollups", () => {
    expect(planRange({ from: "2026-01-15", to: "2026-04-10" }, "2026-12-02")).toEqual({
      months: { from: "2026-02-01", toExclusive: "2026-04-01" },
      days: [
        { from: "2026-01-15", to: "2026-01-31" },
        { from: "2026-04-01", to: "2026-04-10" },
      ],
      live: null,
    });
  });

  it("takes a range of whole months, across a year's end, as months only", () => {
    expect(planRange({ from: "2025-12-01", to: "2026-02-28" }, "2026-12-02")).toEqual({
      months: { from: "2025-12-01", toExclusive: "2026-03-01" },
      days: [],
      live: null,
    });
  });

  it("reads a range inside one month from the day rollups", () => {
    expect(planRange({ from: "2026-03-02", to: "2026-03-30" }, "2026-12-02")).toEqual({
      months: null,
      days: [{ from: "2026-03-02", to: "2026-03-30" }],
      live: null,
    });
  });

  it("reads yesterday and today from the ledger, and stops the rollups the day before", () => {
    expect(planRange({ from: "2026-11-01", to: "2026-12-03" }, "2026-12-02")).toEqual({
      months: { from: "2026-11-01", toExclusive: "2026-12-01" },
      days: [{ from: "2026-12-01", to: "2026-12-01" }],
      live: { from: "2026-12-02", to: "2026-12-03" },
    });
    expect(planRange({ from: "2026-12-03", to: "2026-12-03" }, "2026-12-02")).toEqual({
      months: null,
      days: [],
      live: { from: "2026-12-03", to: "2026-12-03" },
    });
    expect(planRange({ from: "2026-11-20", to: "2026-12-02" }, "2026-12-02")).toEqual({
      months: null,
      days: [{ from: "2026-11-20", to: "2026-12-01" }],
      live: { from: "2026-12-02", to: "2026-12-02" },
    });
  });

  it("counts days with both ends", () => {
    expect(daysInRange({ from: "2026-01-01", to: "2026-12-31" })).toBe(365);
    expect(daysInRange({ from: "2024-02-28", to: "2024-03-01" })).toBe(3);
  });
});

describe("periodsOf", () => {
  it("lists every day of a range, and every week's Monday from the one before the first day", () => {
    expect(periodsOf({ from: "2026-02-27", to: "2026-03-02" }, "day")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    // 2026-12-04 is a Friday; 2026-12-28 a Monday.
    expect(mondayOf("2026-12-04")).toBe("2026-11-30");
    expect(mondayOf("2026-12-28")).toBe("2026-12-28");
    expect(mondayOf("2027-01-03")).toBe("2026-12-28");
    expect(periodsOf({ from: "2026-12-04", to: "2026-12-28" }, "week")).toEqual([
      "2026-11-30",
      "2026-12-07",
      "2026-12-14",
      "2026-12-21",
      "2026-12-28",
    ]);
  });
});
