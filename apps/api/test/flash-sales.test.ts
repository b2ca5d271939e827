import { flashSaleBuckets, flashSales, orderLines, orders, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEndedFlashSales } from "../src/domain/flash-sales/close-flash-sale";
import { getFlashSale } from "../src/domain/flash-sales/flash-sale-views";
import { splitIntoBuckets } from "../src/domain/flash-sales/schedule-flash-sale";
import { makeCoopWorld, makeProduct, takeInStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { reservationViolations } from "./reservation-checks";

const quiet = pino({ level: "silent" });

describe("splitting a flash sale's stock into buckets", () => {
  it("splits as evenly as whole units allow, never into empty buckets", () => {
    expect(splitIntoBuckets(1000, 16)).toHaveLength(16);
    expect(splitIntoBuckets(1000, 16).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(new Set(splitIntoBuckets(1000, 16))).toEqual(new Set([63, 62]));
    expect(splitIntoBuckets(3, 8)).toEqual([1, 1, 1]);
  });
});

/**
 * Issue 12, item 2: a flash sale sells exactly its set-aside quantity, from buckets, at its price, within its
 * window and the per-buyer limit; what is left goes back to normal stock once, at the close.
 */
describe.each(testDbKinds())("flash sales (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  let tofuId = "";
  const PRICE = 990;
  const STOCK = 300;

  const level = async () =>
    (
      await t.db.db
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, tofuId), eq(stockLevels.locationId, w.warehouse.id)))
    )[0]!;
  const left = async (saleId: string) =>
    Number(
      (
        await t.db.db
          .select({ n: sql<number>`coalesce(sum(${flashSaleBuckets.remaining}), 0)` })
          .from(flashSaleBuckets)
          .where(eq(flashSaleBuckets.saleId, saleId))
      )[0]!.n,
    );
  const schedule = (body: Record<string, unknown>, who = "admin") =>
    t.request("POST", "/v1/flash-sales", {
      token: token[who],
      body: {
        productId: tofuId,
        title: { zh: "直播秒杀：腐乳", en: "Live sale: fermented tofu" },
        priceFen: PRICE,
        quantity: 50,
        perBuyerLimit: 2,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        buckets: 8,
        ...body,
      },
    });
  const buy = (saleId: string, phone: string, quantity = 1, extra: Record<string, unknown> = {}) =>
    t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: tofuId, quantity }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "直播间买家", phone },
        flashSaleId: saleId,
        ...extra,
      },
    });
  const invariants = async () => ({
    reservations: await reservationViolations(t.db.db),
    ledgers: await allLedgerViolations(t.db.db),
  });

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["admin", "agentA"] as const)
      token[who] = await t.loginAs(w[who].login, w[who].password);
    tofuId = (await makeProduct(t.db.db, w.coop.id, { unit: "piece", priceFen: 1500, nameZh: "腐乳" })).id;
    await takeInStock(t.db.db, w.coop.id, { productId: tofuId, locationId: w.warehouse.id, quantity: STOCK });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sets the quantity aside at the warehouse when scheduled; only an admin may, and only what is free", async () => {
    const before = await level();
    expect((await schedule({}, "agentA")).status).toBe(403);
    const tooMuch = await schedule({ quantity: STOCK + 1 });
    expect(tooMuch.status, tooMuch.text).toBe(409);
    expect(tooMuch.json.error.code).toBe("OUT_OF_STOCK");
    expect(tooMuch.json.error.details.lines[0].available).toBe(before.onHand - before.reserved);
    const backwards = await schedule({ endsAt: new Date(Date.now() - 5000).toISOString() });
    expect(backwards.status).toBe(400);

    const res = await schedule({ quantity: 20 });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      state: "live",
      quantity: 20,
      left: 20,
      priceFen: PRICE,
      regularPriceFen: 1500,
    });
    expect((await level()).reserved).toBe(before.reserved + 20);
    expect(await left(res.json.id)).toBe(20);
    expect(await invariants()).toEqual({ reservations: [], ledgers: {} });
    // Normal orders cannot take the set-aside units.
    const free = (await level()).onHand - (await level()).reserved;
    const normal = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: tofuId, quantity: free + 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "普通买家", phone: "13800000001" },
      },
    });
    expect(normal.status, normal.text).toBe(409);
    expect(normal.json.error.code).toBe("OUT_OF_STOCK");
    await t.request("POST", `/v1/flash-sales/${res.json.id}/close`, { token: token.admin });
  });

  it("sells exactly the set-aside quantity to buyers arriving at once, at the sale's price, none oversold", async () => {
    const sale = await schedule({ quantity: 30, perBuyerLimit: 2, buckets: 8 });
    expect(sale.status, sale.text).toBe(201);
    const before = await level();
    const answers = await Promise.all(
      Array.from({ length: 45 }, (_, i) => buy(sale.json.id, `137${String(i).padStart(8, "0")}`)),
    );
    const created = answers.filter((a) => a.status === 201);
    const soldOut = answers.filter((a) => a.status === 409 && a.json.error.code === "OUT_OF_STOCK");
    expect({ created: created.length, soldOut: soldOut.length }).toEqual({ created: 30, soldOut: 15 });
    expect(created.every((a) => a.json.totalFen === PRICE)).toBe(true);
    expect(await left(sale.json.id)).toBe(0);
    // The units were held since scheduling: the orders took them over, stock_levels did not move.
    expect(await level()).toMatchObject({ onHand: before.onHand, reserved: before.reserved });
    const lines = await t.db.db
      .select({
        location: orderLines.locationId,
        quantity: orderLines.quantity,
        price: orderLines.unitPriceFen,
      })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(eq(orders.flashSaleId, sale.json.id));
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => l.location === w.warehouse.id && l.quantity === 1 && l.price === PRICE)).toBe(
      true,
    );
    expect(soldOut[0]!.json.error.details.lines[0]).toMatchObject({ requested: 1, available: 0 });
    expect(await invariants()).toEqual({ reservations: [], ledgers: {} });
  });

  it("holds the per-buyer limit across one phone's orders placed at once", async () => {
    const sale = await schedule({ quantity: 20, perBuyerLimit: 2 });
    const phone = "13600000009";
    const answers = await Promise.all(Array.from({ length: 5 }, () => buy(sale.json.id, phone)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
    const limited = answers.filter((a) => a.status === 409 && a.json.error.code === "FLASH_SALE_LIMIT");
    expect(limited).toHaveLength(3);
    expect(limited[0]!.json.error.details).toEqual({ limit: 2, already: 2 });
    expect((await buy(sale.json.id, "13600000010", 3)).json.error.code).toBe("FLASH_SALE_LIMIT");
    expect(await left(sale.json.id)).toBe(18);
    await t.request("POST", `/v1/flash-sales/${sale.json.id}/close`, { token: token.admin });
  });

  it("refuses orders before the start, after the end, and for anything but the sale's product", async () => {
    const later = await schedule({
      startsAt: new Date(Date.now() + 600_000).toISOString(),
      endsAt: new Date(Date.now() + 1_200_000).toISOString(),
      quantity: 5,
    });
    expect(later.json.state).toBe("upcoming");
    const early = await buy(later.json.id, "13500000001");
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("FLASH_SALE_NOT_LIVE");
    expect(early.json.error.message).toContain("not started");

    const other = await makeProduct(t.db.db, w.coop.id, { unit: "piece", priceFen: 300 });
    await t.db.db
      .update(flashSales)
      .set({ startsAt: new Date(Date.now() - 1000) })
      .where(eq(flashSales.id, later.json.id));
    const wrong = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: other.id, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "买家", phone: "13500000002" },
        flashSaleId: later.json.id,
      },
    });
    expect(wrong.status).toBe(400);
    expect((await buy("fsl_nosuchsale", "13500000003")).status).toBe(400);
    expect((await buy(later.json.id, "13500000004")).status).toBe(201);

    await t.db.db
      .update(flashSales)
      .set({ endsAt: new Date(Date.now() - 1) })
      .where(eq(flashSales.id, later.json.id));
    const late = await buy(later.json.id, "13500000005");
    expect(late.json.error.code).toBe("FLASH_SALE_NOT_LIVE");
    expect(late.json.error.message).toContain("over");
    await closeEndedFlashSales(t.db.db, quiet);
  });

  it("returns what is left to normal stock once at the close, however many sweeps run", async () => {
    const sale = await schedule({ quantity: 12, perBuyerLimit: 5 });
    expect((await buy(sale.json.id, "13400000001", 4)).status).toBe(201);
    const before = await level();
    await t.db.db
      .update(flashSales)
      .set({ endsAt: new Date(Date.now() - 1) })
      .where(eq(flashSales.id, sale.json.id));
    await Promise.all([closeEndedFlashSales(t.db.db, quiet), closeEndedFlashSales(t.db.db, quiet)]);
    await closeEndedFlashSales(t.db.db, quiet);
    expect((await level()).reserved).toBe(before.reserved - 8);
    const [row] = await t.db.db.select().from(flashSales).where(eq(flashSales.id, sale.json.id));
    expect(row).toMatchObject({ returnedUnits: 8 });
    expect(row!.closedAt).not.toBeNull();
    expect(await invariants()).toEqual({ reservations: [], ledgers: {} });
    const again = await t.request("POST", `/v1/flash-sales/${sale.json.id}/close`, { token: token.admin });
    expect(again.status).toBe(409);
    expect((await t.request("GET", `/v1/flash-sales/${sale.json.id}`)).json.state).toBe("ended");
    const view = await getFlashSale(t.db.db, sale.json.id, { fresh: true });
    expect(view).toMatchObject({ state: "ended", left: 0, quantity: 12 });
    expect(view.closedAt).not.toBeNull();
  });

  it("places orders arriving together in one transaction; one's refusal leaves the others placed", async () => {
    const sale = await schedule({ quantity: 20, perBuyerLimit: 2 });
    const stranger = await makeProduct(t.db.db, w.coop.id, { unit: "piece", priceFen: 300 });
    // Not the sale's product: place_order raises, which ends its whole group (below).
    const notInSale = () =>
      t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: stranger.id, quantity: 1 }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: { name: "直播间买家", phone: "13933333333" },
          flashSaleId: sale.json.id,
        },
      });
    const keyed = (phone: string, key: string) =>
      t.request("POST", "/v1/orders", {
        headers: { "idempotency-key": key },
        body: {
          items: [{ productId: tofuId, quantity: 1 }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: { name: "直播间买家", phone },
          flashSaleId: sale.json.id,
        },
      });
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => buy(sale.json.id, `13900${String(i).padStart(6, "0")}`)),
      // One phone over its limit of 2, and one request sent twice with its key, in the same rush.
      ...Array.from({ length: 4 }, () => buy(sale.json.id, "13911111111")),
      keyed("13922222222", "rush-twice"),
      keyed("13922222222", "rush-twice"),
    ]);
    const created = answers.filter((a) => a.status === 201);
    const limited = answers.filter((a) => a.status === 409 && a.json.error.code === "FLASH_SALE_LIMIT");
    expect({ created: created.length, limited: limited.length }).toEqual({ created: 14, limited: 2 });
    expect(limited[0]!.json.error.details).toEqual({ limit: 2, already: 2 });
    const [once, twice] = answers.slice(-2);
    expect(twice!.json.id).toBe(once!.json.id);
    const placed = await t.db.db
      .select({ id: orders.id, createdAt: orders.createdAt })
      .from(orders)
      .where(eq(orders.flashSaleId, sale.json.id));
    // 13 orders (the twice-sent one once), 13 units out of the buckets.
    expect(placed).toHaveLength(13);
    expect(await left(sale.json.id)).toBe(7);
    // An order's created_at is its transaction's start: fewer distinct ones than orders means groups.
    expect(new Set(placed.map((o) => o.createdAt.getTime())).size).toBeLessThan(placed.length);
    expect(await invariants()).toEqual({ reservations: [], ledgers: {} });
    // A group with an order place_order raises for is rolled back whole; its orders are placed one by one.
    const wave = await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => buy(sale.json.id, `13944${String(i).padStart(6, "0")}`)),
      notInSale(),
      buy(sale.json.id, "13944999999"),
    ]);
    expect(wave.map((a) => a.status)).toEqual([201, 201, 201, 400, 201]);
    expect(await left(sale.json.id)).toBe(3);
    expect(await invariants()).toEqual({ reservations: [], ledgers: {} });
    await t.request("POST", `/v1/flash-sales/${sale.json.id}/close`, { token: token.admin });
  });

  // PostgreSQL only: PGlite has one connection, so nothing else can hold the buckets meanwhile.
  if (kind === "postgres")
    it("never lets a group wait for a bucket another transaction holds: that order waits alone, others go on", async () => {
      const busy = await schedule({ quantity: 4, buckets: 2 });
      const other = await schedule({ quantity: 4, buckets: 2 });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding!: () => void;
      const held = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const holder = t.db.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT 1 FROM flash_sale_buckets WHERE sale_id = ${busy.json.id} FOR UPDATE`);
        holding();
        await released;
      });
      await held;
      let answered = false;
      const waiting = buy(busy.json.id, "13811110001").then((res) => {
        answered = true;
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The other sale's order goes through the groups while the first waits for the held buckets.
      const meanwhile = await buy(other.json.id, "13811110002");
      expect(meanwhile.status, meanwhile.text).toBe(201);
      expect(answered).toBe(false);
      release();
      await holder;
      const res = await waiting;
      expect(res.status, res.text).toBe(201);
      expect({ busy: await left(busy.json.id), other: await left(other.json.id) }).toEqual({
        busy: 3,
        other: 3,
      });
      for (const s of [busy, other])
        await t.request("POST", `/v1/flash-sales/${s.json.id}/close`, { token: token.admin });
    });

  it("serves the sale page's figure from a one-second cache, so viewers refreshing do not read the buckets", async () => {
    const sale = await schedule({ quantity: 10 });
    const now = Date.now();
    expect((await getFlashSale(t.db.db, sale.json.id, { now })).left).toBe(10);
    expect((await buy(sale.json.id, "13300000001", 2)).status).toBe(201);
    expect((await getFlashSale(t.db.db, sale.json.id, { now: now + 500 })).left).toBe(10);
    expect((await getFlashSale(t.db.db, sale.json.id, { now: now + 1000 })).left).toBe(8);
    const page = await t.request("GET", `/v1/flash-sales/${sale.json.id}`);
    expect(page.headers.get("cache-control")).toBe("public, max-age=1");
    const list = await t.request("GET", "/v1/flash-sales");
    expect(list.json.items.map((s: { id: string }) => s.id)).toContain(sale.json.id);
  });
});
