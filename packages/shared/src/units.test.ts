import { describe, expect, it } from "vitest";
import { weightToGrams } from "./units";

describe("weights typed at the service point", () => {
  it("converts 斤 and kg to whole grams exactly", () => {
    expect(weightToGrams("1", "jin")).toBe(500);
    expect(weightToGrams("2.5", "jin")).toBe(1250);
    expect(weightToGrams("0.1", "kg")).toBe(100);
    expect(weightToGrams("1.234", "kg")).toBe(1234);
    expect(weightToGrams("3", "gram")).toBe(3);
  });

  it("refuses what is not a positive weight in whole grams", () => {
    expect(weightToGrams("0", "jin")).toBeNull();
    expect(weightToGrams("-1", "kg")).toBeNull();
    expect(weightToGrams("1.5", "gram")).toBeNull();
    expect(weightToGrams("0.001", "jin")).toBeNull(); // half a gram
    expect(weightToGrams("abc", "kg")).toBeNull();
  });
});
