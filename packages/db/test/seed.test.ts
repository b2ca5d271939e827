import { splitCommission } from "@coop/shared";
import { eq, type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/passwords";
import { staffUsers } from "../src/schema";
import { DEMO_LOGINS, SeedRefusedError, type SeedSummary, seedDemoData } from "../src/seed";
import { buildDemoDataset } from "../src/seed/dataset";
import { createTestDb, type TestDb, testDbKinds } from "../src/testing";

const TEST_ENV = { NODE_ENV: "test" };

describe.each(testDbKinds())("demo seed (%s)", (kind) => {
  let t: TestDb;
  let first: SeedSummary;

  /** Rows of a raw query; PGlite answers { rows }, postgres.js an array. */
  async function rows<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
    const result = (await t.db.execute(query)) as unknown;
    return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
  }

  /** Row counts of every table the seed writes, for the whole database (not only the demo co-op). */
  async function tableCounts(): Promise<Record<string, number>> {
    const tables = [
      "coops",
      "locations",
      "staff_users",
      "consignors",
      "products",
      "lots",
      "stock_movements",
      "stock_levels",
      "orders",
      "order_lines",
      "order_line_lots",
      "order_status_history",
      "payments",
      "payouts",
      "consignor_entries",
      "sale_entries",
      "sales_rollups",
    ];
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await rows<{ n: number | string }>(sql.raw(`SELECT count(*) AS n FROM ${table}`));
      counts[table] = Number(row!.n);
    }
    return counts;
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    first = await seedDemoData(t.db, { env: TEST_ENV });
  });
  afterAll(() => t?.close());

  it("loads the demo co-op: six service points, forty villagers, forty bilingual products", async () => {
    expect(first.status).toBe("seeded");
    expect(first.counts).toMatchObject({ warehouses: 1, servicePoints: 6, consignors: 40, products: 40 });
    expect(first.counts.produce).toBeGreaterThan(20);
    expect(first.counts.supplies).toBeGreaterThan(10);
    expect(first.counts.orders).toBe(6);
    expect(first.counts.rejectedLots).toBe(2);

    const unnamed = await rows(
      sql`SELECT sku FROM products WHERE name_zh = '' OR name_en = '' OR description_zh = '' OR description_en = ''`,
    );
    expect(unnamed).toEqual([]);
    const points = await rows<{ code: string; village: string }>(
      sql`SELECT code, village FROM locations WHERE kind = 'service_point' ORDER BY code`,
    );
    expect(points.map((p) => p.code)).toEqual([
      "SP-HS01",
      "SP-HS02",
      "SP-HS03",
      "SP-HS04",
      "SP-HS05",
      "SP-HS06",
    ]);
    for (const point of points) expect(point.village).toMatch(/村$/);

    const phones = await rows<{ phone: string }>(sql`SELECT phone FROM consignors`);
    for (const { phone } of phones) expect(phone).toMatch(/^1[358]\d{9}$/);
    expect(new Set(phones.map((p) => p.phone)).size).toBe(phones.length);
    const shown = await rows(sql`SELECT id FROM consignors WHERE show_on_product_pages`);
    expect(shown.length).toBeGreaterThan(0);
  });

  it("gives every service point exactly one agent, named after its code", async () => {
    const agents = await rows<{ login: string; code: string }>(sql`
      SELECT u.login, l.code FROM staff_users u JOIN locations l ON l.id = u.service_point_id
      WHERE u.role = 'agent' ORDER BY l.code`);
    expect(agents).toHaveLength(6);
    for (const agent of agents) expect(agent.login).toBe(`agent-${agent.code.slice(3).toLowerCase()}`);
  });

  it("keeps every lot's on-hand equal to the sum of its ledger lines", async () => {
    const mismatched = await rows(sql`
      SELECT l.lot_no, l.on_hand, coalesce(sum(m.quantity_delta), 0) AS ledger
      FROM lots l LEFT JOIN stock_movements m ON m.lot_id = l.id
      GROUP BY l.id, l.lot_no, l.on_hand
      HAVING l.on_hand <> coalesce(sum(m.quantity_delta), 0)`);
    expect(mismatched).toEqual([]);
    // Lots moved to the warehouse came from a service point, and both sides of each move share a batch.
    const moved = await rows<{ origin: string; location: string }>(sql`
      SELECT o.kind AS origin, l.kind AS location FROM lots x
      JOIN locations o ON o.id = x.origin_location_id JOIN locations l ON l.id = x.location_id
      WHERE x.origin_location_id <> x.location_id`);
    expect(moved.length).toBeGreaterThan(40);
    for (const lot of moved) expect(lot).toEqual({ origin: "service_point", location: "warehouse" });
    const unbalancedTransfers = await rows(sql`
      SELECT lot_id, batch_id FROM stock_movements WHERE kind IN ('transfer_out', 'transfer_in')
      GROUP BY lot_id, batch_id HAVING sum(quantity_delta) <> 0 OR count(*) <> 2 OR batch_id IS NULL`);
    expect(unbalancedTransfers).toEqual([]);
  });

  it("keeps stock levels equal to the ledger at each location, with reservations within stock", async () => {
    const mismatched = await rows(sql`
      WITH ledger AS (
        SELECT product_id, location_id, sum(quantity_delta) AS quantity
        FROM stock_movements GROUP BY product_id, location_id
      )
      SELECT coalesce(s.product_id, m.product_id) AS product_id, s.on_hand, m.quantity, s.reserved
      FROM stock_levels s FULL JOIN ledger m
        ON m.product_id = s.product_id AND m.location_id = s.location_id
      WHERE coalesce(s.on_hand, 0) <> coalesce(m.quantity, 0) OR s.reserved > s.on_hand`);
    expect(mismatched).toEqual([]);
  });

  it("keeps failed quality checks out of stock", async () => {
    const rejected = await rows<{ on_hand: number; status: string; movements: number | string }>(sql`
      SELECT l.on_hand, l.status, (SELECT count(*) FROM stock_movements m WHERE m.lot_id = l.id) AS movements
      FROM lots l WHERE NOT l.qc_passed`);
    expect(rejected).toHaveLength(2);
    for (const lot of rejected) {
      expect(lot.on_hand).toBe(0);
      expect(lot.status).toBe("rejected");
      expect(Number(lot.movements)).toBe(0);
    }
  });

  it("keeps each villager's balance equal to their ledger, and never below zero", async () => {
    const mismatched = await rows(sql`
      SELECT c.name, c.balance_fen, coalesce(sum(e.amount_fen), 0) AS ledger
      FROM consignors c LEFT JOIN consignor_entries e ON e.consignor_id = c.id
      GROUP BY c.id, c.name, c.balance_fen
      HAVING c.balance_fen <> coalesce(sum(e.amount_fen), 0) OR c.balance_fen < 0`);
    expect(mismatched).toEqual([]);
    const payouts = await rows(sql`SELECT id FROM consignor_entries WHERE kind = 'payout'`);
    expect(payouts.length).toBeGreaterThan(0);
  });

  it("splits every sale credit into the villager's share and the commission, to the fen", async () => {
    const credits = await rows<{
      amount_fen: number | string;
      gross_fen: number | string;
      commission_fen: number | string;
      line_gross: number | string;
      bps: number;
    }>(sql`
      SELECT e.amount_fen, e.gross_fen, e.commission_fen, e.quantity * ol.unit_price_fen AS line_gross,
             coalesce(p.commission_bps, c.default_commission_bps) AS bps
      FROM consignor_entries e
      JOIN order_lines ol ON ol.id = e.order_line_id
      JOIN products p ON p.id = ol.product_id
      JOIN coops c ON c.id = p.coop_id
      WHERE e.kind = 'sale_credit'`);
    expect(credits.length).toBeGreaterThan(5);
    for (const credit of credits) {
      const gross = Number(credit.gross_fen);
      expect(gross).toBe(Number(credit.line_gross));
      expect(gross).toBe(Number(credit.amount_fen) + Number(credit.commission_fen));
      const split = splitCommission(gross, Number(credit.bps));
      expect([Number(credit.amount_fen), Number(credit.commission_fen)]).toEqual([
        split.villagerFen,
        split.coopFen,
      ]);
    }
  });

  it("adds up order totals and pays exactly the total", async () => {
    const wrongTotals = await rows(sql`
      SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
      GROUP BY o.id, o.subtotal_fen, o.total_fen, o.delivery_fee_fen
      HAVING o.subtotal_fen <> sum(l.line_total_fen) OR o.total_fen <> o.subtotal_fen + o.delivery_fee_fen`);
    expect(wrongTotals).toEqual([]);
    const wrongPayments = await rows(sql`
      SELECT o.id, o.status FROM orders o LEFT JOIN payments y ON y.order_id = o.id AND y.status = 'succeeded'
      GROUP BY o.id, o.status, o.total_fen
      HAVING (o.status = 'confirmed' AND count(y.id) > 0)
          OR (o.status <> 'confirmed' AND coalesce(sum(y.amount_fen), 0) <> o.total_fen)`);
    expect(wrongPayments).toEqual([]);
    const statuses = await rows<{ status: string }>(sql`SELECT DISTINCT status FROM orders ORDER BY status`);
    expect(statuses.map((s) => s.status)).toEqual(["confirmed", "paid", "picked_up", "shipped"]);
    // Only a keyed hash of each pickup code is stored, never the 6 digits (decision 0016).
    const pickupCodes = await rows<{ pickup_code_hash: string | null }>(
      sql`SELECT pickup_code_hash FROM orders WHERE fulfilment_type = 'pickup'`,
    );
    for (const { pickup_code_hash } of pickupCodes) expect(pickup_code_hash).toMatch(/^[0-9a-f]{64}$/);
    // Each order's history ends in the order's current status.
    const stale = await rows(sql`
      SELECT o.id FROM orders o WHERE o.status <> (
        SELECT h.to_status FROM order_status_history h WHERE h.order_id = o.id ORDER BY h.created_at DESC LIMIT 1)`);
    expect(stale).toEqual([]);
  });

  it("draws sold lines from lots and the ledger, and holds the unpaid order's stock as reserved", async () => {
    const unallocated = await rows(sql`
      SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.status <> 'confirmed'
        AND l.quantity <> (SELECT coalesce(sum(a.quantity), 0) FROM order_line_lots a WHERE a.order_line_id = l.id)`);
    expect(unallocated).toEqual([]);
    const unsold = await rows(sql`
      SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.status <> 'confirmed' AND -l.quantity <> (
        SELECT coalesce(sum(m.quantity_delta), 0) FROM stock_movements m
        WHERE m.order_id = o.id AND m.kind = 'sale' AND m.product_id = l.product_id AND m.location_id = l.location_id)`);
    expect(unsold).toEqual([]);
    const reservedMismatch = await rows(sql`
      WITH held AS (
        SELECT l.product_id, l.location_id, sum(l.quantity) AS quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status = 'confirmed'
        GROUP BY l.product_id, l.location_id
      )
      SELECT s.product_id FROM stock_levels s FULL JOIN held h
        ON h.product_id = s.product_id AND h.location_id = s.location_id
      WHERE coalesce(s.reserved, 0) <> coalesce(h.quantity, 0)`);
    expect(reservedMismatch).toEqual([]);
    const [held] = await rows<{ n: number | string }>(sql`SELECT sum(reserved) AS n FROM stock_levels`);
    expect(Number(held!.n)).toBeGreaterThan(0);
  });

  it("writes the sales ledger the reports read, agreeing with the lines and the villagers' credits", async () => {
    const lineMismatch = await rows(sql`
      SELECT l.id FROM order_lines l
      LEFT JOIN (SELECT order_line_id, sum(gross_fen) AS gross, sum(quantity) AS quantity
                 FROM sale_entries GROUP BY 1) e ON e.order_line_id = l.id
      WHERE EXISTS (SELECT 1 FROM order_line_lots a WHERE a.order_line_id = l.id)
        AND (coalesce(e.gross, 0) <> l.line_total_fen OR coalesce(e.quantity, 0) <> l.quantity)`);
    expect(lineMismatch).toEqual([]);
    const creditMismatch = await rows(sql`
      SELECT coalesce(c.order_line_id, e.order_line_id) AS order_line_id
      FROM (SELECT order_line_id, sum(amount_fen) AS villager, sum(commission_fen) AS commission
            FROM consignor_entries WHERE kind = 'sale_credit' GROUP BY 1) c
      FULL JOIN (SELECT order_line_id, sum(villager_fen) AS villager, sum(commission_fen) AS commission
                 FROM sale_entries WHERE consignor_id IS NOT NULL GROUP BY 1) e ON e.order_line_id = c.order_line_id
      WHERE coalesce(c.villager, 0) <> coalesce(e.villager, 0) OR coalesce(c.commission, 0) <> coalesce(e.commission, 0)`);
    expect(creditMismatch).toEqual([]);
    const channels = await rows<{ channel: string }>(
      sql`SELECT DISTINCT channel FROM sale_entries ORDER BY 1`,
    );
    expect(channels.map((r) => r.channel)).toEqual(expect.arrayContaining(["assisted", "online"]));
    // The rollups were built from the ledger: the co-op's total over all days is the ledger's.
    const [sums] = await rows<{ ledger: string | number; rolled: string | number }>(sql`
      SELECT (SELECT sum(gross_fen) FROM sale_entries) AS ledger,
             (SELECT sum(gross_fen) FROM sales_rollups WHERE dimension = 'all' AND grain = 'day') AS rolled`);
    expect(Number(sums!.ledger)).toBeGreaterThan(0);
    expect(Number(sums!.rolled)).toBe(Number(sums!.ledger));
  });

  it("lets the demo logins sign in with their published passwords", async () => {
    for (const demo of DEMO_LOGINS) {
      const [user] = await t.db.select().from(staffUsers).where(eq(staffUsers.login, demo.login));
      expect(user?.role).toBe(demo.role);
      expect(await verifyPassword(user!.passwordHash, demo.password)).toBe(true);
    }
    const [admin] = await t.db.select().from(staffUsers).where(eq(staffUsers.login, "admin"));
    expect(await verifyPassword(admin!.passwordHash, "wrong-password")).toBe(false);
  });

  it("writes nothing the second time", async () => {
    const before = await tableCounts();
    const second = await seedDemoData(t.db, { env: TEST_ENV });
    expect(second.status).toBe("already_seeded");
    expect(second.counts).toEqual(first.counts);
    expect(await tableCounts()).toEqual(before);
  });

  it("loads the demo once when two seeds start at the same time", async () => {
    const fresh = await createTestDb(kind);
    try {
      const hash = await hashPassword("shared-test-password");
      const results = await Promise.all([
        seedDemoData(fresh.db, { env: TEST_ENV, passwordHash: hash }),
        seedDemoData(fresh.db, { env: TEST_ENV, passwordHash: hash }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["already_seeded", "seeded"]);
      expect(results[0]!.counts).toEqual(results[1]!.counts);
      expect(results[0]!.counts.consignors).toBe(40);
    } finally {
      await fresh.close();
    }
  });

  it("refuses to run with NODE_ENV=production, before writing anything", async () => {
    const empty = await createTestDb(kind);
    try {
      await expect(seedDemoData(empty.db, { env: { NODE_ENV: "production" } })).rejects.toThrow(
        SeedRefusedError,
      );
      const result = (await empty.db.execute(sql`SELECT count(*) AS n FROM coops`)) as unknown;
      const [row] = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
      expect(Number((row as { n: number | string }).n)).toBe(0);
    } finally {
      await empty.close();
    }
  });
});

describe("demo dataset", () => {
  const build = () =>
    buildDemoDataset({
      now: new Date("2026-03-15T02:00:00Z"),
      randomSeed: 2026,
      passwordHashes: new Map(DEMO_LOGINS.map((l) => [l.password, "not-a-real-hash"])),
    });

  it("comes out the same every time (ids and token hashes aside)", () => {
    const shape = (data: ReturnType<typeof build>) => ({
      consignors: data.consignors.map((c) => [c.name, c.phone, c.showOnProductPages, c.balanceFen]),
      lots: data.lots.map((l) => [l.lotNo, l.quantityReceived, l.onHand, l.bestBefore, l.status]),
      movements: data.movements.map((m) => [m.kind, m.quantityDelta, m.createdAt]),
      orders: data.orders.orders.map((o) => [o.status, o.totalFen, o.pickupCodeHash, o.contactPhone]),
    });
    expect(shape(build())).toEqual(shape(build()));
  });

  it("dates best-before from intake and keeps stocked perishables in date", () => {
    const data = build();
    const perishable = new Set(data.products.filter((p) => p.perishable).map((p) => p.id));
    for (const lot of data.lots) {
      if (!lot.qcPassed) continue;
      expect(lot.bestBefore != null).toBe(perishable.has(lot.productId));
      if (lot.bestBefore && lot.onHand > 0) expect(lot.bestBefore >= "2026-03-15").toBe(true);
    }
  });

  it("prices goods in whole fen per base unit and quantities in whole base units", () => {
    const data = build();
    for (const product of data.products) expect(Number.isInteger(product.priceFen)).toBe(true);
    for (const lot of data.lots) expect(Number.isInteger(lot.quantityReceived)).toBe(true);
    const eggs = data.products.find((p) => p.sku === "EGG-TU")!;
    expect([eggs.unit, eggs.priceFen]).toEqual(["piece", 200]);
    const pickles = data.products.find((p) => p.sku === "PKL-RADISH")!;
    // ¥15 per 斤 (500 g) = 1,500 fen / 500 g = 3 fen per gram.
    expect([pickles.unit, pickles.priceFen * 500]).toEqual(["gram", 1500]);
  });
});
