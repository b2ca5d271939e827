import type { Sql } from "postgres";
import type { OrderContext } from "./orders";

// ---------------------------------------------------------------------------------------------------------
// A harvest campaign (issue 12, item 1): a cap of 500, 2,000 pre-orders at once through two API processes,
// then a harvest of 430 taken in against the pledge, collected to the warehouse and allocated; the finish
// cancels the shortfall. Every figure is checked in the database, not taken from the answers.
// ---------------------------------------------------------------------------------------------------------

export const CAMPAIGN_CAP = 500;
export const CAMPAIGN_PREORDERS = 2000;
export const CAMPAIGN_HARVEST = 430;

export interface CampaignCheck {
  preorders: number;
  accepted: number;
  refusedFull: number;
  otherStatuses: Record<string, number>;
  /** harvest_campaigns.reserved_units after the pre-orders (must be the cap). */
  reservedUnits: number;
  /** Seconds for the 2,000 pre-orders to be answered. */
  preorderSeconds: number;
  allocatedOrders: number;
  /** Allocated orders that are not among the first 430 placed (must be 0). */
  allocatedOutOfOrder: number;
  shortOrders: number;
  /** Short orders with other than exactly one shortfall SMS (must be 0). */
  shortSmsWrong: number;
  /** Warehouse stock held for the campaign's product after the finish, against what the orders hold. */
  heldAtWarehouse: number;
  heldByOrders: number;
  shortfallUnits: number | null;
  finishSeconds: number;
}

interface Target {
  url: string;
}

async function call(api: Target, token: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      authorization: `Bearer ${token}`,
      "idempotency-key": key,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const chinaDay = (offsetDays: number) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function campaignRun(options: {
  sql: Sql;
  apis: Target[];
  token: string;
  ctx: OrderContext;
}): Promise<CampaignCheck> {
  const { sql, apis, token, ctx } = options;
  const stamp = Date.now().toString(36);
  // A product of its own (by the piece, one per sale unit), so no other stock of it is at the warehouse.
  const [product] = await sql`
    INSERT INTO products (id, coop_id, sku, name_zh, name_en, kind, unit, price_fen, perishable, search_text)
    VALUES (${`prd_bench_campaign_${stamp}`}, ${ctx.coopId}, ${`BENCH-HVC-${stamp}`.toUpperCase()}, '春笋',
      'Bamboo shoots', 'produce', 'piece', 300, false, 'chunsun cs 春笋')
    RETURNING id`;
  const [villager] = await sql`
    SELECT k.id, k.service_point_id FROM consignors k WHERE k.coop_id = ${ctx.coopId} ORDER BY k.id LIMIT 1`;
  const api = apis[0]!;
  const campaign = await call(api, token, "/v1/campaigns", `bench-hvc-${stamp}`, {
    productId: product!.id,
    title: { zh: "基准订单农业", en: "Bench harvest campaign" },
    priceFen: 1200,
    capUnits: CAMPAIGN_CAP,
    perOrderLimit: 1,
    perBuyerLimit: 1,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    harvestFrom: chinaDay(1),
    harvestTo: chinaDay(3),
  });
  const campaignId = String(campaign.id);
  // Villagers pledged more than the cap: the cap is what binds.
  await call(api, token, `/v1/campaigns/${campaignId}/pledges`, `bench-hvc-pledge-${stamp}`, {
    consignorId: villager!.id,
    units: CAMPAIGN_CAP + 100,
  });
  const [pledge] = await sql`SELECT id FROM campaign_pledges WHERE campaign_id = ${campaignId}`;

  // 2,000 buyers at once, half on each process, one unit each, cash at pickup.
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: CAMPAIGN_PREORDERS }, async (_, i) => {
      const res = await fetch(`${apis[i % apis.length]!.url}/v1/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `bench-hvc-${stamp}-${i}` },
        body: JSON.stringify({
          items: [{ productId: product!.id, quantity: 1 }],
          fulfilment: { type: "pickup", servicePointId: ctx.servicePointIds[i % ctx.servicePointIds.length] },
          payment: { method: "cash_on_pickup" },
          contact: { name: "预订买家", phone: `137${String(60_000_000 + i).padStart(8, "0")}` },
          campaignId,
        }),
      });
      const body = (await res.json()) as { error?: { code?: string } };
      return res.status === 201 ? "201" : `${res.status} ${body.error?.code ?? ""}`;
    }),
  );
  const preorderSeconds = (performance.now() - started) / 1000;
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a] = (statuses[a] ?? 0) + 1;
  const [afterPreorders] = await sql`SELECT reserved_units FROM harvest_campaigns WHERE id = ${campaignId}`;

  // The harvest: one lot against the pledge at the villager's point, collected and received at the warehouse.
  const lot = await call(api, token, "/v1/lots", `bench-hvc-lot-${stamp}`, {
    consignorId: villager!.id,
    productId: product!.id,
    servicePointId: villager!.service_point_id,
    quantity: CAMPAIGN_HARVEST,
    qc: { passed: true },
    pledgeId: pledge!.id,
  });
  const run = await call(api, token, "/v1/collections", `bench-hvc-run-${stamp}`, {
    fromServicePointId: villager!.service_point_id,
    lotIds: [lot.id],
  });
  await call(api, token, `/v1/collections/${run.id}/receive`, `bench-hvc-recv-${stamp}`, {
    lines: [{ lotId: lot.id, receivedQuantity: CAMPAIGN_HARVEST }],
  });
  // Pre-orders close and the harvest window passes (the clock moved, not the rules).
  await sql`UPDATE harvest_campaigns SET opens_at = now() - interval '2 hours',
    closes_at = now() - interval '1 second', harvest_from = ${chinaDay(-3)}, harvest_to = ${chinaDay(-1)}
    WHERE id = ${campaignId}`;
  const finishStarted = performance.now();
  // The admin's finish on one process and an allocation on the other at the same moment: each pre-order
  // must still be allocated or cancelled once.
  await Promise.all([
    call(apis[0]!, token, `/v1/campaigns/${campaignId}/finish`, `bench-hvc-finish-${stamp}`),
    call(apis[1 % apis.length]!, token, `/v1/campaigns/${campaignId}/allocate`, `bench-hvc-alloc-${stamp}`),
  ]);
  const finishSeconds = (performance.now() - finishStarted) / 1000;

  const [ranks] = await sql`
    WITH placed AS (
      SELECT o.id, o.status, row_number() OVER (ORDER BY o.created_at, o.id) AS n
      FROM orders o WHERE o.campaign_id = ${campaignId})
    SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS allocated,
           count(*) FILTER (WHERE status = 'confirmed' AND n > ${CAMPAIGN_HARVEST})::int AS out_of_order,
           count(*) FILTER (WHERE status = 'cancelled')::int AS short
    FROM placed`;
  const [sms] = await sql`
    SELECT count(*)::int AS wrong FROM orders o
    WHERE o.campaign_id = ${campaignId} AND o.status = 'cancelled'
      AND (SELECT count(*) FROM notifications n WHERE n.order_id = o.id
           AND n.template = 'campaign_short_cancelled') <> 1`;
  const [held] = await sql`
    SELECT coalesce((SELECT reserved FROM stock_levels WHERE product_id = ${product!.id}
                     AND location_id = ${ctx.warehouseId}), 0)::int AS at_warehouse,
           coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                     WHERE o.campaign_id = ${campaignId} AND o.status = 'confirmed'), 0)::int AS by_orders`;
  const [final] = await sql`SELECT shortfall_units FROM harvest_campaigns WHERE id = ${campaignId}`;
  return {
    preorders: CAMPAIGN_PREORDERS,
    accepted: statuses["201"] ?? 0,
    refusedFull: statuses["409 OUT_OF_STOCK"] ?? 0,
    otherStatuses: Object.fromEntries(
      Object.entries(statuses).filter(([k]) => k !== "201" && k !== "409 OUT_OF_STOCK"),
    ),
    reservedUnits: Number(afterPreorders!.reserved_units),
    preorderSeconds,
    allocatedOrders: Number(ranks!.allocated),
    allocatedOutOfOrder: Number(ranks!.out_of_order),
    shortOrders: Number(ranks!.short),
    shortSmsWrong: Number(sms!.wrong),
    heldAtWarehouse: Number(held!.at_warehouse),
    heldByOrders: Number(held!.by_orders),
    shortfallUnits: final!.shortfall_units === null ? null : Number(final!.shortfall_units),
    finishSeconds,
  };
}
