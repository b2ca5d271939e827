import { describe, expect, it } from "vitest";
import { daysInRange, planRange } from "./report-periods";

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
