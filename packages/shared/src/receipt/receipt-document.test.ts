import { describe, expect, it } from "vitest";
import {
  chinaTime,
  maskName,
  maskPhone,
  type ReceiptView,
  receiptDocument,
  receiptQuantityText,
} from "./receipt-document";

const view: ReceiptView = {
  coopName: "衡山县供销合作社",
  lotNo: "HS01-20261123-0007",
  lotUrl: "https://shop.example/l/01jd0000000000000000000000.AbCdEfGhIjKlMnOp",
  villagerName: "张桂兰",
  villagerPhone: "13812345678",
  productName: "土鸡蛋",
  quantityText: "30 个",
  grade: "A",
  bestBefore: "2026-12-20",
  qcPassed: true,
  qcReason: null,
  takenInAt: "2026-11-23T06:05:00.000Z",
  servicePointName: "竹山村商务服务点",
  agentName: "刘梅",
};

describe("the receipt document (one template for the thermal printer, the PDF and the screen)", () => {
  it("prints the intake number large, the villager masked and the public link as a QR code", () => {
    const doc = receiptDocument(view, { reprint: null, width: 58 });
    expect(doc).toContain('^^"HS01\\-20261123\\-0007');
    expect(doc).toContain(`{code:${view.lotUrl}; option:qrcode,5,m}`);
    expect(doc).toContain("|村民 |张* 138****5678 |");
    expect(doc).not.toContain("桂兰");
    expect(doc).not.toContain("12345678");
    expect(doc).toContain("|时间 |2026\\-11\\-23 14:05 |");
    expect(doc).toContain("卖出后按售价扣除佣金结算，");
    expect(doc).not.toContain("补打");
    // 80 mm paper has room for the number at twice the size.
    expect(receiptDocument(view, { reprint: null, width: 80 })).toContain('^^^"HS01');
  });

  it("marks a reprint 补打 with its time", () => {
    const doc = receiptDocument(view, { reprint: { at: "2026-12-02T00:40:00.000Z" }, width: 58 });
    expect(doc).toContain("补打");
    expect(doc).toContain("补打时间 2026\\-12\\-02 08:40");
  });

  it("says a failed-QC lot's goods went back with the villager, not how it will be settled", () => {
    const doc = receiptDocument(
      { ...view, qcPassed: false, qcReason: "蛋壳破损" },
      { reprint: null, width: 58 },
    );
    expect(doc).toContain("货已退回");
    expect(doc).toContain("|质检 |不合格：蛋壳破损 |");
    expect(doc).not.toContain("佣金");
    expect(doc).not.toMatch(/(?<!不)结算/);
  });

  it("never reads people's text as markup, and leaves the QR code out before the lot has a link", () => {
    const doc = receiptDocument(
      { ...view, qcPassed: false, qcReason: "破|损{code:x}\n^^大`字`", lotUrl: null },
      { reprint: null, width: 58 },
    );
    expect(doc).toContain("不合格：破\\|损\\{code:x\\} \\^\\^大\\`字\\`");
    expect(doc).not.toMatch(/(?<!\\)\{code:/);
  });

  it("masks names and phones as the paper shows them, in China time", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName(" 欧阳修 ")).toBe("欧*");
    expect(maskName("")).toBe("");
    expect(maskPhone("138 1234 5678")).toBe("138****5678");
    expect(maskPhone("")).toBe("");
    expect(chinaTime("2026-12-31T16:30:00Z")).toBe("2027-01-01 00:30");
    expect(receiptQuantityText(30, "piece")).toBe("30 个");
    expect(receiptQuantityText(2500, "gram")).toBe("5 斤（2500 克）");
    expect(receiptQuantityText(333, "gram")).toBe("333 克");
  });
});
