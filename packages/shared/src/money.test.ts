import { describe, expect, it } from "vitest";
import { fenToYuanString, formatFen, parseYuan, splitCommission } from "./money";

describe("money in fen", () => {
  it("parses what a person types into whole fen, without floating point", () => {
    expect(parseYuan("12")).toBe(1200);
    expect(parseYuan("12.5")).toBe(1250);
    expect(parseYuan(" 0.07 ")).toBe(7);
    expect(parseYuan("0.29")).toBe(29); // 0.29 * 100 is 28.999… in floating point
    for (const bad of ["", "abc", "-1", "1.234", "1,000", "1e3", "12."]) expect(parseYuan(bad)).toBeNull();
  });

  it("formats fen as yuan for display", () => {
    expect(formatFen(0)).toBe("¥0.00");
    expect(formatFen(7)).toBe("¥0.07");
    expect(formatFen(150_000)).toBe("¥1500.00");
    expect(formatFen(-250)).toBe("-¥2.50");
    expect(fenToYuanString(1234)).toBe("12.34");
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it("splits a sale so that villager and co-op shares always sum to the sale", () => {
    expect(splitCommission(10_000, 1000)).toEqual({ villagerFen: 9000, coopFen: 1000 });
    // 15 fen at 10 %: 1.5 fen of commission, a tie, goes to the villager.
    expect(splitCommission(15, 1000)).toEqual({ villagerFen: 14, coopFen: 1 });
    // 16 fen at 10 %: 1.6 rounds to 2.
    expect(splitCommission(16, 1000)).toEqual({ villagerFen: 14, coopFen: 2 });
    expect(splitCommission(999, 0)).toEqual({ villagerFen: 999, coopFen: 0 });
    expect(splitCommission(999, 10_000)).toEqual({ villagerFen: 0, coopFen: 999 });
    for (let amount = 0; amount < 5000; amount += 7) {
      for (const bps of [0, 1, 333, 850, 1000, 1250, 5000, 9999]) {
        const { villagerFen, coopFen } = splitCommission(amount, bps);
        expect(villagerFen + coopFen).toBe(amount);
        expect(Math.abs(coopFen - (amount * bps) / 10_000)).toBeLessThanOrEqual(0.5);
      }
    }
    expect(() => splitCommission(100, 10_001)).toThrow(RangeError);
    expect(() => splitCommission(-1, 100)).toThrow(RangeError);
  });
});
