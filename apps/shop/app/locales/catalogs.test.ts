import { describe, expect, it } from "vitest";
import { en } from "./en";
import { zhCN } from "./zh-CN";

function leaves(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === "string") out.set(path, child);
    else for (const [k, v] of leaves(child, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  const zh = leaves(zhCN);
  const english = leaves(en);

  it("have the same keys", () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it("have no empty messages", () => {
    for (const [key, text] of [...zh, ...english]) expect(text.trim(), key).not.toBe("");
  });

  it("use the same placeholders in both languages", () => {
    for (const [key, text] of zh)
      expect(placeholders(english.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("really are Chinese and English", () => {
    expect(zhCN.home.intro).toMatch(/[\u4e00-\u9fff]/);
    expect(en.home.intro).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("catalog words for the API's closed lists", () => {
  it("name every discrepancy kind, lot status, movement and statement line the contract has", async () => {
    const contract = await import("@coop/shared/contract");
    for (const catalog of [zhCN, en]) {
      expect(Object.keys(catalog.discrepancy).sort()).toEqual([...contract.DISCREPANCY_KINDS].sort());
      expect(Object.keys(catalog.lotStatus).sort()).toEqual([...contract.LOT_STATUS_VALUES].sort());
      expect(Object.keys(catalog.movement).sort()).toEqual([...contract.StockMovementKind.options].sort());
      expect(Object.keys(catalog.statement.kinds).sort()).toEqual([...contract.STATEMENT_LINE_KINDS].sort());
      expect(Object.keys(catalog.orderStatus).sort()).toEqual([...contract.ORDER_STATUS_VALUES].sort());
      expect(Object.keys(catalog.paymentMethod).sort()).toEqual([...contract.PAYMENT_METHOD_VALUES].sort());
      expect(Object.keys(catalog.paymentStatus).sort()).toEqual(
        [...contract.Order.shape.payment.shape.status.options].sort(),
      );
    }
  });
});
