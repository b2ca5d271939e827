import { describe, expect, it } from "vitest";
import { reportRangeOf } from "./report-range";

// 2026-12-03 10:00 in China.
const now = new Date("2026-12-03T02:00:00Z");
const of = (query: string) => reportRangeOf(new URLSearchParams(query), now);

describe("reportRangeOf", () => {
  it("shows the last 30 days by default", () => {
    expect(of("")).toEqual({ from: "2026-11-04", to: "2026-12-03", preset: "last30", corrected: false });
  });

  it("takes the quick choices and marks a range that equals one", () => {
    expect(of("range=thisYear")).toMatchObject({ from: "2026-01-01", to: "2026-12-03", preset: "thisYear" });
    expect(of("from=2026-12-01&to=2026-12-03")).toMatchObject({ preset: "thisMonth" });
    expect(of("from=2026-06-01&to=2026-06-30")).toEqual({
      from: "2026-06-01",
      to: "2026-06-30",
      preset: null,
      corrected: false,
    });
  });

  it("falls back to the last 30 days, and says so, for days that cannot be", () => {
    for (const query of [
      "from=2026-12-05&to=2026-12-01",
      "from=2026-02-30&to=2026-03-01",
      "from=x&to=y",
      "from=2020-01-01&to=2026-12-03",
    ]) {
      expect(of(query), query).toMatchObject({ from: "2026-11-04", to: "2026-12-03", corrected: true });
    }
  });
});
