import { readdirSync, readFileSync } from "node:fs";
import { createDb, MIGRATIONS_FOLDER, newPglite } from "@coop/db";
import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Migration 0021 turns per-base-unit prices into sale units without changing the past: a database with
 * today's data (a product by the gram, one by the piece, one by the ml, an order and its lines, a villager's
 * sale credit and balance) is built at 0020, then 0021 runs, and every number read before is read after.
 */
const files = readdirSync(MIGRATIONS_FOLDER)
  .filter((f) => f.endsWith(".sql"))
  .sort();
const upTo = (name: string) =>
  files.slice(
    0,
    files.findIndex((f) => f.startsWith(name)),
  );
const text = (file: string) => readFileSync(`${MIGRATIONS_FOLDER}/${file}`, "utf8");

interface Db {
  run(sql: string): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function openDb(kind: "pglite" | "postgres"): Promise<Db> {
  if (kind === "pglite") {
    const pg = newPglite();
    return {
      run: async (sql) => void (await pg.exec(sql)),
      rows: async <T>(sql: string) => (await pg.query<T>(sql)).rows,
      close: () => pg.close(),
    };
  }
  // Its own database on the server, made and dropped here (the test databases are migrated to the end).
  const admin = await createDb({ databaseUrl: process.env.TEST_DATABASE_URL!, maxConnections: 1 });
  const name = `sale_units_migration_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await admin.executeSql(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), maxConnections: 1 });
  return {
    run: async (sql) => void (await db.executeSql(sql)),
    rows: async <T>(sql: string) => (await db.executeSql(sql)).rows as T[],
    close: async () => {
      await db.close();
      await admin.executeSql(`DROP DATABASE IF EXISTS ${name}`);
      await admin.close();
    },
  };
}

const BEFORE = `
  INSERT INTO coops (id, code, name_zh, name_en) VALUES ('coop_m', 'M', '社', 'Coop');
  INSERT INTO locations (id, coop_id, kind, code, name_zh, name_en, village) VALUES
    ('loc_wh', 'coop_m', 'warehouse', 'WH', '仓', 'Warehouse', NULL),
    ('loc_a', 'coop_m', 'service_point', 'A', '点', 'Point', '竹山村');
  INSERT INTO products (id, coop_id, sku, name_zh, name_en, kind, unit, price_fen) VALUES
    ('prd_pickle', 'coop_m', 'PKL', '坛子菜', 'Pickles', 'produce', 'gram', 3),
    ('prd_egg', 'coop_m', 'EGG', '土鸡蛋', 'Egg', 'produce', 'piece', 200),
    ('prd_oil', 'coop_m', 'OIL', '茶油', 'Tea oil', 'produce', 'ml', 18),
    ('prd_bag', 'coop_m', 'FERT', '复合肥', 'Fertilizer', 'supply', 'bag', 16800);
  INSERT INTO consignors (id, coop_id, name, phone, service_point_id)
    VALUES ('csg_1', 'coop_m', '钱阿姨', '13900000001', 'loc_a');
  INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
    payment_method, subtotal_fen, total_fen, access_token_hash)
    VALUES ('ord_1', 'coop_m', 'picked_up', '张', '13912345678', 'pickup', 'loc_a', 'cash_on_pickup', 2500, 2500, 'h');
  INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, unit_price_fen, line_total_fen) VALUES
    ('oln_1', 'ord_1', 'prd_pickle', 'loc_a', 700, 3, 2100),
    ('oln_2', 'ord_1', 'prd_egg', 'loc_a', 2, 200, 400);
  INSERT INTO consignor_entries (id, consignor_id, kind, amount_fen, gross_fen, commission_fen, quantity, order_id,
    order_line_id) VALUES ('cle_1', 'csg_1', 'sale_credit', 1785, 2100, 315, 700, 'ord_1', 'oln_1');
  UPDATE consignors SET balance_fen = 1785 WHERE id = 'csg_1';
`;

const PAST = {
  orders: "SELECT id, status, subtotal_fen::text, total_fen::text FROM orders ORDER BY id",
  lines: "SELECT id, product_id, quantity, unit_price_fen, line_total_fen::text FROM order_lines ORDER BY id",
  entries:
    "SELECT id, kind, amount_fen::text, gross_fen::text, commission_fen::text, quantity FROM consignor_entries ORDER BY id",
  balances: "SELECT id, balance_fen::text FROM consignors ORDER BY id",
};

describe.each(testDbKinds())("migration 0021: sale units from per-base-unit prices (%s)", (kind) => {
  let db: Db;
  const before: Record<string, unknown[]> = {};

  beforeAll(async () => {
    db = await openDb(kind);
    for (const file of upTo("0021")) await db.run(text(file));
    await db.run(BEFORE);
    for (const [name, sql] of Object.entries(PAST)) before[name] = await db.rows(sql);
    await db.run(text(files.find((f) => f.startsWith("0021"))!));
  }, 120_000);
  afterAll(() => db?.close());

  it("leaves every past order, order line, sale credit and balance as it was", async () => {
    for (const [name, sql] of Object.entries(PAST)) expect(await db.rows(sql), name).toEqual(before[name]);
    expect(before.lines).toHaveLength(2);
  });

  it("back-fills past lines as size-1 units at their own price, so units × price is still their total", async () => {
    expect(await db.rows("SELECT id, sale_unit_id, units, unit_size FROM order_lines ORDER BY id")).toEqual([
      { id: "oln_1", sale_unit_id: null, units: 700, unit_size: 1 },
      { id: "oln_2", sale_unit_id: null, units: 2, unit_size: 1 },
    ]);
  });

  it("gives each product a default unit: 斤 for grams, 500毫升 for ml (× 500), 个 and 袋 as they were", async () => {
    expect(
      await db.rows(
        `SELECT p.sku, u.label_zh, u.size, u.price_fen, u.is_default, p.price_fen AS product_price
         FROM products p JOIN sale_units u ON u.product_id = p.id ORDER BY p.sku`,
      ),
    ).toEqual([
      { sku: "EGG", label_zh: "个", size: 1, price_fen: 200, is_default: true, product_price: 200 },
      { sku: "FERT", label_zh: "袋", size: 1, price_fen: 16800, is_default: true, product_price: 16800 },
      { sku: "OIL", label_zh: "500毫升", size: 500, price_fen: 9000, is_default: true, product_price: 9000 },
      { sku: "PKL", label_zh: "斤", size: 500, price_fen: 1500, is_default: true, product_price: 1500 },
    ]);
    const [id] = await db.rows<{ id: string }>("SELECT id FROM sale_units LIMIT 1");
    expect(id!.id).toMatch(/^sun_[0-9a-z]{26}$/);
  });
});
