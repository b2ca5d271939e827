import type { Sql } from "postgres";
import { httpLoad } from "../lib/http";
import { type CpuSplit, withCpu } from "../lib/loop";
import { type Summary, summarize } from "../lib/stats";
import type { OrderContext } from "./orders";

// ---------------------------------------------------------------------------------------------------------
// A live-stream flash sale (issue 12, item 2): 1,000 units of the hot product at 64 clients on two API
// processes, sold from buckets (POST /v1/orders with flashSaleId), against the same hot product ordered
// without a sale (every order on its one stock_levels row) and a sale in a single bucket.
// ---------------------------------------------------------------------------------------------------------

export const FLASH_UNITS = 1000;
export const FLASH_BUCKETS = 16;
export const FLASH_PER_BUYER = 2;
/** Distinct phones: 700 × 2 allowed > 1,000 units, so the limit is reached by some and the sale sells out. */
const FLASH_PHONES = 700;

export interface FlashRun extends Summary {
  variant: string;
  sold: number;
  /** Units sold beyond the set-aside quantity (must be 0). */
  oversold: number;
  /** The most one phone bought (must be ≤ the per-buyer limit). */
  mostByOnePhone: number;
  /** Orders answered 201 (must equal the units sold: one unit each). */
  answered: number;
  /** Seconds from the first to the last order of the sale answered 201, by the load generator's clock. */
  sellOutSeconds: number;
  status: Record<string, number>;
  cpu: CpuSplit;
  latencies?: number[];
  /** Each round's rate, when rounds were pooled. */
  rounds?: number[];
}

/** What the database says of one sale after the run. */
export type FlashCheck = Pick<
  FlashRun,
  "variant" | "sold" | "oversold" | "mostByOnePhone" | "sellOutSeconds" | "answered"
>;

interface Target {
  url: string;
  pid: number;
}

/** Refusals after the sell-out: this many and the sale is over (its few limit refusals come later still). */
const SOLD_OUT_REFUSALS = 256;

const phoneOf = (i: number) => `139${String(50_000_000 + (i % FLASH_PHONES)).padStart(8, "0")}`;

/** One unit of the hot product per order, a pickup at a point, from one of FLASH_PHONES phones. */
function loadHotProduct(
  apis: Target[],
  ctx: OrderContext,
  options: { clients: number; seconds: number; keyPrefix: string; flashSaleId?: string },
) {
  let seq = 0;
  const { clients } = options;
  // CPU of PostgreSQL, the API processes and this load generator, per order answered 201.
  return withCpu(
    apis.map((a) => a.pid),
    () =>
      httpLoad(
        apis.map((a, i) => ({
          url: a.url,
          connections: Math.floor(clients / apis.length) + (i < clients % apis.length ? 1 : 0),
        })),
        {
          method: "POST",
          seconds: options.seconds,
          keepLatencies: true,
          next: () => {
            const i = ++seq;
            return {
              path: "/v1/orders",
              headers: { "idempotency-key": `${options.keyPrefix}-${i}` },
              body: JSON.stringify({
                items: [{ productId: ctx.productIds[0], quantity: 1 }],
                fulfilment: {
                  type: "pickup",
                  servicePointId: ctx.servicePointIds[i % ctx.servicePointIds.length],
                },
                payment: { method: "cash_on_pickup" },
                contact: { name: "直播间买家", phone: phoneOf(i) },
                ...(options.flashSaleId ? { flashSaleId: options.flashSaleId } : {}),
              }),
            };
          },
          // A sale's load ends soon after its sell-out, so its CPU is of the units sold.
          ...(options.flashSaleId ? { stopWhen: (status) => (status["409"] ?? 0) >= SOLD_OUT_REFUSALS } : {}),
        },
      ),
  );
}

/** Schedules the sale through the API as the admin would; answers its id. */
async function scheduleSale(
  api: Target,
  token: string,
  ctx: OrderContext,
  sale: { buckets: number; quantity: number; key: string },
) {
  const res = await fetch(`${api.url}/v1/flash-sales`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "idempotency-key": sale.key,
    },
    body: JSON.stringify({
      productId: ctx.productIds[0],
      title: { zh: "基准秒杀", en: "Bench flash sale" },
      priceFen: 990,
      quantity: sale.quantity,
      perBuyerLimit: FLASH_PER_BUYER,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 600_000).toISOString(),
      buckets: sale.buckets,
    }),
  });
  if (res.status !== 201) throw new Error(`scheduling the flash sale: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function closeSale(api: Target, token: string, id: string) {
  await fetch(`${api.url}/v1/flash-sales/${id}/close`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "idempotency-key": `bench-flash-close-${id}` },
  });
}

/**
 * One sale sold out at `clients` clients split over `apis`, then checked in the database: exactly
 * FLASH_UNITS sold, none beyond, no phone over the limit. The rate is units sold per second of the sale's
 * own sell-out (first to last order), so the requests refused after the sell-out do not dilute it.
 */
async function sellOut(
  sql: Sql,
  apis: Target[],
  token: string,
  ctx: OrderContext,
  sale: { buckets: number; quantity: number; stamp: string },
  clients: number,
  seconds: number,
): Promise<FlashRun> {
  const { buckets, quantity, stamp } = sale;
  const key = `bench-flash-${stamp}-${buckets}-${quantity}`;
  const saleId = await scheduleSale(apis[0]!, token, ctx, { buckets, quantity, key });
  const result = await loadHotProduct(apis, ctx, { clients, seconds, keyPrefix: key, flashSaleId: saleId });
  const [sold] = await sql`
    SELECT coalesce(sum(l.quantity), 0)::int AS units
    FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.flash_sale_id = ${saleId}`;
  const [most] = await sql`
    SELECT coalesce(max(units), 0)::int AS n FROM (
      SELECT sum(l.quantity) AS units FROM orders o JOIN order_lines l ON l.order_id = o.id
      WHERE o.flash_sale_id = ${saleId} GROUP BY o.contact_phone) x`;
  await closeSale(apis[0]!, token, saleId);
  const units = Number(sold!.units);
  // The sell-out by the load generator's clock, first to last order answered 201. (Not the orders'
  // created_at: orders placed in one group share their transaction's start.)
  const span = result.okSpanSeconds;
  return {
    ...result,
    variant: `sale, ${buckets} bucket${buckets > 1 ? "s" : ""}`,
    // Units per second of the sell-out; the latencies are of every order that got one.
    throughput: span > 0 ? (result.count - 1) / span : Number.NaN,
    sold: units,
    answered: result.count,
    oversold: Math.max(0, units - quantity),
    mostByOnePhone: Number(most!.n),
    sellOutSeconds: span,
    status: result.status,
  };
}

/** The hot product ordered one unit at a time without a sale, for the same time: its one stock row. */
async function hotWithoutSale(
  apis: Target[],
  ctx: OrderContext,
  stamp: string,
  clients: number,
  seconds: number,
) {
  const result = await loadHotProduct(apis, ctx, { clients, seconds, keyPrefix: `bench-hot-${stamp}` });
  return { ...result, variant: "no sale (one stock row)" };
}

type HotRun = Summary & {
  variant: string;
  status: Record<string, number>;
  cpu: CpuSplit;
  latencies?: number[];
  rounds?: number[];
};

/** Every round's answers together: latencies pooled, counts and CPU summed over the rounds. */
function pooled<T extends Summary & { cpu: CpuSplit; status: Record<string, number>; latencies?: number[] }>(
  runs: T[],
): Summary & { cpu: CpuSplit; status: Record<string, number>; latencies: number[] } {
  const latencies = runs.flatMap((r) => r.latencies ?? []);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const count = runs.reduce((n, r) => n + r.count, 0);
  const perOrder = (pick: (c: CpuSplit) => number) =>
    runs.reduce((n, r) => n + pick(r.cpu) * r.count, 0) / Math.max(count, 1);
  const mean = (pick: (c: CpuSplit) => number) => runs.reduce((n, r) => n + pick(r.cpu), 0) / runs.length;
  const status: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.status)) status[k] = (status[k] ?? 0) + v;
  return {
    ...summarize(latencies, errors, seconds),
    latencies,
    status,
    cpu: {
      postgresPer1k: perOrder((c) => c.postgresPer1k),
      serverPer1k: perOrder((c) => c.serverPer1k),
      loadGeneratorPer1k: perOrder((c) => c.loadGeneratorPer1k),
      postgresPct: mean((c) => c.postgresPct),
      serverPct: mean((c) => c.serverPct),
      loadGeneratorPct: mean((c) => c.loadGeneratorPct),
    },
  };
}

/** One bucket count's sales over the rounds: the rate of all their sell-outs, the worst round's checks. */
function pooledSales(runs: FlashRun[]): FlashRun {
  const all = pooled(runs);
  const span = runs.reduce((n, r) => n + r.sellOutSeconds, 0);
  const worst = runs.find((r) => r.sold !== FLASH_UNITS || r.answered !== r.sold) ?? runs[0]!;
  return {
    ...all,
    variant: runs[0]!.variant,
    throughput: span > 0 ? runs.reduce((n, r) => n + r.count - 1, 0) / span : Number.NaN,
    sold: worst.sold,
    answered: worst.answered,
    oversold: Math.max(...runs.map((r) => r.oversold)),
    mostByOnePhone: Math.max(...runs.map((r) => r.mostByOnePhone)),
    sellOutSeconds: span / runs.length,
    rounds: runs.map((r) => r.throughput),
  };
}

/**
 * The hot product without a sale, then a sale in FLASH_BUCKETS buckets and one in a single bucket, on the same
 * two processes, in `rounds` alternating rounds (a sale sells out in about a second: one round alone is a
 * thin sample); each figure pools its rounds.
 */
export async function flashSaleRuns(options: {
  sql: Sql;
  apis: Target[];
  token: string;
  ctx: OrderContext;
  clients: number;
  seconds: number;
  rounds: number;
  between: () => Promise<void>;
}): Promise<{ hot: HotRun; sales: FlashRun[] }> {
  const stamp = Date.now().toString(36);
  const { sql, apis, token, ctx, clients, seconds } = options;
  // Warm-up, not measured: both paths once (JIT, pools, plans), so neither measured run starts cold.
  await loadHotProduct(apis, ctx, { clients, seconds: 1, keyPrefix: `bench-hot-warm-${stamp}` });
  await sellOut(sql, apis, token, ctx, { buckets: FLASH_BUCKETS, quantity: 200, stamp }, clients, 4);
  await options.between();
  const hots: HotRun[] = [];
  const sales = new Map<number, FlashRun[]>();
  for (let round = 1; round <= options.rounds; round++) {
    hots.push(await hotWithoutSale(apis, ctx, `${stamp}-${round}`, clients, seconds));
    await options.between();
    for (const buckets of [FLASH_BUCKETS, 1]) {
      // Long enough to sell out even on a slow machine (the rate is of the sell-out, not of the run).
      const sale = { buckets, quantity: FLASH_UNITS, stamp: `${stamp}-${round}` };
      const run = await sellOut(sql, apis, token, ctx, sale, clients, Math.max(seconds, 8));
      sales.set(buckets, [...(sales.get(buckets) ?? []), run]);
      await options.between();
    }
  }
  return {
    hot: { ...pooled(hots), variant: hots[0]!.variant, rounds: hots.map((h) => h.throughput) },
    sales: [...sales.values()].map(pooledSales),
  };
}
