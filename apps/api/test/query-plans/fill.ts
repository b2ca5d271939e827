import type { DbHandle } from "@coop/db";

/**
 * How much data the query-plan test loads: enough that the planner's choice between an index and a
 * sequential scan is the real one (tables of tens and hundreds of thousands of rows, with the selectivity
 * a co-op's data has), small enough to load in seconds on a 2-core machine.
 */
export const MODERATE_SCALE = {
  servicePoints: 200,
  villagers: 4_000,
  products: 1_000,
  lots: 50_000,
  /** Order lines drawn from the lots (≈2.25 per order); lines of rejected lots are left out. */
  orderLines: 45_000,
  orders: 20_000,
  /** The newest orders are still open (unpaid, paid, packed, ready): what pick lists and queues show. */
  openOrders: 400,
  sessions: 6_000,
} as const;

export type Scale = typeof MODERATE_SCALE;

/**
 * Fills a database that holds one co-op world (factories' makeCoopWorld: the co-op, its warehouse, two points
 * with their agents, an admin) with a year of a co-op's life, set-based (INSERT … SELECT generate_series) in
 * one script on one connection, then VACUUM ANALYZE.
 *
 * Every row is the kind the API writes, obeying every CHECK, foreign key and append-only rule, and the
 * ledgers add up (ledger-checks.ts holds): villagers' lots are taken in at their service point, 4 in 5 are
 * collected to the warehouse through "in transit" (four ledger lines, as collections do), orders draw from
 * them (online orders are sold when paid, cash orders at hand-over; open orders hold stock as reserved),
 * villagers are credited for each sale and paid out each quarter, and lots older than 90 days are sold out
 * or written off as spoiled. Ids are the usual prefixed, time-sortable ids and rows lie on disk in time
 * order, as an append-only system writes them. Pseudo-random choices come from hashint8extended, so the
 * same data comes out on every run.
 */
export async function fillModerateScale(handle: DbHandle, scale: Scale = MODERATE_SCALE): Promise<void> {
  const s = scale;
  const int = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a count: ${n}`);
    return String(n);
  };
  const V = int(s.villagers);
  const PR = int(s.products);
  const L = int(s.lots);
  const NL = int(s.orderLines);
  const O = int(s.orders);
  const S = int(s.sessions);
  if (s.orderLines > s.lots) throw new RangeError("each lot is drawn by at most one order line");

  // One multi-statement query: one connection, one implicit transaction.
  await handle.executeSql(`
-- Loading only (SET LOCAL: gone when this query's transaction ends, so the API's connections never see it). Foreign-key checks are
-- planned when first used: on the small places and products tables the planner would pick a sequential scan
-- per inserted row, which triples the load time; with it off they use the primary keys. Sorts get memory.
SET LOCAL enable_seqscan = off;
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';
SET LOCAL maintenance_work_mem = '128MB';

-- Bulk loading as the PostgreSQL manual advises: the plain (non-unique) indexes of the tables filled here are
-- dropped and then rebuilt from their own definitions, read from the catalog (so they are exactly the
-- migrations' indexes). Built once from sorted data instead of row by row, they cost a third of the time.
-- Primary keys, unique indexes, foreign keys and CHECKs stay in force throughout.
CREATE TEMP TABLE g_index AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid = ANY (ARRAY['sessions', 'consignors', 'lots', 'orders', 'order_lines', 'order_line_lots', 'payments',
                              'order_status_history', 'notifications', 'stock_movements', 'payouts',
                              'consignor_entries', 'stock_levels']::regclass[])
  AND NOT i.indisunique AND NOT i.indisprimary;
DO $$ DECLARE r record; BEGIN FOR r IN SELECT name FROM g_index LOOP EXECUTE 'DROP INDEX ' || r.name; END LOOP; END $$;

-- h(i, salt, n): a deterministic pseudo-random integer in [0, n).
CREATE FUNCTION pg_temp.h(i bigint, salt integer, n bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$ SELECT (hashint8extended(i, salt) & 2147483647) % n $$;
-- gid('lot', 42) = 'lot_00000000000000000000000042': the shape of a TypeID, sorted like the row's time.
CREATE FUNCTION pg_temp.gid(prefix text, i bigint) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT prefix || '_' || lpad(i::text, 26, '0') $$;

CREATE TEMP TABLE g_env AS SELECT
  (SELECT id FROM coops ORDER BY id LIMIT 1) AS coop_id,
  (SELECT id FROM locations WHERE kind = 'warehouse' ORDER BY id LIMIT 1) AS warehouse_id,
  (SELECT id FROM staff_users WHERE role = 'warehouse' ORDER BY id LIMIT 1) AS warehouse_user_id,
  (SELECT password_hash FROM staff_users WHERE role = 'admin' ORDER BY id LIMIT 1) AS password_hash,
  pg_temp.gid('loc', 0) AS transit_id,
  now() - interval '365 days' AS t0,
  interval '362 days' AS span;

-- Places and people -------------------------------------------------------------------------------------
INSERT INTO locations (id, coop_id, kind, code, name_zh, name_en, village, created_at)
SELECT pg_temp.gid('loc', i), e.coop_id, 'service_point', 'SP-G' || lpad(i::text, 4, '0'),
       '村服务点' || i, 'Village point ' || i, '村' || i, e.t0
FROM g_env e, generate_series(1, ${int(s.servicePoints)}) i;
INSERT INTO locations (id, coop_id, kind, code, name_zh, name_en, created_at)
SELECT e.transit_id, e.coop_id, 'transit', 'TRANSIT-G', '在途', 'In transit', e.t0 FROM g_env e;

CREATE TEMP TABLE g_point AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM locations WHERE kind = 'service_point';
CREATE TEMP TABLE g_n AS SELECT count(*)::int AS np FROM g_point;

INSERT INTO staff_users (id, coop_id, login, password_hash, display_name, role, service_point_id, created_at)
SELECT pg_temp.gid('usr', p.n), e.coop_id, 'agent-g' || p.n, e.password_hash, '代办员' || p.n, 'agent', p.id, e.t0
FROM g_point p, g_env e
WHERE NOT EXISTS (SELECT 1 FROM staff_users s WHERE s.service_point_id = p.id);
CREATE TEMP TABLE g_agent AS
  SELECT p.n, min(s.id) AS id FROM g_point p JOIN staff_users s ON s.service_point_id = p.id GROUP BY p.n;

-- A month of agents' logins (most expired).
INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, ip)
SELECT pg_temp.gid('ses', i), a.id, md5('s' || i) || md5('t' || i),
       now() - interval '30 days' * (1 - i::float8 / ${S}),
       now() - interval '30 days' * (1 - i::float8 / ${S}) + interval '12 hours', '10.1.0.1'
FROM generate_series(0, ${S} - 1) i JOIN g_agent a ON a.n = i % (SELECT np FROM g_n);

-- A year of the agents' audit lines (intakes, payouts, hand-overs): what a miss count per agent reads through.
INSERT INTO audit_log (id, actor_user_id, action, entity_type, entity_id, created_at)
SELECT pg_temp.gid('aud', i), a.id, (ARRAY['lot.create', 'payout.create', 'pickup.handed_over', 'pickup.lookup'])[1 + i % 4],
       'order', 'ord_' || i, now() - interval '365 days' * (1 - i::float8 / 50000)
FROM generate_series(0, 49999) i JOIN g_agent a ON a.n = i % (SELECT np FROM g_n);

INSERT INTO consignors (id, coop_id, name, phone, service_point_id, village, show_on_product_pages, created_at)
SELECT pg_temp.gid('csg', i), e.coop_id, '村民' || i, '139' || lpad(i::text, 8, '0'), p.id, '村' || p.n,
       pg_temp.h(i, 1, 3) = 0, e.t0
FROM generate_series(0, ${V} - 1) i JOIN g_point p ON p.n = i % (SELECT np FROM g_n), g_env e;

-- Catalog: 4 in 5 products are villagers' produce, 1 in 5 farm supplies; 1 in 50 no longer sold --------
CREATE TEMP TABLE g_product AS
SELECT i AS n, pg_temp.gid('prd', i) AS id,
       CASE WHEN i % 5 = 0 THEN 'supply' ELSE 'produce' END AS kind,
       CASE i % 5 WHEN 0 THEN 'bag' WHEN 1 THEN 'piece' WHEN 2 THEN 'piece' WHEN 3 THEN 'gram' ELSE 'ml' END AS unit,
       (CASE i % 5 WHEN 0 THEN 5000 + pg_temp.h(i, 2, 25000) WHEN 3 THEN 1 + pg_temp.h(i, 2, 9)
                   WHEN 4 THEN 1 + pg_temp.h(i, 2, 4) ELSE 100 + pg_temp.h(i, 2, 2900) END)::int AS price_fen,
       i % 5 IN (1, 3) AS perishable
FROM generate_series(0, ${PR} - 1) i;

INSERT INTO products (id, coop_id, sku, name_zh, name_en, description_zh, description_en, kind, unit, price_fen,
                      perishable, active, created_at, updated_at)
SELECT p.id, e.coop_id, 'GEN-' || lpad(p.n::text, 5, '0'),
       CASE WHEN p.kind = 'supply'
         THEN (ARRAY['复合肥 50kg', '水稻种子', '育秧盘', '喷雾器', '微耕机'])[1 + (p.n / 5) % 5]
         ELSE (ARRAY['土鸡蛋', '坛子菜', '豆腐乳', '干豆角', '茶油', '大米', '茶叶', '春笋', '蜂蜜', '腊肉', '土鸡'])[1 + (p.n / 5) % 11]
       END || ' ' || p.n,
       CASE WHEN p.kind = 'supply'
         THEN (ARRAY['Compound fertilizer 50 kg', 'Rice seed', 'Seedling trays', 'Sprayer', 'Small tiller'])[1 + (p.n / 5) % 5]
         ELSE (ARRAY['Free-range eggs', 'Pickled vegetables', 'Fermented tofu', 'Dried long beans', 'Camellia oil',
                     'Rice', 'Tea', 'Spring bamboo shoots', 'Honey', 'Smoked pork', 'Free-range chicken'])[1 + (p.n / 5) % 11]
       END || ' ' || p.n,
       '湖南乡村直供，供销社质检。', 'From Hunan villages, checked by the co-op.',
       p.kind, p.unit, p.price_fen, p.perishable, p.n % 50 <> 49, e.t0, e.t0
FROM g_product p, g_env e;

-- Product photos (migration 0024): 0–3 live photos per product (1 in 4 has none), plus removed ones that
-- held earlier positions, as uploads and removals over a year leave them. Rows only: the catalog never
-- reads the bytes.
CREATE TEMP TABLE g_admin AS SELECT id FROM staff_users WHERE role = 'admin' ORDER BY id LIMIT 1;
INSERT INTO product_photos (id, product_id, position, width, height, content_type, size_bytes, variant_widths,
                            uploaded_by_user_id, created_at, removed_at, removed_by_user_id)
SELECT pg_temp.gid('pph', p.n * 8 + k), p.id, k, 1600, 1200, 'image/jpeg', 900000, ARRAY[160, 320, 640, 1080],
       a.id, e.t0, NULL, NULL
FROM g_product p CROSS JOIN g_env e CROSS JOIN g_admin a CROSS JOIN generate_series(0, 2) AS q(k)
WHERE k < pg_temp.h(p.n, 40, 4)
UNION ALL
SELECT pg_temp.gid('pph', p.n * 8 + 4 + k), p.id, k, 1200, 1600, 'image/png', 700000, ARRAY[160, 320, 640, 1080],
       a.id, e.t0, e.t0 + interval '30 days', a.id
FROM g_product p CROSS JOIN g_env e CROSS JOIN g_admin a CROSS JOIN generate_series(0, 1) AS q(k)
WHERE pg_temp.h(p.n, 41, 3) = 0;

-- Lots: a year of intakes; 3 in 100 fail the quality check ----------------------------------------------
CREATE TEMP TABLE g_lot AS
WITH base AS (
  SELECT i AS n, p.id AS product_id, p.kind, p.unit, p.price_fen, p.perishable,
         CASE WHEN p.kind = 'produce' THEN pg_temp.h(i, 4, ${V}) END AS consignor_n,
         e.t0 + e.span * (i::float8 / ${L}) AS created_at,
         p.kind = 'supply' OR pg_temp.h(i, 5, 100) >= 3 AS passed,
         p.kind = 'produce' AND pg_temp.h(i, 6, 5) <> 0 AS collect,
         (CASE p.unit WHEN 'piece' THEN 30 + pg_temp.h(i, 7, 270) WHEN 'gram' THEN 5000 + pg_temp.h(i, 7, 45000)
                      WHEN 'bag' THEN 30 + pg_temp.h(i, 7, 70) ELSE 5000 + pg_temp.h(i, 7, 15000) END)::int AS received
  FROM generate_series(0, ${L} - 1) i JOIN g_product p ON p.n = pg_temp.h(i, 3, ${PR}), g_env e
)
SELECT b.*, pg_temp.gid('lot', b.n) AS id,
       pt.n AS origin_n,
       coalesce(pt.id, e.warehouse_id) AS origin_id,
       CASE WHEN pt.id IS NULL OR (b.passed AND b.collect) THEN e.warehouse_id ELSE pt.id END AS location_id,
       b.passed AND b.collect AS collected,
       CASE WHEN b.consignor_n IS NOT NULL THEN pg_temp.gid('csg', b.consignor_n) END AS consignor_id,
       coalesce(ag.id, e.warehouse_user_id) AS receiver_id
FROM base b CROSS JOIN g_env e
LEFT JOIN g_point pt ON pt.n = b.consignor_n % (SELECT np FROM g_n)
LEFT JOIN g_agent ag ON ag.n = pt.n;
ANALYZE g_lot;

-- Orders and their lines: line j draws lot floor(j * lots / lines), so each lot feeds at most one line
-- and every order is a few days younger than its lots --------------------------------------------------
CREATE TEMP TABLE g_line AS
SELECT j AS n, pg_temp.gid('oln', j) AS id, (j::bigint * ${O} / ${NL})::int AS order_n,
       l.n AS lot_n, l.id AS lot_id, l.product_id, l.location_id, l.unit, l.price_fen, l.received,
       l.consignor_n, l.consignor_id
FROM generate_series(0, ${NL} - 1) j JOIN g_lot l ON l.n = j::bigint * ${L} / ${NL}
WHERE l.passed;
ANALYZE g_line;

CREATE TEMP TABLE g_order AS
WITH o AS (
  SELECT order_n AS n, min(n) AS first_line FROM g_line GROUP BY order_n
), a AS (
  SELECT o.n, e.t0 + interval '3 days' + e.span * (o.n::float8 / ${O}) AS created_at,
         o.n >= ${O} - ${int(s.openOrders)} AS is_open,
         pg_temp.h(o.n, 10, 10) < 7 AS pickup,
         -- Picked up where its first line's stock is when that is a service point, else at some point.
         coalesce(fp.n, pg_temp.h(o.n, 11, (SELECT np FROM g_n))::int) AS point_n
  FROM o JOIN g_line fl ON fl.n = o.first_line
  LEFT JOIN g_point fp ON fp.id = fl.location_id
  CROSS JOIN g_env e
), b AS (
  SELECT a.*,
         CASE WHEN a.pickup AND pg_temp.h(a.n, 12, 2) = 0 THEN 'cash_on_pickup'
              ELSE (ARRAY['card', 'alipay', 'wechat_pay'])[1 + pg_temp.h(a.n, 13, 3)] END AS payment_method
  FROM a
), c AS (
  SELECT b.*, pg_temp.gid('ord', b.n) AS id, b.payment_method = 'cash_on_pickup' AS cash,
         CASE
           WHEN NOT b.is_open THEN CASE WHEN b.n % 50 = 0 THEN 'cancelled' WHEN b.pickup THEN 'picked_up' ELSE 'delivered' END
           WHEN b.payment_method = 'cash_on_pickup'
             THEN (ARRAY['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'packed', 'packed',
                         'ready_for_pickup', 'ready_for_pickup', 'ready_for_pickup'])[1 + pg_temp.h(b.n, 14, 10)]
           ELSE (ARRAY['pending_payment', 'pending_payment', 'paid', 'paid', 'paid', 'paid', 'packed', 'packed',
                       CASE WHEN b.pickup THEN 'ready_for_pickup' ELSE 'shipped' END,
                       CASE WHEN b.pickup THEN 'ready_for_pickup' ELSE 'shipped' END])[1 + pg_temp.h(b.n, 14, 10)]
         END AS status
  FROM b
)
SELECT c.*, p.id AS point_id, ag.id AS agent_id,
       -- Online orders are sold when paid; cash orders when handed over. Open, unsold orders hold stock.
       (NOT c.cash AND c.status NOT IN ('pending_payment', 'cancelled')) OR c.status = 'picked_up' AS sold,
       c.status <> 'cancelled' AND NOT ((NOT c.cash AND c.status NOT IN ('pending_payment', 'cancelled'))
                                        OR c.status = 'picked_up') AS reserved,
       -- 1 in 30 cash orders is an agent's assisted order for a villager of that point.
       c.cash AND pg_temp.h(c.n, 19, 30) = 0 AS assisted
FROM c JOIN g_point p ON p.n = c.point_n JOIN g_agent ag ON ag.n = c.point_n;
ANALYZE g_order;

CREATE TEMP TABLE g_oline AS
SELECT l.*, o.id AS order_id, o.sold, o.reserved, o.created_at AS order_at,
       (CASE WHEN o.sold AND o.created_at < now() - interval '60 days' AND l.n % 2 = 0 THEN l.received
             ELSE CASE l.unit WHEN 'piece' THEN 1 + pg_temp.h(l.n, 15, 10) WHEN 'gram' THEN 500 + pg_temp.h(l.n, 15, 2000)
                              WHEN 'bag' THEN 1 + pg_temp.h(l.n, 15, 3) ELSE 500 + pg_temp.h(l.n, 15, 500) END
        END)::int AS quantity
FROM g_line l JOIN g_order o ON o.n = l.order_n;
ANALYZE g_oline;

CREATE TEMP TABLE g_ordert AS
SELECT o.*, '138' || lpad(pg_temp.h(o.n, 17, 5000)::text, 8, '0') AS phone, t.subtotal,
       t.subtotal + CASE WHEN o.pickup THEN 0 ELSE 1000 END AS total
FROM g_order o
JOIN (SELECT order_id, sum(quantity::bigint * price_fen) AS subtotal FROM g_oline GROUP BY order_id) t ON t.order_id = o.id;

-- What is left of each lot: sold, then (older than 90 days) the rest written off as spoiled.
CREATE TEMP TABLE g_lotx AS
SELECT l.*, coalesce(s.qty, 0) AS sold_qty,
       CASE WHEN l.passed AND l.created_at < now() - interval '90 days' THEN l.received - coalesce(s.qty, 0) ELSE 0 END AS spoiled
FROM g_lot l LEFT JOIN (SELECT lot_n, sum(quantity)::int AS qty FROM g_oline WHERE sold GROUP BY lot_n) s ON s.lot_n = l.n;

INSERT INTO lots (id, coop_id, lot_no, product_id, consignor_id, origin_location_id, location_id, status,
                  quantity_received, on_hand, grade, best_before, qc_passed, qc_reason, received_by_user_id, created_at)
SELECT l.id, e.coop_id, 'LG' || lpad(l.n::text, 8, '0'), l.product_id, l.consignor_id, l.origin_id, l.location_id,
       CASE WHEN NOT l.passed THEN 'rejected' WHEN l.received - l.sold_qty - l.spoiled = 0 THEN 'depleted' ELSE 'in_stock' END,
       l.received, CASE WHEN l.passed THEN l.received - l.sold_qty - l.spoiled ELSE 0 END,
       CASE WHEN pg_temp.h(l.n, 16, 3) = 0 THEN 'B' ELSE 'A' END,
       CASE WHEN l.perishable THEN (l.created_at + interval '30 days')::date END,
       l.passed, CASE WHEN NOT l.passed THEN '破损，已退回' END, l.receiver_id, l.created_at
FROM g_lotx l, g_env e;

INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
                    delivery_address, payment_method, subtotal_fen, delivery_fee_fen, total_fen, access_token_hash,
                    pickup_code_hash, placed_by_user_id, on_behalf_of_consignor_id, expires_at, tracking_number,
                    created_at, updated_at)
SELECT o.id, e.coop_id, o.status, '买家' || pg_temp.h(o.n, 17, 5000), o.phone,
       CASE WHEN o.pickup THEN 'pickup' ELSE 'delivery' END,
       CASE WHEN o.pickup THEN o.point_id END,
       CASE WHEN NOT o.pickup THEN '长沙市岳麓区麓山路' || o.n || '号' END,
       o.payment_method, o.subtotal, CASE WHEN o.pickup THEN 0 ELSE 1000 END, o.total,
       -- The buyer's link token of order n is 'oat_plan_' || lpad(n, 24, '0') (see buyerToken in plans.ts).
       encode(sha256(convert_to('oat_plan_' || lpad(o.n::text, 24, '0'), 'UTF8')), 'hex'),
       -- A stand-in for the keyed hash (the API's secret is not known here): as long, as selective.
       CASE WHEN o.pickup THEN encode(sha256(convert_to('code-' || o.n, 'UTF8')), 'hex') END,
       CASE WHEN o.assisted THEN o.agent_id END,
       CASE WHEN o.assisted
         THEN pg_temp.gid('csg', o.point_n + (SELECT np FROM g_n) * pg_temp.h(o.n, 20, ${V} / (SELECT np FROM g_n))) END,
       CASE WHEN o.status = 'pending_payment' THEN o.created_at + interval '30 minutes' END,
       CASE WHEN o.status IN ('shipped', 'delivered') THEN 'SF' || lpad(o.n::text, 10, '0') END,
       o.created_at, o.created_at + interval '1 day'
FROM g_ordert o CROSS JOIN g_env e;

INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, unit_price_fen, line_total_fen)
SELECT id, order_id, product_id, location_id, quantity, price_fen, quantity::bigint * price_fen FROM g_oline;

INSERT INTO order_line_lots (order_line_id, lot_id, quantity)
SELECT id, lot_id, quantity FROM g_oline WHERE sold;

INSERT INTO payments (id, order_id, method, provider, provider_ref, amount_fen, status, received_by_user_id,
                      location_id, created_at, updated_at)
SELECT pg_temp.gid('pay', o.n), o.id, o.payment_method, CASE WHEN o.cash THEN 'cash' ELSE 'stripe' END,
       CASE WHEN NOT o.cash THEN 'pi_plan_' || o.n END, o.total,
       CASE WHEN o.cash THEN 'succeeded' WHEN o.status = 'pending_payment' THEN 'requires_action'
            WHEN o.status = 'cancelled' THEN 'canceled' ELSE 'succeeded' END,
       -- Cash names who took it and where (payments_cash_has_receiver): the point's agent.
       CASE WHEN o.cash THEN o.agent_id END, CASE WHEN o.cash THEN o.point_id END,
       o.created_at, o.created_at
FROM g_ordert o
WHERE NOT o.cash OR o.status = 'picked_up';

INSERT INTO order_status_history (id, order_id, from_status, to_status, created_at)
SELECT pg_temp.gid('osc', o.n * 8 + st.k), o.id, lag(st.s) OVER (PARTITION BY o.id ORDER BY st.k), st.s,
       o.created_at + (st.k - 1) * interval '2 minutes'
FROM g_order o
CROSS JOIN LATERAL (SELECT CASE WHEN o.cash THEN ARRAY['confirmed', 'packed', 'ready_for_pickup', 'picked_up']
                                WHEN o.pickup THEN ARRAY['pending_payment', 'paid', 'packed', 'ready_for_pickup', 'picked_up']
                                ELSE ARRAY['pending_payment', 'paid', 'packed', 'shipped', 'delivered'] END AS path) p
CROSS JOIN LATERAL unnest(CASE WHEN o.status = 'cancelled' THEN ARRAY[p.path[1], 'cancelled']
                               ELSE p.path[1:array_position(p.path, o.status)] END) WITH ORDINALITY AS st(s, k);

INSERT INTO notifications (id, channel, recipient, template, data, status, attempts, order_id, created_at, sent_at)
SELECT pg_temp.gid('ntf', o.n * 4 + x.k), 'sms', o.phone, x.template, jsonb_build_object('orderId', o.id),
       'sent', 1, o.id, o.created_at, o.created_at
FROM g_ordert o
CROSS JOIN LATERAL (VALUES (1, 'order_placed', true),
                           (2, 'order_ready_for_pickup', o.status IN ('ready_for_pickup', 'picked_up')),
                           (3, 'order_shipped', o.status IN ('shipped', 'delivered'))) AS x(k, template, wanted)
WHERE x.wanted;

-- The stock ledger, in time order -----------------------------------------------------------------------
CREATE TEMP TABLE g_mov AS
SELECT pg_temp.gid('mov', row_number() OVER (ORDER BY m.created_at, m.lot_id, m.k)) AS id, m.*
FROM (
  SELECT l.product_id, l.origin_id AS location_id, l.id AS lot_id, 'intake' AS kind, l.received AS delta,
         NULL::text AS reason, l.receiver_id AS actor, NULL::text AS order_id, NULL::text AS batch_id,
         l.created_at, 1 AS k
  FROM g_lotx l WHERE l.passed
  UNION ALL
  SELECT l.product_id, x.location_id, l.id, x.kind, x.sign * l.received, NULL, e.warehouse_user_id, NULL,
         pg_temp.gid('bat', l.n / 20 * 2 + x.leg), l.created_at + x.after, x.k
  FROM g_lotx l CROSS JOIN g_env e
  CROSS JOIN LATERAL (VALUES (2, 0, 'transfer_out', -1, l.origin_id, interval '1 day'),
                             (3, 0, 'transfer_in', 1, e.transit_id, interval '1 day'),
                             (4, 1, 'transfer_out', -1, e.transit_id, interval '2 days'),
                             (5, 1, 'transfer_in', 1, e.warehouse_id, interval '2 days')) AS x(k, leg, kind, sign, location_id, after)
  WHERE l.collected
  UNION ALL
  SELECT product_id, location_id, lot_id, 'sale', -quantity, NULL, NULL, order_id, NULL,
         order_at + interval '10 minutes', 6
  FROM g_oline WHERE sold
  UNION ALL
  SELECT product_id, location_id, id, 'spoilage', -spoiled, '过期损耗', NULL, NULL, NULL,
         created_at + interval '80 days', 7
  FROM g_lotx WHERE spoiled > 0
) m
ORDER BY 1;

INSERT INTO stock_movements (id, product_id, location_id, lot_id, kind, quantity_delta, reason, actor_user_id,
                             order_id, batch_id, created_at)
SELECT id, product_id, location_id, lot_id, kind, delta, reason, actor, order_id, batch_id, created_at FROM g_mov;

-- Villagers' money: a credit for every sale of their produce (the co-op keeps 10%), paid out each quarter.
CREATE TEMP TABLE g_credit AS
SELECT consignor_n, consignor_id, lot_id, order_id, id AS order_line_id, quantity,
       quantity::bigint * price_fen AS gross, quantity::bigint * price_fen * 1000 / 10000 AS commission,
       order_at + interval '10 minutes' AS created_at
FROM g_oline WHERE sold AND consignor_id IS NOT NULL;

CREATE TEMP TABLE g_payout AS
SELECT pg_temp.gid('pout', row_number() OVER (ORDER BY p.created_at, p.consignor_id)) AS id, p.*,
       pt.id AS point_id, ag.id AS agent_id
FROM (
  SELECT c.consignor_n, c.consignor_id, e.t0 + q.k * interval '91 days' AS created_at,
         sum(c.gross - c.commission) AS amount
  FROM g_credit c CROSS JOIN g_env e CROSS JOIN generate_series(1, 3) AS q(k)
  WHERE c.created_at > e.t0 + (q.k - 1) * interval '91 days' AND c.created_at <= e.t0 + q.k * interval '91 days'
  GROUP BY c.consignor_n, c.consignor_id, e.t0, q.k
) p
JOIN g_point pt ON pt.n = p.consignor_n % (SELECT np FROM g_n) JOIN g_agent ag ON ag.n = pt.n;

-- Each payout pays out everything earned so far, so the balance after it is 0.
INSERT INTO payouts (id, consignor_id, service_point_id, amount_fen, method, paid_by_user_id, note, balance_after_fen, created_at)
SELECT id, consignor_id, point_id, amount, 'cash', agent_id, '季度结算', 0, created_at FROM g_payout;

INSERT INTO consignor_entries (id, consignor_id, kind, amount_fen, gross_fen, commission_fen, quantity, lot_id,
                               order_id, order_line_id, payout_id, note, created_at)
SELECT pg_temp.gid('cle', row_number() OVER (ORDER BY x.created_at, x.tiebreak)), x.consignor_id, x.kind, x.amount,
       x.gross, x.commission, x.quantity, x.lot_id, x.order_id, x.order_line_id, x.payout_id, x.note, x.created_at
FROM (
  SELECT consignor_id, 'sale_credit' AS kind, gross - commission AS amount, gross, commission, quantity, lot_id,
         order_id, order_line_id, NULL::text AS payout_id, NULL::text AS note, created_at, order_line_id AS tiebreak
  FROM g_credit
  UNION ALL
  SELECT consignor_id, 'payout', -amount, NULL, NULL, NULL, NULL, NULL, NULL, id, '季度结算', created_at, id
  FROM g_payout
) x;

-- The sales ledger the reports read (decision 0044): one sale line per lot draw, as recordSale writes it,
-- with the channel rule of sale-ledger.ts; the co-op keeps the commission only on a villager's produce.
INSERT INTO sale_entries (id, coop_id, kind, order_id, order_line_id, lot_id, product_id, point_id, origin_location_id,
                          consignor_id, channel, quantity, gross_fen, commission_fen, villager_fen, created_at)
SELECT pg_temp.gid('sal', l.n), e.coop_id, 'sale', l.order_id, l.id, l.lot_id, l.product_id,
       CASE WHEN o.pickup THEN o.point_id END, g.origin_id, l.consignor_id,
       CASE WHEN o.assisted THEN 'assisted' WHEN o.cash THEN 'cash' ELSE 'online' END,
       l.quantity, l.quantity::bigint * l.price_fen,
       CASE WHEN l.consignor_id IS NOT NULL THEN l.quantity::bigint * l.price_fen * 1000 / 10000 ELSE 0 END,
       CASE WHEN l.consignor_id IS NOT NULL
            THEN l.quantity::bigint * l.price_fen - l.quantity::bigint * l.price_fen * 1000 / 10000 ELSE 0 END,
       l.order_at + interval '10 minutes'
FROM g_oline l JOIN g_ordert o ON o.id = l.order_id JOIN g_lot g ON g.n = l.lot_n CROSS JOIN g_env e
WHERE l.sold;

SELECT coop_rebuild_all_sales_rollups();

UPDATE consignors c SET balance_fen = t.total
FROM (SELECT consignor_id, sum(amount) AS total
      FROM (SELECT consignor_id, gross - commission AS amount FROM g_credit
            UNION ALL SELECT consignor_id, -amount FROM g_payout) a
      GROUP BY consignor_id) t
WHERE t.consignor_id = c.id;

-- Stock levels: the ledger's sum per product and place (a place a lot has left keeps its row at 0),
-- what open orders hold, and a low-stock threshold on 1 in 5 of the places that hold some (between half and
-- one and a half times what is there, so about half of those are low).
INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, low_stock_threshold)
SELECT m.product_id, m.location_id, m.on_hand, coalesce(r.qty, 0),
       CASE WHEN m.on_hand > 0 AND pg_temp.h(hashtext(m.product_id || m.location_id), 21, 5) = 0
            THEN 1 + (m.on_hand::bigint * (50 + pg_temp.h(hashtext(m.product_id || m.location_id), 22, 100)) / 100)::int END
FROM (SELECT product_id, location_id, sum(delta)::int AS on_hand FROM g_mov GROUP BY 1, 2) m
LEFT JOIN (SELECT product_id, location_id, sum(quantity)::int AS qty FROM g_oline WHERE reserved GROUP BY 1, 2) r
  ON r.product_id = m.product_id AND r.location_id = m.location_id;

DO $$ DECLARE r record; BEGIN FOR r IN SELECT def FROM g_index LOOP EXECUTE r.def; END LOOP; END $$;
DO $$ BEGIN IF EXISTS (SELECT def FROM g_index EXCEPT SELECT pg_get_indexdef(indexrelid) FROM pg_index) THEN RAISE EXCEPTION 'an index was not rebuilt as it was'; END IF; END $$;

DROP TABLE g_index, g_env, g_point, g_n, g_agent, g_product, g_lot, g_line, g_order, g_oline, g_ordert, g_lotx, g_mov,
           g_credit, g_payout, g_admin;
DROP FUNCTION pg_temp.h(bigint, integer, bigint), pg_temp.gid(text, bigint);
`);
  // Fresh statistics and a visibility map, as autovacuum would have left them on a database in use.
  await handle.executeSql("VACUUM ANALYZE");
}
