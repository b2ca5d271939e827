import type { Sql } from "postgres";
import { httpLoad } from "../lib/http";
import type { Summary } from "../lib/stats";
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
  /** Seconds from the first to the last order of the sale (its own clock: orders' created_at). */
  sellOutSeconds: number;
  status: Record<string, number>;
}

/** What the database says of one sale after the run. */
export type FlashCheck = Pick<
  FlashRun,
  "variant" | "sold" | "oversold" | "mostByOnePhone" | "sellOutSeconds"
>;

interface Target {
  url: string;
}

const phoneOf = (i: number) => `139${String(50_000_000 + (i % FLASH_PHONES)).padStart(8, "0")}`;

/** One unit of the hot product per order, a pickup at a point, from one of FLASH_PHONES phones. */
function loadHotProduct(
  apis: Target[],
  ctx: OrderContext,
  options: { clients: number; seconds: number; keyPrefix: string; flashSaleId?: string },
) {
  let seq = 0;
  const { clients } = options;
  return httpLoad(
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
    },
  );
}

/** Schedules the sale through the API as the admin would; answers its id. */
async function scheduleSale(api: Target, token: string, ctx: OrderContext, buckets: number, stamp: string) {
  const res = await fetch(`${api.url}/v1/flash-sales`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "idempotency-key": `bench-flash-${stamp}-${buckets}`,
    },
    body: JSON.stringify({
      productId: ctx.productIds[0],
      title: { zh: "基准秒杀", en: "Bench flash sale" },
      priceFen: 990,
      quantity: FLASH_UNITS,
      perBuyerLimit: FLASH_PER_BUYER,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 600_000).toISOString(),
      buckets,
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
  buckets: number,
  stamp: string,
  clients: number,
  seconds: number,
): Promise<FlashRun> {
  const saleId = await scheduleSale(apis[0]!, token, ctx, buckets, stamp);
  const result = await loadHotProduct(apis, ctx, {
    clients,
    seconds,
    keyPrefix: `bench-flash-${stamp}-${buckets}`,
    flashSaleId: saleId,
  });
  const [sold] = await sql`
    SELECT coalesce(sum(l.quantity), 0)::int AS units,
           extract(epoch FROM max(o.created_at) - min(o.created_at))::float AS span
    FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.flash_sale_id = ${saleId}`;
  const [most] = await sql`
    SELECT coalesce(max(units), 0)::int AS n FROM (
      SELECT sum(l.quantity) AS units FROM orders o JOIN order_lines l ON l.order_id = o.id
      WHERE o.flash_sale_id = ${saleId} GROUP BY o.contact_phone) x`;
  await closeSale(apis[0]!, token, saleId);
  const units = Number(sold!.units);
  const span = Number(sold!.span);
  return {
    ...result,
    variant: `sale, ${buckets} bucket${buckets > 1 ? "s" : ""}`,
    // Units per second of the sell-out; the latencies are of every order that got one.
    throughput: span > 0 ? (units - 1) / span : Number.NaN,
    sold: units,
    oversold: Math.max(0, units - FLASH_UNITS),
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

/** The three runs, one after another on the same two processes. */
export async function flashSaleRuns(options: {
  sql: Sql;
  apis: Target[];
  token: string;
  ctx: OrderContext;
  clients: number;
  seconds: number;
  between: () => Promise<void>;
}): Promise<{ hot: Summary & { variant: string; status: Record<string, number> }; sales: FlashRun[] }> {
  const stamp = Date.now().toString(36);
  const { sql, apis, token, ctx, clients, seconds } = options;
  const hot = await hotWithoutSale(apis, ctx, stamp, clients, seconds);
  await options.between();
  const sales: FlashRun[] = [];
  for (const buckets of [FLASH_BUCKETS, 1]) {
    // Long enough to sell out even on a slow machine (the rate is of the sell-out, not of the run).
    sales.push(await sellOut(sql, apis, token, ctx, buckets, stamp, clients, Math.max(seconds, 8)));
    await options.between();
  }
  return { hot, sales };
}
