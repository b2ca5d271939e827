import { describe, expect, it } from "vitest";
import { isStorableText, truncateText } from "./text";

describe("isStorableText", () => {
  it("takes any well-formed text, emoji and CJK included", () => {
    for (const s of ["", "张三", "😀", "a😀b", "\uD83D\uDE00", "tab\tnewline\n"])
      expect(isStorableText(s)).toBe(true);
  });
  it("refuses NUL and lone surrogates wherever they are", () => {
    for (const s of ["\u0000", "a\u0000", "\uD83D", "a\uD83Db", "\uDE00", "x\uDE00\uD83D"]) {
      expect(isStorableText(s)).toBe(false);
    }
  });
});

describe("truncateText", () => {
  it("never halves an emoji: one that does not fit whole is dropped", () => {
    const name = `${"张".repeat(39)}😀`;
    expect(name.length).toBe(41);
    expect(truncateText(name, 40)).toBe("张".repeat(39));
    expect(truncateText(name, 41)).toBe(name);
    expect(truncateText("😀😀", 3)).toBe("😀");
    expect(isStorableText(truncateText("a😀", 2))).toBe(true);
  });
  it("leaves short text alone", () => {
    expect(truncateText("abc", 10)).toBe("abc");
  });
});
