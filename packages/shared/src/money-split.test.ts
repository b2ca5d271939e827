import { describe, expect, it } from "vitest";
import { partOfLineFen, splitByLargestRemainder } from "./money";

/** A small seeded generator, so a failing case can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("a line's total split over the lots it drew (largest remainder)", () => {
  it("splits ¥13.80 for 1 斤 (2.76 fen a gram) over two lots exactly", () => {
    // 300 g + 200 g: exact shares 828 and 552.
    expect(splitByLargestRemainder(1380, [300, 200])).toEqual([828, 552]);
    // 333 g + 167 g: 919.08 and 460.92 → the fen left over goes to the larger remainder (the second lot).
    expect(splitByLargestRemainder(1380, [333, 167])).toEqual([919, 461]);
    // a box of 30 eggs at ¥58 from 10 + 20 eggs: 1933.33 and 3866.67
    expect(splitByLargestRemainder(5800, [10, 20])).toEqual([1933, 3867]);
  });

  it("gives a tie to the earlier lot in FEFO order", () => {
    expect(splitByLargestRemainder(1, [1, 1])).toEqual([1, 0]);
    expect(splitByLargestRemainder(5, [1, 1])).toEqual([3, 2]);
    expect(splitByLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it("adds up to the total and keeps every part within one fen of its exact share, over 5,000 random cases", () => {
    const next = random(20261202);
    for (let n = 0; n < 5000; n++) {
      const total = Math.floor(next() * 3_000_000);
      const weights = Array.from({ length: 1 + Math.floor(next() * 6) }, () => Math.floor(next() * 5000));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const parts = splitByLargestRemainder(total, weights);
      const sum = weights.reduce((s, w) => s + w, 0);
      expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
      parts.forEach((p, i) => {
        expect(Number.isInteger(p)).toBe(true);
        const exact = (total * weights[i]!) / sum;
        expect(p).toBeGreaterThanOrEqual(Math.floor(exact));
        expect(p).toBeLessThanOrEqual(Math.ceil(exact));
        if (weights[i] === 0) expect(p).toBe(0);
      });
    }
  });

  it("stays exact where total × weight passes 2^53", () => {
    const parts = splitByLargestRemainder(2_980_000_000, [3_333_333, 6_666_667]);
    expect(parts[0]! + parts[1]!).toBe(2_980_000_000);
    expect(parts).toEqual([993_333_234, 1_986_666_766]);
  });

  it("prices part of a line so that the part and the rest add up to the line", () => {
    expect(partOfLineFen(5800, 30, 25)).toBe(4833);
    expect(partOfLineFen(5800, 30, 5)).toBe(967);
    expect(partOfLineFen(5800, 30, 30)).toBe(5800);
    expect(partOfLineFen(5800, 30, 0)).toBe(0);
    // Lines of one-piece units price each part exactly as before: quantity × unit price.
    for (let q = 0; q <= 12; q++) expect(partOfLineFen(12 * 250, 12, q)).toBe(q * 250);
    expect(() => partOfLineFen(100, 3, 4)).toThrow(RangeError);
  });

  it("refuses what cannot be split", () => {
    expect(() => splitByLargestRemainder(10, [])).toThrow(RangeError);
    expect(() => splitByLargestRemainder(10, [0, 0])).toThrow(RangeError);
    expect(() => splitByLargestRemainder(-1, [1])).toThrow(RangeError);
    expect(() => splitByLargestRemainder(1.5, [1])).toThrow(RangeError);
  });
});
