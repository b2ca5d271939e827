import { STATEMENT_LINE_KINDS } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import { tIn } from "../test/t";
import { type StatementLine, statementLineText } from "./statement";

const line = (over: Partial<StatementLine>): StatementLine => ({
  at: "2026-11-23T02:00:00.000Z",
  kind: "intake",
  amountFen: 0,
  balanceFen: 0,
  ...over,
});

describe("statement lines in plain words", () => {
  it("names every kind of line in both languages, each differently", () => {
    for (const language of ["zh-CN", "en"] as const) {
      const t = tIn(language, "staff");
      const labels = STATEMENT_LINE_KINDS.map((kind) => statementLineText(line({ kind }), t, language).kind);
      expect(new Set(labels).size, language).toBe(STATEMENT_LINE_KINDS.length);
      for (const label of labels) expect(label, language).not.toMatch(/^statement\./);
    }
    const zh = tIn("zh-CN", "staff");
    expect(statementLineText(line({ kind: "payout" }), zh, "zh-CN").kind).toBe("付给您");
    expect(statementLineText(line({ kind: "sale" }), zh, "zh-CN").kind).toBe("卖出");
  });

  it("says which goods: intake number, product and quantity", () => {
    const text = statementLineText(
      line({
        kind: "intake",
        lotNo: "HS01-20261123-0007",
        productName: { zh: "土鸡蛋", en: "Free-range eggs" },
        quantity: 30,
        unit: "piece",
      }),
      tIn("zh-CN", "staff"),
      "zh-CN",
    );
    expect(text).toEqual({ kind: "交货", goods: "HS01-20261123-0007 · 土鸡蛋 · 30 个", note: null });
  });

  it("shows a weighed quantity in 斤 and a discrepancy's reason in the reader's words", () => {
    const discrepancy = line({
      kind: "discrepancy",
      lotNo: "HS01-20261123-0008",
      productName: { zh: "坛子菜·萝卜干", en: "Crock-pickled dried radish" },
      quantity: -250,
      unit: "gram",
      note: "short_weight",
    });
    expect(statementLineText(discrepancy, tIn("zh-CN", "staff"), "zh-CN")).toEqual({
      kind: "仓库清点不符",
      goods: "HS01-20261123-0008 · 坛子菜·萝卜干 · −250 克",
      note: "分量不够",
    });
    expect(statementLineText(discrepancy, tIn("en", "staff"), "en").note).toBe("Short weight");
    expect(
      statementLineText(line({ kind: "discrepancy", note: "2 枚破损" }), tIn("en", "staff"), "en").note,
    ).toBe("2 枚破损");
  });

  it("has no goods part on a money-only line", () => {
    expect(
      statementLineText(line({ kind: "payout", amountFen: -5000 }), tIn("zh-CN", "staff"), "zh-CN").goods,
    ).toBeNull();
  });
});

describe("notes on statement lines", () => {
  it("puts a discrepancy code followed by the warehouse's words into plain words", () => {
    const zh = tIn("zh-CN", "staff");
    expect(
      statementLineText(line({ kind: "discrepancy", note: "broken: 路上颠破 2 枚" }), zh, "zh-CN").note,
    ).toBe("破损：路上颠破 2 枚");
    expect(statementLineText(line({ kind: "discrepancy", note: "missing" }), zh, "zh-CN").note).toBe(
      "少了（找不到）",
    );
    expect(statementLineText(line({ kind: "adjustment", note: "cycle count" }), zh, "zh-CN").note).toBe(
      "cycle count",
    );
  });
});
