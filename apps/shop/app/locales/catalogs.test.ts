import { describe, expect, it } from "vitest";
import { FALLBACK_APP_NAME } from "../lib/meta";
import { enCommon } from "./common.en";
import { zhCNCommon } from "./common.zh-CN";
import { enStaff } from "./staff.en";
import { zhCNStaff } from "./staff.zh-CN";

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

/** Each namespace (decision 0033): the buyer words and the staff console's, Chinese the reference. */
const NAMESPACES = {
  common: { zh: zhCNCommon, en: enCommon },
  staff: { zh: zhCNStaff, en: enStaff },
};

describe.each(Object.entries(NAMESPACES))("message catalogs, namespace %s", (_ns, catalogs) => {
  const zh = leaves(catalogs.zh);
  const english = leaves(catalogs.en);

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
});

describe("the two namespaces", () => {
  it("share no section, so a key means one message wherever it is looked up", () => {
    const shared = Object.keys(zhCNCommon).filter((section) => Object.hasOwn(zhCNStaff, section));
    expect(shared).toEqual([]);
  });

  it("really are Chinese and English", () => {
    expect(zhCNCommon.home.intro).toMatch(/[\u4e00-\u9fff]/);
    expect(enCommon.home.intro).not.toMatch(/[\u4e00-\u9fff]/);
    expect(zhCNStaff.staff.login.title).toMatch(/[\u4e00-\u9fff]/);
    expect(enStaff.staff.login.title).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("name the shop as the page title falls back to", () => {
    expect(FALLBACK_APP_NAME).toBe(zhCNCommon.app.name);
  });
});

describe("catalog words for the API's closed lists", () => {
  it("name every discrepancy kind, lot status, movement and statement line the contract has", async () => {
    const contract = await import("@coop/shared/contract");
    for (const [common, staff] of [
      [zhCNCommon, zhCNStaff],
      [enCommon, enStaff],
    ] as const) {
      expect(Object.keys(common.discrepancy).sort()).toEqual([...contract.DISCREPANCY_KINDS].sort());
      expect(Object.keys(staff.lotStatus).sort()).toEqual([...contract.LOT_STATUS_VALUES].sort());
      expect(Object.keys(staff.movement).sort()).toEqual([...contract.StockMovementKind.options].sort());
      expect(Object.keys(staff.statement.kinds).sort()).toEqual([...contract.STATEMENT_LINE_KINDS].sort());
      expect(Object.keys(common.orderStatus).sort()).toEqual([...contract.ORDER_STATUS_VALUES].sort());
      expect(Object.keys(common.paymentMethod).sort()).toEqual([...contract.PAYMENT_METHOD_VALUES].sort());
      expect(Object.keys(common.paymentStatus).sort()).toEqual(
        [...contract.Order.shape.payment.shape.status.options].sort(),
      );
    }
  });
});
