import { describe, expect, it } from "vitest";
import { bpsToPercent, formatPhone, maskPhone, percentToBps, pricePerBaseUnit } from "./format";

describe("small formats", () => {
  it("reads and hides phone numbers", () => {
    expect(formatPhone("13812345678")).toBe("138 1234 5678");
    expect(maskPhone("13812345678")).toBe("138****5678");
  });

  it("turns percentages into basis points and back", () => {
    expect(percentToBps("10")).toBe(1000);
    expect(percentToBps("8.5")).toBe(850);
    expect(percentToBps("12.25%")).toBe(1225);
    expect(percentToBps("101")).toBeNull();
    expect(percentToBps("ten")).toBeNull();
    expect(bpsToPercent(850)).toBe("8.5");
    expect(bpsToPercent(1000)).toBe("10");
  });

  it("keeps prices per 500 g whole in fen per gram", () => {
    expect(pricePerBaseUnit(1500, 500)).toBe(3); // ¥15 a jin = 3 fen a gram
    expect(pricePerBaseUnit(1501, 500)).toBeNull();
    expect(pricePerBaseUnit(200, 1)).toBe(200);
    expect(pricePerBaseUnit(null, 1)).toBeNull();
  });
});
