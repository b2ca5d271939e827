import { describe, expect, it } from "vitest";
import { renderIn, textOf } from "../test/i18n";
import { Availability } from "./Availability";
import { Money } from "./Money";

describe("Money", () => {
  it("formats fen as yuan with formatFen", () => {
    expect(textOf(renderIn("zh-CN", <Money fen={200} />))).toBe("¥2.00");
    expect(textOf(renderIn("en", <Money fen={1_234_567} />))).toBe("¥12345.67");
    expect(textOf(renderIn("en", <Money fen={5} />))).toBe("¥0.05");
  });

  it("shows a unit price with the unit in the reader's language", () => {
    expect(textOf(renderIn("zh-CN", <Money fen={200} per="piece" />))).toBe("¥2.00 /个");
    expect(textOf(renderIn("en", <Money fen={200} per="piece" />))).toBe("¥2.00 / piece");
    expect(textOf(renderIn("zh-CN", <Money fen={16_800} per="bag" />))).toBe("¥168.00 /袋");
  });

  it("prices goods sold by weight or volume per 500, never per gram", () => {
    // 3 fen a gram = ¥15.00 for 500 g (one jin of pickled vegetables).
    expect(textOf(renderIn("zh-CN", <Money fen={3} per="gram" />))).toBe("¥15.00 /500克");
    expect(textOf(renderIn("en", <Money fen={3} per="gram" />))).toBe("¥15.00 / 500 g");
    expect(textOf(renderIn("en", <Money fen={16} per="ml" />))).toBe("¥80.00 / 500 ml");
  });

  it("keeps the exact amount in fen for machines", () => {
    expect(renderIn("en", <Money fen={3} per="gram" />)).toContain('data-fen="1500"');
  });
});

describe("Availability", () => {
  it("says 有货 N in Chinese and In stock: N in English, with thousands grouped", () => {
    expect(textOf(renderIn("zh-CN", <Availability available={1200} unit="piece" />))).toBe("有货 1,200个");
    expect(textOf(renderIn("en", <Availability available={1200} unit="piece" />))).toBe(
      "In stock: 1,200 pieces",
    );
    expect(textOf(renderIn("en", <Availability available={1} unit="bag" />))).toBe("In stock: 1 bag");
    expect(textOf(renderIn("en", <Availability available={2500} unit="gram" />))).toBe("In stock: 2,500 g");
  });

  it("says 缺货 / Out of stock at zero", () => {
    expect(textOf(renderIn("zh-CN", <Availability available={0} unit="piece" />))).toBe("缺货");
    expect(textOf(renderIn("en", <Availability available={0} unit="gram" />))).toBe("Out of stock");
  });
});
