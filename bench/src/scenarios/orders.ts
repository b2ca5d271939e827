import { execFile } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { newId } from "@coop/shared";
import type { Sql } from "postgres";
import { Random } from "../data/random";
import { closedLoop } from "../lib/loop";
import { BENCH_DIR } from "../lib/services";
import { type Summary, summarize } from "../lib/stats";

const run = promisify(execFile);

export type Spread = "spread" | "hot";

export interface OrderContext {
  coopId: string;
  warehouseId: string;
  productIds: string[];
  servicePointIds: string[];
}

export async function orderContext(sql: Sql): Promise<OrderContext> {
  const [coop] = await sql`SELECT id FROM coops WHERE code = 'BENCH'`;
  if (!coop) throw new Error("No benchmark co-op here: run pnpm bench:data first.");
  const [wh] =
    await sql`SELECT id FROM locations WHERE coop_id = ${coop.id} AND kind = 'warehouse' ORDER BY code LIMIT 1`;
  const products = await sql`SELECT id FROM products WHERE coop_id = ${coop.id} AND active ORDER BY id`;
  const points =
    await sql`SELECT id FROM locations WHERE coop_id = ${coop.id} AND kind = 'service_point' ORDER BY code`;
  return {
    coopId: coop.id,
    warehouseId: wh!.id,
    productIds: products.map((p) => p.id as string),
    servicePointIds: points.map((p) => p.id as string),
  };
}

/**
 * Makes warehouse stock ample for every product, the way the co-op would: a delivery lot, its intake ledger
 * line and the level, in one transaction, so the ledger invariants still hold after the benchmark.
 */
export async function topUpWarehouseStock(sql: Sql, ctx: OrderContext, target = 50_000_000): Promise<number> {
  const [actor] = await sql`SELECT id FROM staff_users WHERE login = 'bench-warehouse'`;
  const short = await sql`
    SELECT p.id, coalesce(s.on_hand - s.reserved, 0)::int AS available
    FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id AND s.location_id = ${ctx.warehouseId}
    WHERE p.coop_id = ${ctx.coopId} AND coalesce(s.on_hand - s.reserved, 0) < ${target / 2}`;
  if (short.length === 0) return 0;
  const stamp = Date.now();
  await sql.begin(async (tx) => {
    for (let i = 0; i < short.length; i += 1000) {
      const chunk = short.slice(i, i + 1000).map((row, k) => ({
        lotId: newId("lot"),
        productId: row.id as string,
        quantity: target - Number(row.available),
        lotNo: `WH-BENCH-${stamp}-${String(i + k).padStart(5, "0")}`,
      }));
      await tx`INSERT INTO lots ${tx(
        chunk.map((c) => ({
          id: c.lotId,
          coop_id: ctx.coopId,
          lot_no: c.lotNo,
          product_id: c.productId,
          origin_location_id: ctx.warehouseId,
          location_id: ctx.warehouseId,
          status: "in_stock",
          quantity_received: c.quantity,
          on_hand: c.quantity,
          qc_passed: true,
          received_by_user_id: actor!.id,
        })),
      )}`;
      await tx`INSERT INTO stock_movements ${tx(
        chunk.map((c) => ({
          id: newId("stockMovement"),
          product_id: c.productId,
          location_id: ctx.warehouseId,
          lot_id: c.lotId,
          kind: "intake",
          quantity_delta: c.quantity,
          reason: "benchmark stock",
          actor_user_id: actor!.id,
        })),
      )}`;
      await tx`INSERT INTO stock_levels ${tx(
        chunk.map((c) => ({
          product_id: c.productId,
          location_id: ctx.warehouseId,
          on_hand: c.quantity,
          reserved: 0,
        })),
      )} ON CONFLICT (product_id, location_id) DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand`;
    }
  });
  return short.length;
}

export interface Item {
  productIndex: number;
  quantity: number;
}

/** 1–3 lines of 1–3 units, distinct products; "hot": the first line is always product 0. */
export function orderItems(rng: Random, products: number, mode: Spread): Item[] {
  const n = rng.int(1, 3);
  const items: Item[] = [];
  if (mode === "hot") items.push({ productIndex: 0, quantity: rng.int(1, 3) });
  while (items.length < n) {
    const p = rng.int(mode === "hot" ? 1 : 0, products - 1);
    if (!items.some((i) => i.productIndex === p)) items.push({ productIndex: p, quantity: rng.int(1, 3) });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// The API's order placement, statement for statement (apps/api/src/domain/orders/place-order.ts, as Drizzle
// renders it for a cash-on-pickup pickup order), on a bare postgres.js pool: no HTTP, no Hono, no zod.
// ---------------------------------------------------------------------------------------------------------

const Q = {
  products: `select "id", "coop_id", "sku", "name_zh", "name_en", "description_zh", "description_en", "kind", "unit", "price_fen", "commission_bps", "perishable", "active", "created_at", "updated_at" from "products" where "products"."id" in `,
  coop: `select "id", "code", "name_zh", "name_en", "default_commission_bps", "delivery_fee_fen", "free_delivery_over_fen", "unpaid_order_seconds", "created_at" from "coops" where "coops"."id" = $1`,
  pickup: `select "id", "coop_id", "kind", "code", "name_zh", "name_en", "village", "address", "phone", "active", "created_at" from "locations" where "locations"."id" = $1`,
  warehouse: `select "id" from "locations" where ("locations"."coop_id" = $1 and "locations"."kind" = $2) order by "locations"."code" asc limit $3`,
  atPoint: `select "product_id", "on_hand" - "reserved" from "stock_levels" where ("stock_levels"."location_id" = $1 and "stock_levels"."product_id" in `,
  order: `insert into "orders" ("id", "coop_id", "status", "contact_name", "contact_phone", "fulfilment_type", "pickup_location_id", "delivery_address", "payment_method", "subtotal_fen", "delivery_fee_fen", "total_fen", "access_token_hash", "pickup_code", "placed_by_user_id", "on_behalf_of_consignor_id", "expires_at", "tracking_number", "note", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, default, $18, default, default)`,
  lines: `insert into "order_lines" ("id", "order_id", "product_id", "location_id", "quantity", "unit_price_fen", "line_total_fen") values `,
  history: `insert into "order_status_history" ("id", "order_id", "from_status", "to_status", "actor_user_id", "note", "created_at") values ($1, $2, $3, $4, $5, $6, default)`,
  notification: `insert into "notifications" ("id", "channel", "recipient", "template", "data", "status", "attempts", "order_id", "created_at", "sent_at") values ($1, $2, $3, $4, $5, default, default, $6, default, default)`,
  status: `select "status" from "orders" where "orders"."id" = $1`,
};
const placeholders = (from: number, n: number) =>
  `(${Array.from({ length: n }, (_, i) => `$${from + i}`).join(", ")})`;
const noPrepare = { prepare: false } as const;

/** Round trips per order in this replay: 5 reads, BEGIN, 5 writes, COMMIT, 1 read. */
export const API_SQL_ROUND_TRIPS = 13;

export async function placeOrderLikeTheApi(sql: Sql, ctx: OrderContext, items: Item[], pointId: string) {
  const ids = items.map((i) => ctx.productIds[i.productIndex]!);
  const found = await sql.unsafe(`${Q.products}${placeholders(1, ids.length)}`, ids, noPrepare);
  const coopId = found[0]!.coop_id as string;
  const [coop] = await sql.unsafe(Q.coop, [coopId], noPrepare);
  const [point] = await sql.unsafe(Q.pickup, [pointId], noPrepare);
  if (point?.kind !== "service_point") throw new Error("no such service point");
  const [warehouse] = await sql.unsafe(Q.warehouse, [coopId, "warehouse", 1], noPrepare);
  const atPoint = await sql.unsafe(
    `${Q.atPoint}${placeholders(2, ids.length)})`,
    [pointId, ...ids],
    noPrepare,
  );
  const lines = items.map((item, k) => {
    const product = found.find((p) => p.id === ids[k])!;
    const local = atPoint.find((s) => s.product_id === ids[k]);
    const available = local ? Number(Object.values(local)[1]) : 0;
    return {
      id: newId("orderLine"),
      productId: ids[k]!,
      locationId: local && available >= item.quantity ? pointId : (warehouse!.id as string),
      quantity: item.quantity,
      unitPriceFen: product.price_fen as number,
      lineTotalFen: item.quantity * (product.price_fen as number),
    };
  });
  const subtotal = lines.reduce((s, l) => s + l.lineTotalFen, 0);
  void coop;
  const orderId = newId("order");
  const token = `oat_${randomBytes(32).toString("base64url")}`;
  const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await sql.begin(async (tx) => {
    const values = lines.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::integer)`).join(", ");
    const reserved = await tx.unsafe(
      `UPDATE stock_levels AS s SET reserved = s.reserved + v.q
       FROM (VALUES ${values}) AS v(product_id, location_id, q)
       WHERE s.product_id = v.product_id AND s.location_id = v.location_id AND s.on_hand - s.reserved >= v.q
       RETURNING s.product_id`,
      lines.flatMap((l) => [l.productId, l.locationId, l.quantity]),
    );
    if (reserved.length !== lines.length) throw new Error("OUT_OF_STOCK");
    await tx.unsafe(
      Q.order,
      [
        orderId,
        coopId,
        "confirmed",
        "基准买家",
        "13800138000",
        "pickup",
        pointId,
        null,
        "cash_on_pickup",
        subtotal,
        0,
        subtotal,
        createHash("sha256").update(token).digest("hex"),
        pickupCode,
        null,
        null,
        null,
        null,
      ],
      noPrepare,
    );
    await tx.unsafe(
      `${Q.lines}${lines.map((_, i) => placeholders(i * 7 + 1, 7)).join(", ")}`,
      lines.flatMap((l) => [
        l.id,
        orderId,
        l.productId,
        l.locationId,
        l.quantity,
        l.unitPriceFen,
        l.lineTotalFen,
      ]),
      noPrepare,
    );
    await tx.unsafe(
      Q.history,
      [newId("orderStatusChange"), orderId, null, "confirmed", null, null],
      noPrepare,
    );
    await tx.unsafe(
      Q.notification,
      [
        newId("notification"),
        "sms",
        "13800138000",
        "order_placed",
        JSON.stringify({ orderId, totalFen: subtotal, pickupCode }),
        orderId,
      ],
      noPrepare,
    );
  });
  await sql.unsafe(Q.status, [orderId], noPrepare);
}

// ---------------------------------------------------------------------------------------------------------
// The minimal reference transaction of the issue: a conditional stock UPDATE per line, INSERT order, 1–3
// lines, one ledger row per line, in its own small schema (bench.ref_*), ~8 round trips.
// ---------------------------------------------------------------------------------------------------------

export async function prepareReference(sql: Sql, products: number): Promise<void> {
  await sql.unsafe(`
    CREATE SCHEMA IF NOT EXISTS bench;
    DROP TABLE IF EXISTS bench.ref_ledger, bench.ref_order_lines, bench.ref_orders, bench.ref_stock;
    CREATE TABLE bench.ref_stock (product_id int PRIMARY KEY, on_hand int NOT NULL CHECK (on_hand >= 0));
    CREATE TABLE bench.ref_orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total_fen bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE bench.ref_order_lines (order_id bigint NOT NULL REFERENCES bench.ref_orders, product_id int NOT NULL REFERENCES bench.ref_stock, quantity int NOT NULL CHECK (quantity > 0), unit_price_fen int NOT NULL);
    CREATE TABLE bench.ref_ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id int NOT NULL REFERENCES bench.ref_stock, order_id bigint NOT NULL REFERENCES bench.ref_orders, delta int NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO bench.ref_stock SELECT g, 1000000000 FROM generate_series(1, ${Number(products)}) g;
    ANALYZE bench.ref_stock;`);
}

/** The same transaction through postgres.js (prepared statements, one pool connection per client). */
export async function referenceOrder(sql: Sql, items: Item[]) {
  const sorted = [...items].sort((a, b) => a.productIndex - b.productIndex);
  await sql.begin(async (tx) => {
    for (const i of sorted) {
      const rows = await tx`UPDATE bench.ref_stock SET on_hand = on_hand - ${i.quantity}
        WHERE product_id = ${i.productIndex + 1} AND on_hand >= ${i.quantity} RETURNING product_id`;
      if (rows.length === 0) throw new Error("OUT_OF_STOCK");
    }
    const [order] =
      await tx`INSERT INTO bench.ref_orders (total_fen) VALUES (${sorted.length * 100}) RETURNING id`;
    for (const i of sorted) {
      await tx`INSERT INTO bench.ref_order_lines (order_id, product_id, quantity, unit_price_fen)
        VALUES (${order!.id}, ${i.productIndex + 1}, ${i.quantity}, 100)`;
    }
    for (const i of sorted) {
      await tx`INSERT INTO bench.ref_ledger (product_id, order_id, delta) VALUES (${i.productIndex + 1}, ${order!.id}, ${-i.quantity})`;
    }
  });
}

function pgbenchScript(mode: Spread): string {
  // Product ids ascend within an order (p1 < p2 < p3), so concurrent orders lock rows in one order.
  const first = mode === "hot" ? "\\set p1 1" : "\\set p1 random(1, :third)";
  const line = (k: number, sqlText: string) => (k === 1 ? sqlText : `\\if :n >= ${k}\n${sqlText}\n\\endif`);
  const lines = [1, 2, 3];
  return [
    "\\set n random(1, 3)",
    first,
    "\\set p2 :p1 + random(1, :third)",
    "\\set p3 :p2 + random(1, :third)",
    "\\set q1 random(1, 3)",
    "\\set q2 random(1, 3)",
    "\\set q3 random(1, 3)",
    "BEGIN;",
    ...lines.map((k) =>
      line(
        k,
        `UPDATE bench.ref_stock SET on_hand = on_hand - :q${k} WHERE product_id = :p${k} AND on_hand >= :q${k};`,
      ),
    ),
    "INSERT INTO bench.ref_orders (total_fen) VALUES (:n * 100) RETURNING id \\gset",
    ...lines.map((k) =>
      line(
        k,
        `INSERT INTO bench.ref_order_lines (order_id, product_id, quantity, unit_price_fen) VALUES (:id, :p${k}, :q${k}, 100);`,
      ),
    ),
    ...lines.map((k) =>
      line(
        k,
        `INSERT INTO bench.ref_ledger (product_id, order_id, delta) VALUES (:p${k}, :id, -(:q${k}::int));`,
      ),
    ),
    "COMMIT;",
    "",
  ].join("\n");
}

/** The reference transaction driven by pgbench (prepared protocol), latencies from its per-transaction log. */
export async function pgbenchReference(options: {
  databaseUrl: string;
  mode: Spread;
  clients: number;
  seconds: number;
  products: number;
}): Promise<Summary> {
  const dir = path.join(BENCH_DIR, ".logs", `pgbench-${options.mode}-${options.clients}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, "order.sql");
  writeFileSync(script, pgbenchScript(options.mode));
  const url = new URL(options.databaseUrl);
  const args = [
    "-n",
    "-M",
    "prepared",
    "-c",
    String(options.clients),
    "-j",
    String(Math.min(options.clients, 2)),
    "-T",
    String(Math.max(1, Math.round(options.seconds))),
    "-D",
    `third=${Math.floor((options.products - 1) / 3)}`,
    "-f",
    script,
    "-l",
    "--log-prefix",
    path.join(dir, "tx"),
    "-h",
    url.hostname,
    "-p",
    url.port || "5432",
    "-U",
    decodeURIComponent(url.username || "postgres"),
    decodeURIComponent(url.pathname.slice(1)),
  ];
  const { stdout } = await run("pgbench", args, {
    cwd: dir,
    timeout: (options.seconds + 60) * 1000,
    maxBuffer: 1 << 24,
  });
  writeFileSync(path.join(dir, "stdout.txt"), stdout);
  const latencies: number[] = [];
  let failed = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith("tx"))) {
    for (const row of readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const fields = row.split(" ");
      if (fields.length < 6) continue;
      if (fields[2] === "failed" || fields[2] === "skipped") failed++;
      else latencies.push(Number(fields[2]) / 1000);
    }
  }
  const seconds = Number(/duration: (\d+) s/.exec(stdout)?.[1] ?? options.seconds);
  rmSync(dir, { recursive: true, force: true });
  return summarize(latencies, failed, seconds);
}

/** Driver loop helper shared by the raw scenarios. */
export function driverLoop(
  clients: number,
  seconds: number,
  op: (rng: Random, worker: number) => Promise<void>,
) {
  const rngs = Array.from({ length: clients }, (_, w) => new Random(1000 + w));
  return closedLoop({ clients, durationMs: seconds * 1000, op: (w) => op(rngs[w]!, w) });
}
