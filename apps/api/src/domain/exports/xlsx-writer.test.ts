import { describe, expect, it } from "vitest";
import { columnLetters, xmlText } from "./xlsx-writer";

describe("the XLSX writer's text", () => {
  it("names columns A…Z, AA…", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual([
      "A",
      "B",
      "Z",
      "AA",
      "AB",
      "AZ",
      "BA",
      "ZZ",
      "AAA",
    ]);
  });

  it("escapes markup and drops what XML cannot hold, keeping Chinese and emoji", () => {
    expect(xmlText('王 <b>&"')).toBe("王 &lt;b&gt;&amp;&quot;");
    expect(xmlText("a\u0000b\u0007c\td\ne")).toBe("abc\td\ne");
    expect(xmlText("蛋🥚")).toBe("蛋🥚");
    expect(xmlText("x\uD800y")).toBe("xy");
  });
});
