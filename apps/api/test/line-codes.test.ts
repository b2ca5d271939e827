import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  discrepancyReason,
  intakeReason,
  LEDGER_TEXT,
  ledgerLine,
  orderProgressLine,
  PROGRESS_TEXT,
  recallNote,
  STATEMENT_TEXT,
  statementNoteLine,
} from "../src/domain/line-codes";
import { postConsignorEntry } from "../src/domain/settlement/consignor-ledger";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe("line codes read back from the text the ledgers store", () => {
  it("reads every stock ledger text the API writes, with its parameters", () => {
    expect(ledgerLine(intakeReason("HS01-20261123-0007"), "intake")).toEqual({
      code: "intake",
      params: { lotNo: "HS01-20261123-0007" },
      typed: null,
    });
    for (const [code, text] of Object.entries(LEDGER_TEXT)) {
      expect(ledgerLine(text, "transfer_in").code).toBe(code);
    }
    expect(ledgerLine(discrepancyReason("broken", "路上颠破 2 枚"), "discrepancy")).toEqual({
      code: "discrepancy",
      params: { kind: "broken" },
      typed: "路上颠破 2 枚",
    });
    expect(ledgerLine(discrepancyReason("short_weight", undefined), "discrepancy")).toEqual({
      code: "discrepancy",
      params: { kind: "short_weight" },
      typed: null,
    });
  });

  it("keeps what a person typed as typed, and codes nothing it does not know", () => {
    // A spoilage note, a count note, a word that only looks like a discrepancy kind on another kind of line.
    expect(ledgerLine("  老鼠咬坏了 3 个 ", "spoilage")).toEqual({
      code: null,
      params: {},
      typed: "  老鼠咬坏了 3 个 ",
    });
    expect(ledgerLine("broken: 3", "spoilage")).toEqual({ code: null, params: {}, typed: "broken: 3" });
    expect(ledgerLine("intake HS01-1", "count_adjustment").code).toBeNull();
    expect(ledgerLine(null, "sale")).toEqual({ code: null, params: {}, typed: null });
    expect(orderProgressLine("买家不来取")).toEqual({ code: null, params: {}, typed: "买家不来取" });
    expect(orderProgressLine("SF1234567890")).toEqual({ code: null, params: {}, typed: "SF1234567890" });
  });

  it("reads every order progress text, with the cash taken at a hand-over", () => {
    for (const [code, text] of Object.entries(PROGRESS_TEXT)) expect(orderProgressLine(text).code).toBe(code);
    expect(orderProgressLine(`${PROGRESS_TEXT.picked_up_with_code}; cash 10800 fen`)).toEqual({
      code: "picked_up_with_code",
      params: { cashFen: "10800" },
      typed: null,
    });
    expect(orderProgressLine("核对证件 / ID checked: 身份证 …1234; cash 500 fen")).toEqual({
      code: "picked_up_id_checked",
      params: { idType: "身份证", last4: "1234", cashFen: "500" },
      typed: null,
    });
    expect(orderProgressLine("delivery run run_01jabc")).toEqual({
      code: "packed_for_delivery_run",
      params: { runId: "run_01jabc" },
      typed: null,
    });
    expect(orderProgressLine(recallNote("HS01-20261123-0007", "检出沙门氏菌"))).toEqual({
      code: "recall",
      params: { lotNo: "HS01-20261123-0007" },
      typed: "检出沙门氏菌",
    });
  });

  it("reads statement notes: the demo's old bilingual lines too", () => {
    for (const [code, text] of Object.entries(STATEMENT_TEXT)) {
      expect(statementNoteLine(text, "payout").code).toBe(code);
    }
    expect(statementNoteLine("售出剁辣椒 / sold Chopped salted chillies", "sale")).toEqual({
      code: "sold",
      params: {},
      typed: null,
    });
    expect(statementNoteLine("现金结算，村民签字确认 / paid in cash, receipt signed", "payout")).toEqual({
      code: "bilingual",
      params: { zh: "现金结算，村民签字确认", en: "paid in cash, receipt signed" },
      typed: null,
    });
    // A typed note with a slash in it stays typed: only "中文 / English" is read as two languages.
    expect(statementNoteLine("a / b", "payout")).toEqual({ code: null, params: {}, typed: "a / b" });
    expect(statementNoteLine("给孙子交学费 / 现金", "payout").code).toBeNull();
  });
});

describe.each(testDbKinds())("line codes in the API's answers (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "warehouseUser"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
  });
  afterAll(() => t?.close());

  it("gives the lot's ledger, the statement and the order's progress a code each, keeping `reason` and `note`", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "赵奶奶" });
    const lot = await t.request("POST", "/v1/lots", {
      token: token.agentA,
      body: {
        consignorId: villager.id,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 30,
        bestBefore: inFuture(20),
        qc: { passed: true },
      },
    });
    expect(lot.status, lot.text).toBe(201);
    const lotNo = lot.json.lotNo as string;
    const sent = await t.request("POST", "/v1/collections", {
      token: token.agentA,
      body: { fromServicePointId: w.pointA.id, lotIds: [lot.json.id] },
    });
    expect(sent.status, sent.text).toBe(201);
    const received = await t.request("POST", `/v1/collections/${sent.json.id}/receive`, {
      token: token.warehouseUser,
      body: {
        lines: [{ lotId: lot.json.id, receivedQuantity: 28, discrepancyKind: "broken", note: "路上颠簸" }],
      },
    });
    expect(received.status, received.text).toBe(200);

    const detail = await t.request("GET", `/v1/lots/${lot.json.id}`, { token: token.warehouseUser });
    expect(
      detail.json.movements.map((m: { kind: string; reason: string; reasonLine: unknown }) => [
        m.kind,
        m.reason,
        m.reasonLine,
      ]),
    ).toEqual([
      ["intake", `intake ${lotNo}`, { code: "intake", params: { lotNo }, typed: null }],
      ["transfer_out", "collection", { code: "collection_sent", params: {}, typed: null }],
      ["transfer_in", "collection", { code: "collection_sent", params: {}, typed: null }],
      ["transfer_out", "collection received", { code: "collection_received", params: {}, typed: null }],
      ["transfer_in", "collection received", { code: "collection_received", params: {}, typed: null }],
      [
        "discrepancy",
        "broken: 路上颠簸",
        { code: "discrepancy", params: { kind: "broken" }, typed: "路上颠簸" },
      ],
    ]);

    // A sale credit as the demo seed wrote them before codes ("售出… / sold …"): it reads as a code too.
    await t.db.db.transaction((tx) =>
      postConsignorEntry(tx, {
        consignorId: villager.id,
        kind: "sale_credit",
        amountFen: 540,
        grossFen: 600,
        commissionFen: 60,
        quantity: 3,
        lotId: lot.json.id,
        note: "售出土鸡蛋 / sold Egg",
      }),
    );
    const statement = await t.request("GET", `/v1/consignors/${villager.id}/statement`, {
      token: token.agentA,
    });
    expect(statement.status, statement.text).toBe(200);
    expect(
      statement.json.lines.map((l: { kind: string; note?: string; noteLine?: unknown }) => [
        l.kind,
        l.note,
        l.noteLine,
      ]),
    ).toEqual([
      ["intake", undefined, undefined],
      [
        "discrepancy",
        "broken: 路上颠簸",
        { code: "discrepancy", params: { kind: "broken" }, typed: "路上颠簸" },
      ],
      ["sale", "售出土鸡蛋 / sold Egg", { code: "sold", params: {}, typed: null }],
    ]);

    const buyer = { name: "城里张先生", phone: "13912345678" };
    const placed = async () => {
      const res = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: w.egg.id, quantity: 2 }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: buyer,
        },
      });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; accessToken: string };
    };
    const byBuyer = await placed();
    const cancelled = await t.request("POST", `/v1/orders/${byBuyer.id}/cancel`, {
      headers: { authorization: `Bearer ${byBuyer.accessToken}` },
      body: {},
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.history.at(-1)).toMatchObject({
      status: "cancelled",
      note: "cancelled by the buyer",
      noteLine: { code: "cancelled_by_buyer", params: {}, typed: null },
    });
    const byStaff = await placed();
    const refused = await t.request("POST", `/v1/orders/${byStaff.id}/cancel`, {
      token: token.warehouseUser,
      body: { reason: "买家不来取" },
    });
    expect(refused.status, refused.text).toBe(200);
    expect(refused.json.history.at(-1)).toMatchObject({
      note: "买家不来取",
      noteLine: { code: null, params: {}, typed: "买家不来取" },
    });
  });
});
