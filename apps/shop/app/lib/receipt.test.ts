import { describe, expect, it } from "vitest";
import { tIn } from "../test/t";
import { intakeReceipt } from "./receipt";

const lot = {
  lotNo: "HS01-20261123-0007",
  status: "in_stock" as const,
  productName: { zh: "土鸡蛋", en: "Free-range eggs" },
  unit: "piece" as const,
  consignorName: "刘桂英",
  quantityReceived: 30,
  grade: "A",
  bestBefore: "2026-12-20",
  qcPassed: true,
  qcReason: null,
  createdAt: "2026-11-23T06:05:00.000Z",
};

const context = {
  language: "zh-CN",
  pointName: "竹山村商务服务点",
  agentName: "刘梅（竹山村代办员）",
  villagerPhone: "13812345678",
};

const rows = (receipt: ReturnType<typeof intakeReceipt>) =>
  Object.fromEntries(receipt.rows.map((row) => [row.id, `${row.label}: ${row.value}`]));

describe("the intake receipt", () => {
  it("lists who, what, how much, grade, best-before, check, date (China time), point and agent", () => {
    const receipt = intakeReceipt(lot, context, tIn("zh-CN", "staff"));
    expect(receipt.lotNo).toBe("HS01-20261123-0007");
    expect(receipt.rejected).toBe(false);
    expect(rows(receipt)).toEqual({
      villager: "村民: 刘桂英 138****5678",
      product: "货品: 土鸡蛋",
      quantity: "数量: 30 个",
      grade: "等级: A 级",
      bestBefore: "保质期至: 2026年12月20日",
      qc: "质检: 合格",
      date: "日期: 2026年11月23日 14:05",
      point: "服务点: 竹山村商务服务点",
      agent: "经办人: 刘梅（竹山村代办员）",
    });
  });

  it("shows weight in 斤 with grams, and a failed check with its reason", () => {
    const receipt = intakeReceipt(
      {
        ...lot,
        status: "rejected",
        unit: "gram",
        quantityReceived: 2500,
        grade: null,
        bestBefore: null,
        qcPassed: false,
        qcReason: "发霉",
      },
      { ...context, agentName: null, villagerPhone: null },
      tIn("zh-CN", "staff"),
    );
    expect(receipt.rejected).toBe(true);
    const byId = rows(receipt);
    expect(byId.quantity).toBe("数量: 5 斤 (2,500 克)");
    expect(byId.grade).toBe("等级: 不分级");
    expect(byId.qc).toBe("质检: 不合格：发霉");
    expect(byId.villager).toBe("村民: 刘桂英");
    expect(byId.bestBefore).toBeUndefined();
    // No agent known: an empty line to sign on, not a wrong name.
    expect(byId.agent).toBe("经办人: ");
  });

  it("is in English for an English reader", () => {
    const byId = rows(intakeReceipt(lot, { ...context, language: "en" }, tIn("en", "staff")));
    expect(byId.quantity).toBe("Quantity: 30 pcs");
    expect(byId.date).toBe("Date: 23 Nov 2026, 14:05");
    expect(byId.qc).toBe("Quality check: Passed");
  });
});
