import { describe, expect, it } from "vitest";
import { splitLine } from "./line-parts";

describe("part of an order line after a delivery shortfall", () => {
  it("splits a box of 30 eggs at ¥58.00 into what arrived and what did not, to the fen", () => {
    // 25 of the box's 30 eggs arrived: ¥48.33 stays on the line, ¥9.67 is refunded or re-sent.
    const [kept, short] = splitLine({ quantity: 30, unitSize: 30, lineTotalFen: 5800 }, 25);
    expect(kept).toEqual({ quantity: 25, units: 1, lineTotalFen: 4833 });
    expect(short).toEqual({ quantity: 5, units: 1, lineTotalFen: 967 });
  });

  it("keeps whole units whole: 2 of 3 boxes arrived", () => {
    const [kept, short] = splitLine({ quantity: 90, unitSize: 30, lineTotalFen: 3 * 5800 }, 60);
    expect(kept).toEqual({ quantity: 60, units: 2, lineTotalFen: 11_600 });
    expect(short).toEqual({ quantity: 30, units: 1, lineTotalFen: 5800 });
  });

  it("prices a line of size-1 units exactly as before sale units: units × unit price", () => {
    for (let received = 1; received < 12; received++) {
      const [kept, short] = splitLine({ quantity: 12, unitSize: 1, lineTotalFen: 12 * 250 }, received);
      expect(kept).toEqual({ quantity: received, units: received, lineTotalFen: received * 250 });
      expect(short).toEqual({
        quantity: 12 - received,
        units: 12 - received,
        lineTotalFen: (12 - received) * 250,
      });
    }
  });
});
