import { testDbKinds } from "@coop/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findReceiptFont } from "../src/domain/lots/receipt-pdf";
import { recordSale } from "../src/domain/settlement/record-sale";
import { makeConsignor, makeCoopWorld, makeProduct } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations, tableCounts } from "./ledger-checks";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(testDbKinds())("consignment: intake, collection, settlement (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
  });
  afterAll(() => t?.close());

  const as = (who: string) => ({ token: token[who] });

  async function registerVillager(phone: string, name = "李秀英") {
    const res = await t.request("POST", "/v1/consignors", {
      ...as("agentA"),
      body: { name, phone, servicePointId: w.pointA.id, showOnProductPages: true },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }

  async function intake(consignorId: string, body: Record<string, unknown> = {}) {
    return t.request("POST", "/v1/lots", {
      ...as("agentA"),
      body: {
        consignorId,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 30,
        grade: "A",
        bestBefore: inFuture(20),
        qc: { passed: true },
        ...body,
      },
    });
  }

  it("registers a villager once: the same phone is found, even from another point, never duplicated", async () => {
    const id = await registerVillager("138 0000 1111");
    const again = await t.request("POST", "/v1/consignors", {
      ...as("agentB"),
      body: { name: "李秀英", phone: "13800001111", servicePointId: w.pointB.id },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("ALREADY_EXISTS");
    expect(again.json.error.details).toEqual({ consignorId: id, servicePointId: w.pointA.id });

    const fromB = await t.request("GET", "/v1/consignors?q=13800001111", as("agentB"));
    expect(fromB.json.items).toEqual([]);
    expect(fromB.json.elsewhere).toEqual([
      {
        id,
        name: "李秀英",
        servicePointId: w.pointA.id,
        servicePointName: expect.objectContaining({ zh: expect.any(String) }),
      },
    ]);
    const fromA = await t.request("GET", `/v1/consignors?q=${encodeURIComponent("秀英")}`, as("agentA"));
    expect(fromA.json.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(fromA.json.items[0]).toMatchObject({
      phone: "13800001111",
      showOnProductPages: true,
      balanceFen: 0,
    });
  });

  it("takes in 30 eggs as a lot with an intake number, stocked at the point with one ledger line", async () => {
    const villager = await registerVillager("13800002222", "王大妈");
    const res = await intake(villager);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ status: "in_stock", lotNo: expect.stringMatching(/^.+-\d{8}-0001$/) });
    const lot = await t.request("GET", `/v1/lots/${res.json.id}`, as("agentA"));
    expect(lot.json).toMatchObject({
      onHand: 30,
      quantityReceived: 30,
      locationId: w.pointA.id,
      consignorName: "王大妈",
    });
    expect(lot.json.movements).toMatchObject([
      { kind: "intake", quantityDelta: 30, locationId: w.pointA.id },
    ]);
    const stock = await t.request("GET", `/v1/stock?productId=${w.egg.id}`, as("agentA"));
    expect(stock.json.locations).toContainEqual({
      locationId: w.pointA.id,
      onHand: 30,
      reserved: 0,
      available: 30,
    });
    const second = await intake(villager, { quantity: 12 });
    expect(second.json.lotNo.endsWith("-0002")).toBe(true);
    const byNumber = await t.request("GET", `/v1/lots?lotNo=${res.json.lotNo}`, as("agentA"));
    expect(byNumber.json.items.map((l: { id: string }) => l.id)).toEqual([res.json.id]);
    expect(byNumber.json.items[0].receivedByName).toBe(w.agentA.displayName);
  });

  it("names on the product page only the villagers who consented, while their produce is on sale", async () => {
    const named = await registerVillager("13800009991", "周大姐");
    const unnamed = (
      await t.request("POST", "/v1/consignors", {
        ...as("agentA"),
        body: {
          name: "吴大哥",
          phone: "13800009992",
          servicePointId: w.pointA.id,
          showOnProductPages: false,
        },
      })
    ).json.id;
    await intake(named, { productId: w.pickle.id, quantity: 1000 });
    await intake(unnamed, { productId: w.pickle.id, quantity: 1000 });
    const page = await t.request("GET", `/v1/products/${w.pickle.id}`);
    const names = page.json.producers.map((p: { name: string }) => p.name);
    expect(names).toContain("周大姐");
    expect(names).not.toContain("吴大哥");
    const consent = await t.request("PATCH", `/v1/consignors/${unnamed}`, {
      ...as("agentA"),
      body: { showOnProductPages: true },
    });
    expect(consent.json.showOnProductPages).toBe(true);
    const after = await t.request("GET", `/v1/products/${w.pickle.id}`);
    expect(after.json.producers.map((p: { name: string }) => p.name)).toContain("吴大哥");
  });

  it("prints the intake receipt as a PDF with the Chinese text, or says plainly which font is missing", async () => {
    const villager = await registerVillager("13800009993", "冯奶奶");
    const lot = (await intake(villager)).json;
    const res = await t.app.request(`/v1/lots/${lot.id}/receipt.pdf`, {
      headers: { authorization: `Bearer ${token.agentA}` },
    });
    if (findReceiptFont()) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(bytes.length).toBeGreaterThan(5_000);
      expect(bytes.length).toBeLessThan(400_000); // the font is subset, not embedded whole
      expect(res.headers.get("content-disposition")).toContain(lot.lotNo);
    } else {
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error.message).toContain("fonts-noto-cjk");
    }
    const foreign = await t.app.request(`/v1/lots/${lot.id}/receipt.pdf`, {
      headers: { authorization: `Bearer ${token.agentB}` },
    });
    expect(foreign.status).toBe(403);
  });

  it("records a failed quality check with its reason and stocks nothing", async () => {
    const villager = await registerVillager("13800003333");
    const before = await t.request("GET", `/v1/stock?productId=${w.egg.id}`, as("agentA"));
    const res = await intake(villager, { qc: { passed: false, reason: "蛋壳破损" } });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe("rejected");
    const lot = await t.request("GET", `/v1/lots/${res.json.id}`, as("agentA"));
    expect(lot.json).toMatchObject({ onHand: 0, qcPassed: false, qcReason: "蛋壳破损", movements: [] });
    const after = await t.request("GET", `/v1/stock?productId=${w.egg.id}`, as("agentA"));
    expect(after.json).toEqual(before.json);
  });

  it("refuses bad intake input with 400 naming the field, and writes nothing", async () => {
    const villager = await registerVillager("13800004444");
    const before = await tableCounts(t.db.db);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ quantity: 0 }, "quantity"],
      [{ quantity: -5 }, "quantity"],
      [{ quantity: 2.5 }, "quantity"],
      [{ productId: "prd_00000000000000000000000000" }, "productId"],
      [{ productId: w.fertilizer.id }, "productId"],
      [{ qc: { passed: false } }, "qc.reason"],
      [{ qc: { passed: false, reason: "   " } }, "qc.reason"],
      [{ bestBefore: undefined }, "bestBefore"],
      [{ bestBefore: "2020-01-01" }, "bestBefore"],
    ];
    for (const [override, field] of cases) {
      const res = await intake(villager, override);
      expect(res.status, JSON.stringify(override)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
      expect(res.json.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    expect(await tableCounts(t.db.db)).toEqual(before);
  });

  it("stores a real photo, refuses a non-image (415) and one over 5 MB (413), writing nothing for those", async () => {
    const villager = await registerVillager("13800005555");
    const lot = (await intake(villager)).json.id as string;
    const upload = (bytes: Uint8Array, type: string) => {
      const form = new FormData();
      form.set("photo", new File([bytes], "photo", { type }));
      return t.app.request(`/v1/lots/${lot}/photos`, {
        method: "POST",
        body: form,
        headers: { authorization: `Bearer ${token.agentA}` },
      });
    };
    const ok = await upload(PNG, "image/png");
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    const back = await t.app.request(`/v1/lots/${lot}/photos/${id}`, {
      headers: { authorization: `Bearer ${token.agentA}` },
    });
    expect(back.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(PNG);

    const before = await tableCounts(t.db.db);
    const text = await upload(new TextEncoder().encode("not an image at all"), "image/jpeg");
    expect(text.status).toBe(415);
    expect(((await text.json()) as any).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PNG);
    const tooBig = await upload(big, "image/png");
    expect(tooBig.status).toBe(413);
    expect(await tableCounts(t.db.db)).toEqual(before);
    const detail = await t.request("GET", `/v1/lots/${lot}`, as("agentA"));
    expect(detail.json.photoIds).toEqual([id]);
  });

  it("carries lots to the warehouse and records 2 broken on receipt; the statement shows it all", async () => {
    const villager = await registerVillager("13800006666", "赵奶奶");
    const lot = (await intake(villager)).json.id as string;
    const sent = await t.request("POST", "/v1/collections", {
      ...as("agentA"),
      body: { fromServicePointId: w.pointA.id, lotIds: [lot] },
    });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json).toMatchObject({
      status: "in_transit",
      toLocationId: w.warehouse.id,
      lines: [{ lotId: lot, quantitySent: 30 }],
    });
    const inTransit = await t.request("GET", `/v1/lots/${lot}`, as("agentA"));
    expect(inTransit.json.status).toBe("in_transit");

    const incomplete = await t.request("POST", `/v1/collections/${sent.json.id}/receive`, {
      ...as("warehouseUser"),
      body: { lines: [{ lotId: lot, receivedQuantity: 28 }] },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.json.error.fields[0].path).toBe("lines.0.discrepancyKind");

    const received = await t.request("POST", `/v1/collections/${sent.json.id}/receive`, {
      ...as("warehouseUser"),
      body: { lines: [{ lotId: lot, receivedQuantity: 28, discrepancyKind: "broken", note: "路上颠簸" }] },
    });
    expect(received.status, received.text).toBe(200);
    expect(received.json.lines[0]).toMatchObject({ quantityReceived: 28, discrepancyKind: "broken" });
    const atWarehouse = await t.request("GET", `/v1/lots/${lot}`, as("warehouseUser"));
    expect(atWarehouse.json).toMatchObject({ status: "in_stock", locationId: w.warehouse.id, onHand: 28 });
    expect(
      atWarehouse.json.movements.map((m: { kind: string; quantityDelta: number }) => [
        m.kind,
        m.quantityDelta,
      ]),
    ).toEqual([
      ["intake", 30],
      ["transfer_out", -30],
      ["transfer_in", 30],
      ["transfer_out", -30],
      ["transfer_in", 30],
      ["discrepancy", -2],
    ]);
    const twice = await t.request("POST", `/v1/collections/${sent.json.id}/receive`, {
      ...as("warehouseUser"),
      body: { lines: [{ lotId: lot, receivedQuantity: 28, discrepancyKind: "broken" }] },
    });
    expect(twice.status).toBe(409);

    const statement = await t.request("GET", `/v1/consignors/${villager}/statement`, as("agentA"));
    expect(statement.status).toBe(200);
    expect(statement.json.lines.map((l: { kind: string; quantity: number }) => [l.kind, l.quantity])).toEqual(
      [
        ["intake", 30],
        ["discrepancy", -2],
      ],
    );
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("draws a sale across more lots than it locks at first, still first-expiring first", async () => {
    const villager = await registerVillager("13800006161", "周奶奶");
    const tofu = await makeProduct(t.db.db, w.coop.id, { unit: "piece", priceFen: 150 });
    // Twelve small lots, the later-taken ones expiring sooner: FEFO must reorder them.
    const lotIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await intake(villager, { productId: tofu.id, quantity: 2, bestBefore: inFuture(40 - i) });
      expect(res.status, res.text).toBe(201);
      lotIds.push(res.json.id);
    }
    const sale = await t.db.db.transaction((tx) =>
      recordSale(tx, {
        productId: tofu.id,
        locationId: w.pointA.id,
        quantity: 21,
        unitPriceFen: 150,
        fromReserved: false,
      }),
    );
    // Ten whole lots (the ten expiring soonest), then one unit of the eleventh: 11 rows, past the first 8.
    expect(sale.map((a) => [a.lotId, a.quantity])).toEqual([
      ...lotIds
        .slice(2)
        .reverse()
        .map((id) => [id, 2]),
      [lotIds[1], 1],
    ]);
    const short = t.db.db.transaction((tx) =>
      recordSale(tx, {
        productId: tofu.id,
        locationId: w.pointA.id,
        quantity: 4,
        unitPriceFen: 150,
        fromReserved: false,
      }),
    );
    // 3 units are left (1 + 2): asking for 4 is short by 1 and takes nothing.
    await expect(short).rejects.toMatchObject({
      code: "OUT_OF_STOCK",
      details: { short: 1 },
    });
    if (kind === "postgres") {
      // A sale of 1 locks only the first lots in FEFO order: another connection can still lock the lot
      // that expires last (the sale used to lock every lot of the product at the place).
      const tea = await makeProduct(t.db.db, w.coop.id, { unit: "piece", priceFen: 900 });
      const teaLots: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await intake(villager, { productId: tea.id, quantity: 1, bestBefore: inFuture(10 + i) });
        teaLots.push(res.json.id);
      }
      await t.db.db.transaction(async (tx) => {
        const [first] = await recordSale(tx, {
          productId: tea.id,
          locationId: w.pointA.id,
          quantity: 1,
          unitPriceFen: 900,
          fromReserved: false,
        });
        expect(first!.lotId).toBe(teaLots[0]);
        const other = await t.db.db.execute(
          sql`SELECT id FROM lots WHERE id = ${teaLots[9]} FOR UPDATE NOWAIT`,
        );
        expect([...(other as unknown as unknown[])]).toHaveLength(1);
      });
    }
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("credits the villager the sale minus commission (FEFO), pays out, and the statement balances to the fen", async () => {
    const villager = await registerVillager("13800007777", "孙大爷");
    // A product of its own, so lots from other tests do not join the FEFO order.
    const pickle = await makeProduct(t.db.db, w.coop.id, { unit: "gram", priceFen: 3, commissionBps: 1500 });
    const older = (await intake(villager, { productId: pickle.id, quantity: 5000, bestBefore: inFuture(30) }))
      .json.id;
    const sooner = (await intake(villager, { productId: pickle.id, quantity: 1000, bestBefore: inFuture(5) }))
      .json.id;
    const allocations = await t.db.db.transaction((tx) =>
      recordSale(tx, {
        productId: pickle.id,
        locationId: w.pointA.id,
        quantity: 1500,
        unitPriceFen: 3,
        fromReserved: false,
      }),
    );
    // The first-expiring lot goes first, then the next.
    expect(allocations.map((a) => [a.lotId, a.quantity])).toEqual([
      [sooner, 1000],
      [older, 500],
    ]);
    // 1000 g × 3 fen = 3000 fen at 15 %: 450 commission; 500 g = 1500 fen: 225.
    expect(allocations.map((a) => [a.grossFen, a.villagerFen, a.commissionFen])).toEqual([
      [3000, 2550, 450],
      [1500, 1275, 225],
    ]);
    const villagerNow = await t.request("GET", `/v1/consignors/${villager}`, as("agentA"));
    expect(villagerNow.json.balanceFen).toBe(3825);

    const tooMuch = await t.request("POST", "/v1/payouts", {
      ...as("agentA"),
      body: { consignorId: villager, amountFen: 3826, method: "cash" },
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.json.error.code).toBe("INSUFFICIENT_BALANCE");
    const paid = await t.request("POST", "/v1/payouts", {
      ...as("agentA"),
      body: { consignorId: villager, amountFen: 3000, method: "cash" },
    });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.json).toMatchObject({
      amountFen: 3000,
      balanceAfterFen: 825,
      method: "cash",
      consignorName: "孙大爷",
    });

    const statement = (await t.request("GET", `/v1/consignors/${villager}/statement`, as("agentA"))).json;
    expect(statement.openingFen).toBe(0);
    expect(statement.closingFen).toBe(825);
    const sum = statement.lines.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0);
    expect(statement.openingFen + sum).toBe(statement.closingFen);
    expect(statement.lines.filter((l: { kind: string }) => l.kind === "sale")).toEqual([
      expect.objectContaining({ grossFen: 3000, commissionFen: 450, amountFen: 2550, quantity: 1000 }),
      expect.objectContaining({ grossFen: 1500, commissionFen: 225, amountFen: 1275, quantity: 500 }),
    ]);
    expect(statement.lines.at(-1)).toMatchObject({ kind: "payout", amountFen: -3000, balanceFen: 825 });

    const later = await t.request(
      "GET",
      `/v1/consignors/${villager}/statement?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 120_000).toISOString())}`,
      as("agentA"),
    );
    expect(later.json).toMatchObject({ openingFen: 825, closingFen: 825, lines: [] });
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("returns, spoils (with an agreed charge) and counts a lot, keeping every ledger whole", async () => {
    const villager = await registerVillager("13800008888");
    const lot = (await intake(villager, { quantity: 40 })).json.id;
    const ret = await t.request("POST", `/v1/lots/${lot}/return`, {
      ...as("agentA"),
      body: { quantity: 10, reason: "临期退回" },
    });
    expect(ret.status, ret.text).toBe(200);
    expect(ret.json.onHand).toBe(30);
    const tooMany = await t.request("POST", `/v1/lots/${lot}/return`, {
      ...as("agentA"),
      body: { quantity: 31, reason: "x" },
    });
    expect(tooMany.status).toBe(400);
    const sale = await t.db.db.transaction((tx) =>
      recordSale(tx, {
        productId: w.egg.id,
        locationId: w.pointA.id,
        quantity: 1,
        unitPriceFen: 200,
        fromReserved: false,
      }),
    );
    expect(sale).toHaveLength(1);
    const spoil = await t.request("POST", `/v1/lots/${lot}/spoilage`, {
      ...as("agentA"),
      body: { quantity: 5, reason: "发霉", chargeFen: 50 },
    });
    expect(spoil.status, spoil.text).toBe(200);
    const count = await t.request("POST", `/v1/lots/${lot}/count`, {
      ...as("agentA"),
      body: { countedQuantity: 20 },
    });
    expect(count.status).toBe(200);
    expect(count.json.onHand).toBe(20);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });

  it("blocks a lot at once for a recall and lists where its units went", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    const lot = (await intake(villager.id, { quantity: 10 })).json.id;
    // What a buyer collecting at the lot's own point can get (its shelf counts there, and only there).
    const catalogAtPoint = `/v1/products/${w.egg.id}?servicePointId=${w.pointA.id}`;
    const catalogBefore = (await t.request("GET", catalogAtPoint)).json.available;
    const blocked = await t.request("POST", `/v1/lots/${lot}/block`, {
      ...as("admin"),
      body: { reason: "抽检不合格" },
    });
    expect(blocked.status, blocked.text).toBe(200);
    expect(blocked.json).toMatchObject({ status: "blocked", onHand: 0, blockedReason: "抽检不合格" });
    expect((await t.request("GET", catalogAtPoint)).json.available).toBe(catalogBefore - 10);
    const trace = await t.request("GET", `/v1/lots/${lot}/trace`, as("warehouseUser"));
    expect(trace.json).toMatchObject({ lotId: lot, status: "blocked", quantityReceived: 10, orders: [] });
    expect(trace.json.movements.map((m: { kind: string }) => m.kind)).toEqual(["intake", "block"]);
    expect(await allLedgerViolations(t.db.db)).toEqual({});
  });
});
