import { execFile } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { type DeliveryFeeRule, deliveryFeeSteps, newId } from "@coop/shared";
import type { Sql } from "postgres";
import { Random } from "../data/random";
import { httpLoad } from "../lib/http";
import { type CpuSplit, closedLoop, withCpu } from "../lib/loop";
import { BENCH_DIR } from "../lib/services";
import { type Summary, summarize } from "../lib/stats";

const run = promisify(execFile);

export type Spread = "spread" | "hot";

/** Rows a hot product's stock is split over in the bucket measurement. */
export const HOT_BUCKETS = 8;

export interface OrderContext {
  coopId: string;
  delivery: DeliveryFeeRule;
  warehouseId: string;
  productIds: string[];
  servicePointIds: string[];
}

export async function orderContext(sql: Sql): Promise<OrderContext> {
  const [coop] =
    await sql`SELECT id, delivery_fee_fen, free_delivery_over_fen FROM coops WHERE code = 'BENCH'`;
  if (!coop) throw new Error("No benchmark co-op here: run pnpm bench:data first.");
  const [wh] =
    await sql`SELECT id FROM locations WHERE coop_id = ${coop.id} AND kind = 'warehouse' ORDER BY code LIMIT 1`;
  const products = await sql`SELECT id FROM products WHERE coop_id = ${coop.id} AND active ORDER BY id`;
  const points =
    await sql`SELECT id FROM locations WHERE coop_id = ${coop.id} AND kind = 'service_point' ORDER BY code`;
  return {
    coopId: coop.id,
    delivery: { deliveryFeeFen: coop.delivery_fee_fen, freeDeliveryOverFen: coop.free_delivery_over_fen },
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
// The API's order placement as the API sends it (apps/api/src/domain/orders/place-order.ts → the database
// function place_order, latest in migration 0023) for a cash-on-pickup pickup order with an Idempotency-Key, on a
// bare postgres.js pool: no HTTP, no Hono, no zod.
// ---------------------------------------------------------------------------------------------------------

/** Round trips per order in this replay (and in the API): the one function call. */
export const API_SQL_ROUND_TRIPS = 1;

export async function placeOrderLikeTheApi(sql: Sql, ctx: OrderContext, items: Item[], pointId: string) {
  const token = `oat_${randomBytes(32).toString("base64url")}`;
  const params = {
    order_id: newId("order"),
    status_id: newId("orderStatusChange"),
    payment_id: newId("payment"),
    notification_id: newId("notification"),
    access_token: token,
    access_token_hash: createHash("sha256").update(token).digest("hex"),
    pickup_code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
    // The API sends the code's keyed hash too (domain/orders/pickup-codes.ts); any 64 hex digits here.
    pickup_code_hash: randomBytes(32).toString("hex"),
    method: "cash_on_pickup",
    online: false,
    // The fee as the API sends it: steps from the shared rule, and the co-op settings they come from.
    delivery_fees: deliveryFeeSteps(ctx.delivery, "pickup").map((s) => ({
      from_fen: s.fromFen,
      fee_fen: s.feeFen,
    })),
    fee_basis: {
      coop_id: ctx.coopId,
      delivery_fee_fen: ctx.delivery.deliveryFeeFen,
      free_delivery_over_fen: ctx.delivery.freeDeliveryOverFen,
    },
    consignor_id: null,
    fulfilment_type: "pickup",
    service_point_id: pointId,
    delivery_address: null,
    contact_name: "基准买家",
    contact_phone: "13800138000",
    note: null,
    staff_id: null,
    items: items.map((i) => ({
      line_id: newId("orderLine"),
      product_id: ctx.productIds[i.productIndex]!,
      quantity: i.quantity,
    })),
    idem: {
      scope: "public",
      key: `bench-raw-${randomBytes(12).toString("base64url")}`,
      path: "/v1/orders",
      request_hash: randomBytes(32).toString("hex"),
      finished: true,
    },
  };
  // Prepared, as the API sends it (one round trip; postgres.js serialises the object for jsonb itself).
  const [row] = await sql.unsafe("SELECT place_order($1::jsonb) AS r", [params as never], { prepare: true });
  if (!row?.r?.created) throw new Error("order not placed");
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

/**
 * `buckets` > 1 (hot only): the hot product's stock is split over that many rows (ids 1…buckets) and each
 * order reserves from one of them at random: what splitting a flash-sale product's stock would buy.
 */
function pgbenchScript(mode: Spread, buckets = 1): string {
  // Product ids ascend within an order (p1 < p2 < p3), so concurrent orders lock rows in one order.
  const first =
    mode === "hot"
      ? buckets > 1
        ? `\\set p1 random(1, ${buckets})`
        : "\\set p1 1"
      : "\\set p1 random(1, :third)";
  const line = (k: number, sqlText: string) => (k === 1 ? sqlText : `\\if :n >= ${k}\n${sqlText}\n\\endif`);
  const lines = [1, 2, 3];
  return [
    "\\set n random(1, 3)",
    first,
    buckets > 1 ? `\\set p2 ${buckets} + random(1, :third)` : "\\set p2 :p1 + random(1, :third)",
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
  buckets?: number;
}): Promise<Summary> {
  const dir = path.join(BENCH_DIR, ".logs", `pgbench-${options.mode}-${options.clients}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, "order.sql");
  writeFileSync(script, pgbenchScript(options.mode, options.buckets));
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

// ---------------------------------------------------------------------------------------------------------
// POST /v1/orders through the API against bench/src/bare-orders.ts (bare Hono + postgres.js, the same body,
// the same place_order call): alternating rounds, so both see the same machine load (issue 12, item 3).
// ---------------------------------------------------------------------------------------------------------

export interface VersusTarget {
  label: string;
  url: string;
  pid: number;
}

/** One target's rounds pooled: every latency, the summed counts, seconds and CPU. */
export interface VersusResult extends Summary {
  label: string;
  cpu: CpuSplit;
  /** Orders per second of each round, in the order they ran. */
  rounds: number[];
  status: Record<string, number>;
}

/**
 * `rounds` rounds of `seconds` each per target at `clients` clients, the targets taking turns (API, bare,
 * API, bare… then the reverse order on the next round, so neither always follows the other). `between` runs
 * after every round, outside the measurement (the bench marks the outbox SMS of the round sent there, so one
 * target's leftovers are not worked off in the other's round).
 */
export async function alternatingRounds(options: {
  targets: VersusTarget[];
  clients: number;
  rounds: number;
  seconds: number;
  next: () => { path: string; body?: string; headers?: Record<string, string> };
  between?: () => Promise<void>;
}): Promise<VersusResult[]> {
  const pooled = options.targets.map(() => ({
    latencies: [] as number[],
    errors: 0,
    seconds: 0,
    rounds: [] as number[],
    status: {} as Record<string, number>,
    pg: 0,
    server: 0,
    loadgen: 0,
  }));
  for (let round = 0; round < options.rounds; round++) {
    const order = options.targets.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const target = options.targets[i]!;
      const acc = pooled[i]!;
      const result = await withCpu([target.pid], () =>
        httpLoad([{ url: target.url, connections: options.clients }], {
          method: "POST",
          seconds: options.seconds,
          keepLatencies: true,
          next: options.next,
        }),
      );
      for (const l of result.latencies ?? []) acc.latencies.push(l);
      acc.errors += result.errors;
      acc.seconds += result.seconds;
      acc.rounds.push(result.throughput);
      for (const [code, n] of Object.entries(result.status)) acc.status[code] = (acc.status[code] ?? 0) + n;
      // Back from "per 1,000" to seconds, to add the rounds up.
      acc.pg += (result.cpu.postgresPer1k * result.count) / 1000;
      acc.server += (result.cpu.serverPer1k * result.count) / 1000;
      acc.loadgen += (result.cpu.loadGeneratorPer1k * result.count) / 1000;
      await options.between?.();
    }
  }
  return options.targets.map((target, i) => {
    const acc = pooled[i]!;
    const summary = summarize(acc.latencies, acc.errors, acc.seconds);
    const per1k = (cpu: number) => (summary.count > 0 ? (cpu * 1000) / summary.count : Number.NaN);
    return {
      ...summary,
      label: target.label,
      rounds: acc.rounds,
      status: acc.status,
      cpu: {
        postgresPer1k: per1k(acc.pg),
        serverPer1k: per1k(acc.server),
        loadGeneratorPer1k: per1k(acc.loadgen),
        postgresPct: (acc.pg / acc.seconds) * 100,
        serverPct: (acc.server / acc.seconds) * 100,
        loadGeneratorPct: (acc.loadgen / acc.seconds) * 100,
      },
    };
  });
}
