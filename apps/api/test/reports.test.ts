import type { Executor } from "@coop/db";
import { lots, orders, saleEntries, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { addDays, chinaToday, newId, SALE_CHANNELS } from "@coop/shared";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reverseSale } from "../src/domain/orders/cancel-order";
import { recordOrderSale } from "../src/domain/orders/order-lifecycle";
import { dashboard } from "../src/domain/reports/dashboard";
import { refreshRecentRollups } from "../src/domain/reports/rollup-refresh";
import { salesReport } from "../src/domain/reports/sales-report";
import { recordMovement } from "../src/domain/stock/ledger";
import { sqlRows } from "../src/lib/sql-rows";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";

/**
 * Issue 13, item 1: the reports are sums of the sales ledger, kept in rollups that a rebuild from the ledger
 * reproduces exactly; figures are net of refunds, cut in China days, and an agent sees only their point.
 */
describe.each(testDbKinds())("sales reports (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    token.admin = await t.loginAs(w.admin.login, w.admin.password);
    token.agentA = await t.loginAs(w.agentA.login, w.agentA.password);
    token.warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A villager's lot at the warehouse, as the ledger knows it after collection. */
  async function consignedLot(db: Executor, productId: string, quantity: number, bestBefore: string | null) {
    const villager = await makeConsignor(db, w.coop.id, w.pointA.id);
    const lotId = newId("lot");
    await db
      .insert(stockLevels)
      .values({ productId, locationId: w.warehouse.id, onHand: 0 })
      .onConflictDoNothing();
    await db.insert(lots).values({
      id: lotId,
      coopId: w.coop.id,
      lotNo: `R-${lotId.slice(-8)}`,
      productId,
      consignorId: villager.id,
      originLocationId: w.pointA.id,
      locationId: w.warehouse.id,
      status: "in_stock",
      quantityReceived: quantity,
      onHand: 0,
      qcPassed: true,
      bestBefore,
    });
    await recordMovement(db, {
      productId,
      locationId: w.warehouse.id,
      lotId,
      kind: "intake",
      quantityDelta: quantity,
    });
    return { lotId, villager };
  }

  const cashOrder = async (point: { id: string }, items: Array<{ productId: string; quantity: number }>) => {
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items,
        fulfilment: { type: "pickup", servicePointId: point.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "王女士", phone: "13800001111" },
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };

  it("reports what sold by point, product and channel, net of a refund; an agent sees only their point", async () => {
    const db = t.db.db;
    const today = chinaToday();
    await consignedLot(db, w.egg.id, 100, addDays(today, 3));
    await consignedLot(db, w.pickle.id, 5000, null);
    const atA = await cashOrder(w.pointA, [{ productId: w.egg.id, quantity: 10 }]);
    const atB = await cashOrder(w.pointB, [
      { productId: w.egg.id, quantity: 5 },
      { productId: w.pickle.id, quantity: 500 },
    ]);
    // The hand-over's sale, then a refund of the whole of B's order (goods back on the shelf).
    await db.transaction(async (tx) => {
      await recordOrderSale(tx, atA);
      await recordOrderSale(tx, atB);
    });
    const [lineA] = await sqlRows<{ gross: string }>(
      db,
      sql`SELECT sum(gross_fen) AS gross FROM sale_entries WHERE order_id = ${atA}`,
    );
    expect(Number(lineA!.gross)).toBe(10 * 200);
    await db.transaction(async (tx) => {
      await reverseSale(tx, atB, { restock: true });
      await tx.update(orders).set({ status: "refunded" }).where(eq(orders.id, atB));
    });
    expect(await allLedgerViolations(db)).toEqual({});

    const range = `from=${addDays(today, -7)}&to=${today}`;
    const byPoint = await t.request("GET", `/v1/reports/sales?${range}&by=point`, { token: token.admin });
    expect(byPoint.status, byPoint.text).toBe(200);
    const pointRow = (id: string) => byPoint.json.rows.find((r: { key: string }) => r.key === id);
    expect(pointRow(w.pointA.id)).toMatchObject({ orders: 1, grossFen: 2000, label: w.pointA.nameZh });
    // B's sale and its refund: one order with a sale, nothing left of its money.
    expect(pointRow(w.pointB.id)).toMatchObject({ orders: 1, grossFen: 0, commissionFen: 0, villagerFen: 0 });
    expect(byPoint.json.totals.grossFen).toBe(2000);
    // Eggs at the co-op's default 10 % commission: ¥2.00 of ¥20.00.
    expect(byPoint.json.totals).toMatchObject({ commissionFen: 200, villagerFen: 1800 });

    const byProduct = await t.request("GET", `/v1/reports/sales?${range}&by=product`, { token: token.admin });
    const eggs = byProduct.json.rows.find((r: { key: string }) => r.key === w.egg.id);
    expect(eggs).toMatchObject({ quantity: 10, grossFen: 2000, unit: "piece", label: "土鸡蛋" });
    // Two orders sold eggs, one of them pickles too: the total counts each order once.
    expect(byProduct.json.totals.orders).toBe(2);
    const byChannel = await t.request("GET", `/v1/reports/sales?${range}&by=channel`, { token: token.admin });
    expect(byChannel.json.rows).toEqual([
      expect.objectContaining({ key: "cash", orders: 2, grossFen: 2000, label: "到点付现金" }),
    ]);

    // The agent of A: their own point only; another point's figures are refused.
    const mine = await t.request("GET", `/v1/reports/sales?${range}&by=product`, { token: token.agentA });
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ pointId: w.pointA.id, totals: { grossFen: 2000, orders: 1 } });
    const theirs = await t.request("GET", `/v1/reports/sales?${range}&by=day&pointId=${w.pointB.id}`, {
      token: token.agentA,
    });
    expect(theirs.status).toBe(403);
    expect(
      (await t.request("GET", `/v1/reports/sales?${range}&by=day`, { token: token.warehouse })).status,
    ).toBe(403);
    const backwards = await t.request(
      "GET",
      `/v1/reports/sales?from=${today}&to=${addDays(today, -1)}&by=day`,
      {
        token: token.admin,
      },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.code).toBe("VALIDATION_FAILED");

    // A week later the same days come from the rollups (once the minute job has run): the same figures.
    const rebuilt = await t.request("POST", "/v1/admin/reports/rebuild", { token: token.admin });
    expect(rebuilt.status, rebuilt.text).toBe(204);
    const later = new Date(Date.now() + 9 * 86_400_000);
    for (const by of ["point", "product", "channel", "day"] as const) {
      const live = await salesReport(db, {
        coopId: w.coop.id,
        from: addDays(today, -7),
        to: today,
        by,
        pointId: null,
      });
      const rolled = await salesReport(db, {
        coopId: w.coop.id,
        from: addDays(today, -7),
        to: today,
        by,
        pointId: null,
        now: later,
      });
      expect(rolled.rows, by).toEqual(live.rows);
      expect(rolled.totals, by).toEqual(live.totals);
    }

    const board = await t.request("GET", `/v1/reports/dashboard?${range}`, { token: token.admin });
    expect(board.status, board.text).toBe(200);
    expect(board.json.totals.grossFen).toBe(2000);
    // Every day of the range is on the chart, the days nothing sold at 0, adding up to the total.
    expect(board.json.overTimeBy).toBe("day");
    expect(board.json.byDay.map((r: { key: string }) => r.key)).toEqual(
      Array.from({ length: 8 }, (_, i) => addDays(today, i - 7)),
    );
    expect(board.json.byDay.reduce((sum: number, r: { grossFen: number }) => sum + r.grossFen, 0)).toBe(2000);
    // The eggs expire in 3 days: one lot on the list; the villagers are owed what they earned.
    expect(board.json.expiring.lots).toBe(1);
    expect(board.json.expiring.first[0]).toMatchObject({ productName: "土鸡蛋", onHand: 90 });
    expect(board.json.payables.owedFen).toBe(1800);
    expect(board.json.stock.valueFen).toBeGreaterThan(0);
    expect(board.json.orders.pickupsWaiting).toBe(0);
  });

  it("rebuilds from the ledger exactly the rollups the minute job kept, and they sum what the ledger holds", async () => {
    const db = t.db.db;
    // Random ledger lines over 14 months, on an order line and lot that exist (the sums are what is tested).
    const [anyLine] = await sqlRows<{ order_id: string; id: string; lot_id: string }>(
      db,
      sql`SELECT l.order_id, l.id, ol.lot_id FROM order_lines l JOIN order_line_lots ol ON ol.order_line_id = l.id LIMIT 1`,
    );
    const base = await db.select().from(saleEntries).limit(1);
    await db.execute(sql`DELETE FROM sales_rollups`);
    let seed = 20261203;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const start = Date.parse("2025-10-01T00:00:00Z");
    const villager = base[0]!.consignorId;
    type Entry = typeof saleEntries.$inferInsert;
    const entries: Entry[] = [];
    for (let i = 0; i < 600; i++) {
      const sale = rand() < 0.85;
      const consigned = rand() < 0.7;
      const q = 1 + Math.floor(rand() * 50);
      const gross = Math.floor(rand() * 50_000);
      const commission = consigned ? Math.floor(gross * 0.1) : 0;
      const sign = sale ? 1 : -1;
      entries.push({
        id: newId("saleEntry"),
        coopId: w.coop.id,
        kind: sale ? "sale" : "reversal",
        orderId: anyLine!.order_id,
        orderLineId: anyLine!.id,
        lotId: anyLine!.lot_id,
        productId: pick([w.egg.id, w.pickle.id, w.fertilizer.id]),
        pointId: pick([w.pointA.id, w.pointB.id, null]),
        originLocationId: pick([w.pointA.id, w.warehouse.id]),
        consignorId: consigned ? villager : null,
        channel: pick(SALE_CHANNELS),
        quantity: sign * q,
        grossFen: sign * gross,
        commissionFen: sign * commission,
        villagerFen: consigned ? sign * (gross - commission) : 0,
        // Around China midnight often, where a day cut in UTC would be wrong.
        createdAt: new Date(
          start + Math.floor(rand() * 420) * 86_400_000 + pick([-1, 0, 1]) * 3_600_000 + 16 * 3_600_000,
        ),
      });
    }
    entries.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
    // As the minute job sees them: each day's lines arrive, then yesterday and today are recomputed.
    const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    let i = 0;
    while (i < entries.length) {
      const day = chinaDay(entries[i]!.createdAt!);
      const batch: Entry[] = [];
      while (i < entries.length && chinaDay(entries[i]!.createdAt!) === day) batch.push(entries[i++]!);
      await db.insert(saleEntries).values(batch);
      await db.execute(sql`SELECT coop_rebuild_sales_rollups(${addDays(day, -1)}::date, ${day}::date)`);
    }
    // …and today's minute (the first test's sales are today's).
    await refreshRecentRollups(db);
    const snapshot = () =>
      sqlRows<Record<string, unknown>>(
        db,
        sql`SELECT coop_id, dimension, grain, to_char(period, 'YYYY-MM-DD') AS period, key, channel,
                   orders::int, quantity::bigint::text, gross_fen::text, commission_fen::text, villager_fen::text
            FROM sales_rollups ORDER BY 1, 2, 3, 4, 5, 6`,
      );
    const maintained = await snapshot();
    await db.execute(sql`SELECT coop_rebuild_all_sales_rollups()`);
    const rebuilt = await snapshot();
    expect(rebuilt.length).toBeGreaterThan(1000);
    expect(rebuilt).toEqual(maintained);

    // Every report over a random range equals the sum of the ledger lines in it (an oracle in plain code).
    const all = await db.select().from(saleEntries).where(eq(saleEntries.coopId, w.coop.id));
    const later = new Date("2027-06-01T00:00:00Z");
    for (let k = 0; k < 12; k++) {
      const from = addDays("2025-10-01", Math.floor(rand() * 400));
      const to = addDays(from, Math.floor(rand() * 200));
      const by = pick(["point", "product", "channel", "origin", "month"] as const);
      const report = await salesReport(db, { coopId: w.coop.id, from, to, by, pointId: null, now: later });
      const inRange = all.filter((e) => chinaDay(e.createdAt) >= from && chinaDay(e.createdAt) <= to);
      const keyOf = (e: (typeof all)[number]) =>
        by === "point"
          ? (e.pointId ?? "")
          : by === "product"
            ? e.productId
            : by === "channel"
              ? e.channel
              : by === "origin"
                ? e.originLocationId
                : `${chinaDay(e.createdAt).slice(0, 7)}-01`;
      const expected = new Map<string, number>();
      for (const e of inRange) expected.set(keyOf(e), (expected.get(keyOf(e)) ?? 0) + Number(e.grossFen));
      const got = new Map(report.rows.map((r) => [r.key, r.grossFen]));
      for (const [key, gross] of expected)
        expect(got.get(key) ?? 0, `${by} ${from}…${to} ${key}`).toBe(gross);
      expect(report.totals.grossFen).toBe(inRange.reduce((s, e) => s + Number(e.grossFen), 0));
      expect(report.totals.villagerFen).toBe(inRange.reduce((s, e) => s + Number(e.villagerFen), 0));
    }

    // One point's dashboard reads only that point's orders and stock.
    const board = await dashboard(db, {
      coopId: w.coop.id,
      from: "2026-01-01",
      to: "2026-12-31",
      pointId: w.pointB.id,
      now: later,
    });
    const pointB = all.filter((e) => e.pointId === w.pointB.id && chinaDay(e.createdAt).startsWith("2026"));
    expect(board.totals.grossFen).toBe(pointB.reduce((s, e) => s + Number(e.grossFen), 0));
    expect(board.topPoints).toEqual([]);
  });
});
