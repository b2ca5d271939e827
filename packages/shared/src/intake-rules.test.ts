import { describe, expect, it } from "vitest";
import { bestBeforeProblem, bestBeforeRequired } from "./intake-rules";

const today = "2026-12-02";

describe("best-before rule of an intake", () => {
  it("asks for a date only for perishables that pass the check", () => {
    expect(bestBeforeRequired({ perishable: true, qcPassed: true })).toBe(true);
    expect(bestBeforeRequired({ perishable: true, qcPassed: false })).toBe(false);
    expect(bestBeforeRequired({ perishable: false, qcPassed: true })).toBe(false);
    expect(bestBeforeProblem({ perishable: true, qcPassed: true, bestBefore: "", today })).toBe("required");
    expect(bestBeforeProblem({ perishable: true, qcPassed: false, bestBefore: "", today })).toBeNull();
    expect(bestBeforeProblem({ perishable: false, qcPassed: true, bestBefore: undefined, today })).toBeNull();
  });

  it("checks a date that is given, whatever the check", () => {
    expect(bestBeforeProblem({ perishable: true, qcPassed: true, bestBefore: today, today })).toBeNull();
    expect(bestBeforeProblem({ perishable: true, qcPassed: true, bestBefore: "2026-12-01", today })).toBe(
      "dateInPast",
    );
    expect(bestBeforeProblem({ perishable: true, qcPassed: false, bestBefore: "2026-12-01", today })).toBe(
      "dateInPast",
    );
    expect(bestBeforeProblem({ perishable: false, qcPassed: true, bestBefore: "2026-02-30", today })).toBe(
      "invalid",
    );
  });
});
