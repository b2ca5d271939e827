import { LEDGER_CODES, ORDER_PROGRESS_CODES, STATEMENT_LINE_CODES } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import { enCommon } from "../locales/common.en";
import { zhCNCommon } from "../locales/common.zh-CN";
import { enStaff } from "../locales/staff.en";
import { zhCNStaff } from "../locales/staff.zh-CN";
import { tIn } from "../test/t";
import { ledgerText, orderProgressText, statementNoteText } from "./line-text";
import { statementLineText } from "./statement";

const none = { params: {}, typed: null };
/** Latin words of three letters or more: raw English left in a Chinese line. */
const ENGLISH_WORD = /[A-Za-z]{3,}/;

describe("ledger, order and statement lines in the reader's language", () => {
  it("has words for every code the API sends, in both languages", () => {
    for (const catalog of [
      { ...zhCNCommon, ...zhCNStaff },
      { ...enCommon, ...enStaff },
    ]) {
      for (const code of LEDGER_CODES) expect(catalog.ledger, code).toHaveProperty(code);
      for (const code of ORDER_PROGRESS_CODES) expect(catalog.orderProgress, code).toHaveProperty(code);
      for (const code of STATEMENT_LINE_CODES) expect(catalog.statementLine, code).toHaveProperty(code);
    }
  });

  it("never shows English in Chinese for a coded line", () => {
    const zh = tIn("zh-CN", "staff");
    const params = {
      lotNo: "HS01-20261123-0007",
      kind: "broken",
      runId: "7",
      idType: "身份证",
      last4: "1234",
    };
    const texts = [
      ...LEDGER_CODES.map((code) => ledgerText({ code, params, typed: null }, "raw", zh)),
      ...ORDER_PROGRESS_CODES.filter((code) => code !== "bilingual").map((code) =>
        orderProgressText({ code, params, typed: null }, "raw", zh, "zh-CN"),
      ),
      // "sold" says nothing the line does not already say (null); "bilingual" carries its own words.
      ...STATEMENT_LINE_CODES.filter((code) => code !== "bilingual" && code !== "sold").map((code) =>
        statementNoteText({ code, params, typed: null }, "raw", zh, "zh-CN"),
      ),
    ];
    for (const text of texts) {
      expect(typeof text).toBe("string");
      expect(String(text).replaceAll(params.lotNo, "")).not.toMatch(ENGLISH_WORD);
      expect(text).not.toMatch(/^(ledger|orderProgress|statementLine)\./);
    }
  });

  it("words the lines issue 11 found in English on Chinese screens", () => {
    const zh = tIn("zh-CN", "staff");
    const english = tIn("en", "staff");
    const intake = { code: "intake" as const, params: { lotNo: "HS01-20261123-0007" }, typed: null };
    expect(ledgerText(intake, "intake HS01-20261123-0007", zh)).toBe("村民交货，收货单 HS01-20261123-0007");
    expect(ledgerText(intake, "intake HS01-20261123-0007", english)).toBe(
      "Taken in from the villager, slip HS01-20261123-0007",
    );
    expect(ledgerText({ code: "collection_received", ...none }, "collection received", zh)).toBe(
      "仓库已收到",
    );
    const broken = { code: "discrepancy" as const, params: { kind: "broken" }, typed: "路上颠簸" };
    expect(ledgerText(broken, "broken: 路上颠簸", zh)).toBe("清点不符：破损：路上颠簸");
    expect(ledgerText(broken, "broken: 路上颠簸", english)).toBe("Count differs: Broken: 路上颠簸");
    expect(orderProgressText({ code: "placed_by_staff", ...none }, "placed by staff", zh, "zh-CN")).toBe(
      "工作人员代村民下单",
    );
    const cash = { code: "picked_up_with_code" as const, params: { cashFen: "10800" }, typed: null };
    expect(orderProgressText(cash, "", zh, "zh-CN")).toBe("凭取货码取货，收现金 ¥108.00");
    expect(orderProgressText(cash, "", english, "en")).toBe(
      "Collected with the pickup code; cash taken ¥108.00",
    );
    const sale = statementLineText(
      {
        at: "2026-11-23T02:00:00.000Z",
        kind: "sale",
        amountFen: 540,
        balanceFen: 540,
        lotNo: "HS01-20261123-0007",
        productName: { zh: "剁辣椒", en: "Chopped salted chillies" },
        note: "售出剁辣椒 / sold Chopped salted chillies",
        noteLine: { code: "sold", ...none },
      },
      zh,
      "zh-CN",
    );
    expect(sale.note).toBeNull();
    expect(`${sale.kind} ${sale.goods}`).not.toMatch(ENGLISH_WORD);
    const bilingual = {
      code: "bilingual" as const,
      params: { zh: "现金结算", en: "paid in cash" },
      typed: null,
    };
    expect(statementNoteText(bilingual, "现金结算 / paid in cash", zh, "zh-CN")).toBe("现金结算");
    expect(statementNoteText(bilingual, "现金结算 / paid in cash", english, "en")).toBe("paid in cash");
  });

  it("shows what a person typed as typed, and an older answer's text as it came", () => {
    const zh = tIn("zh-CN", "staff");
    expect(ledgerText({ code: null, params: {}, typed: "老鼠咬坏了" }, "老鼠咬坏了", zh)).toBe("老鼠咬坏了");
    expect(
      orderProgressText({ code: null, params: {}, typed: "买家不来取" }, "买家不来取", zh, "zh-CN"),
    ).toBe("买家不来取");
    expect(ledgerText(undefined, "intake HS01-1", zh)).toBe("intake HS01-1");
    expect(orderProgressText(undefined, null, zh, "zh-CN")).toBeNull();
    expect(ledgerText({ code: null, params: {}, typed: null }, null, zh)).toBeNull();
  });
});
