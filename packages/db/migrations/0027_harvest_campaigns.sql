CREATE TABLE "campaign_buyers" (
	"campaign_id" text NOT NULL,
	"phone" text NOT NULL,
	"units" integer NOT NULL,
	CONSTRAINT "campaign_buyers_campaign_id_phone_pk" PRIMARY KEY("campaign_id","phone"),
	CONSTRAINT "campaign_buyers_units_non_negative" CHECK (units >= 0)
);
--> statement-breakpoint
CREATE TABLE "campaign_pledges" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"consignor_id" text NOT NULL,
	"service_point_id" text NOT NULL,
	"units" integer NOT NULL,
	"recorded_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_pledges_one_per_villager" UNIQUE("campaign_id","consignor_id"),
	CONSTRAINT "campaign_pledges_units_positive" CHECK (units > 0)
);
--> statement-breakpoint
CREATE TABLE "harvest_campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"product_id" text NOT NULL,
	"sale_unit_id" text NOT NULL,
	"unit_size" integer NOT NULL,
	"location_id" text NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text NOT NULL,
	"price_fen" integer NOT NULL,
	"cap_units" integer NOT NULL,
	"pledged_units" integer DEFAULT 0 NOT NULL,
	"reserved_units" integer DEFAULT 0 NOT NULL,
	"allocated_units" integer DEFAULT 0 NOT NULL,
	"shortfall_units" integer,
	"per_order_limit" integer NOT NULL,
	"per_buyer_limit" integer NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"harvest_from" date NOT NULL,
	"harvest_to" date NOT NULL,
	"finished_at" timestamp with time zone,
	"created_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "harvest_campaigns_price_positive" CHECK (price_fen > 0 AND unit_size > 0),
	CONSTRAINT "harvest_campaigns_limits" CHECK (per_order_limit > 0 AND per_buyer_limit >= per_order_limit),
	CONSTRAINT "harvest_campaigns_window" CHECK (closes_at > opens_at AND harvest_to >= harvest_from),
	CONSTRAINT "harvest_campaigns_units" CHECK (cap_units > 0 AND pledged_units >= 0 AND reserved_units >= 0
        AND reserved_units <= cap_units AND reserved_units <= pledged_units
        AND allocated_units BETWEEN 0 AND reserved_units),
	CONSTRAINT "harvest_campaigns_finished_shortfall" CHECK ((finished_at IS NULL) = (shortfall_units IS NULL) AND coalesce(shortfall_units, 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_status_check";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "campaign_id" text;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "pledge_id" text;--> statement-breakpoint
ALTER TABLE "campaign_buyers" ADD CONSTRAINT "campaign_buyers_campaign_id_harvest_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."harvest_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_campaign_id_harvest_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."harvest_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_recorded_by_user_id_staff_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_campaigns" ADD CONSTRAINT "harvest_campaigns_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_campaigns" ADD CONSTRAINT "harvest_campaigns_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_campaigns" ADD CONSTRAINT "harvest_campaigns_sale_unit_id_sale_units_id_fk" FOREIGN KEY ("sale_unit_id") REFERENCES "public"."sale_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_campaigns" ADD CONSTRAINT "harvest_campaigns_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_campaigns" ADD CONSTRAINT "harvest_campaigns_created_by_user_id_staff_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_pledges_point_idx" ON "campaign_pledges" USING btree ("service_point_id","campaign_id");--> statement-breakpoint
CREATE INDEX "harvest_campaigns_unfinished_idx" ON "harvest_campaigns" USING btree ("harvest_to") WHERE finished_at IS NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_campaign_id_harvest_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."harvest_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_pledge_id_campaign_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."campaign_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_campaign_idx" ON "orders" USING btree ("campaign_id","created_at","id") WHERE campaign_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "lots_pledge_idx" ON "lots" USING btree ("pledge_id") WHERE pledge_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_one_special_sale" CHECK (flash_sale_id IS NULL OR campaign_id IS NULL);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_status_check" CHECK (status IN ('pending_payment', 'confirmed', 'paid', 'preordered', 'packed', 'shipped', 'ready_for_pickup', 'delivered', 'picked_up', 'cancelled', 'refunded'));
--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- Issue 12, harvest campaigns (decision 0047): place_order as in 0026, with `campaign_id`. Such an order has
-- one item, the campaign's sale unit, at the campaign's price, while the campaign is open (else CO400
-- NO_SUCH_CAMPAIGN / NOT_IN_CAMPAIGN, CO409 CAMPAIGN_NOT_OPEN / CAMPAIGN_ORDER_LIMIT). It is served from the
-- campaign's warehouse; a cash pre-order starts in `preordered` (an online one after its payment). It
-- reserves no stock: it holds units of the campaign — the buyer's allowance (campaign_buyers, CO409
-- CAMPAIGN_BUYER_LIMIT) and the campaign's count (CO409 OUT_OF_STOCK when the cap or the pledges are
-- reached) — until the harvest is allocated to it (domain/campaigns/allocate.ts).
CREATE OR REPLACE FUNCTION place_order(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_order_id text := p->>'order_id';
  v_method text := p->>'method';
  -- Which methods are online is the API's rule (@coop/shared ONLINE_PAYMENT_METHODS): it says so here.
  v_online boolean := (p->>'online')::boolean;
  v_consignor_id text := p->>'consignor_id';
  v_recipient text := p->>'contact_phone';
  v_basis jsonb := p->'fee_basis';
  v_pickup boolean := (p->>'fulfilment_type') = 'pickup';
  v_point text := p->>'service_point_id';
  v_idem jsonb := p->'idem';
  v_priced jsonb;
  v_items jsonb;
  v_coop_id text;
  v_subtotal bigint;
  v_coop record;
  v_warehouse text;
  v_fee bigint;
  v_total bigint;
  v_status text;
  v_expires timestamptz;
  v_reserved text[];
  v_short jsonb;
  v_body jsonb;
  v_key_done boolean;
  v_flash_id text := p->>'flash_sale_id';
  v_flash_place text;
  v_flash_units integer;
  v_flash_limit integer;
  v_flash_buckets integer;
  v_flash_start integer;
  v_flash_had integer;
  v_bucket integer;
  v_need integer;
  v_part record;
  v_sale record;
  v_campaign_id text := p->>'campaign_id';
  v_camp record;
  v_camp_place text;
  v_camp_units integer;
  v_camp_had integer;
  v_special boolean := (p->>'flash_sale_id') IS NOT NULL OR (p->>'campaign_id') IS NOT NULL;
BEGIN
  IF v_online IS NULL THEN
    RAISE EXCEPTION 'place_order: "online" is required';
  END IF;
  -- 1. Prices from the catalog (price_order_items): every product on sale, every sale unit its own and on
  --    sale, every count allowed by its unit.
  v_priced := price_order_items(p->'items');
  IF jsonb_array_length(v_priced->'missing') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_PRODUCT', DETAIL = (v_priced->'missing')::text;
  END IF;
  IF jsonb_array_length(v_priced->'missing_units') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_SALE_UNIT',
      DETAIL = (v_priced->'missing_units')::text;
  END IF;
  IF jsonb_array_length(v_priced->'bad') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'BAD_QUANTITY', DETAIL = (v_priced->'bad')::text;
  END IF;
  v_items := v_priced->'items';
  v_coop_id := v_priced->>'coop_id';
  v_subtotal := (v_priced->>'subtotal')::bigint;

  -- 1b. A flash sale order: one item, the sale's own sale unit, at the sale's price, while the sale is live.
  IF v_flash_id IS NOT NULL THEN
    SELECT * INTO v_sale FROM flash_sales f WHERE f.id = v_flash_id AND f.coop_id = v_coop_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_FLASH_SALE', DETAIL = '[]';
    END IF;
    IF v_sale.closed_at IS NOT NULL OR now() < v_sale.starts_at OR now() >= v_sale.ends_at THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'FLASH_SALE_NOT_LIVE',
        DETAIL = jsonb_build_object('startsAt', v_sale.starts_at, 'endsAt', v_sale.ends_at)::text;
    END IF;
    IF jsonb_array_length(v_items) <> 1 OR (v_items->0->>'product_id') <> v_sale.product_id
       OR (v_items->0->>'sale_unit_id') <> v_sale.sale_unit_id
       OR (v_items->0->>'size')::integer <> v_sale.unit_size THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NOT_IN_FLASH_SALE', DETAIL = '[]';
    END IF;
    v_flash_units := (v_items->0->>'units')::integer;
    v_flash_limit := v_sale.per_buyer_limit;
    v_flash_buckets := v_sale.bucket_count;
    v_flash_place := v_sale.location_id;
    IF v_flash_units > v_flash_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'FLASH_SALE_LIMIT',
        DETAIL = jsonb_build_object('limit', v_flash_limit, 'already', 0)::text;
    END IF;
    v_items := jsonb_build_array((v_items->0) || jsonb_build_object('price', v_sale.price_fen));
    v_subtotal := v_flash_units::bigint * v_sale.price_fen;
  END IF;

  -- 1c. A harvest-campaign pre-order: one item, the campaign's sale unit, at its price, while it is open.
  IF v_campaign_id IS NOT NULL THEN
    IF v_flash_id IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NOT_IN_CAMPAIGN', DETAIL = '[]';
    END IF;
    SELECT * INTO v_camp FROM harvest_campaigns h WHERE h.id = v_campaign_id AND h.coop_id = v_coop_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_CAMPAIGN', DETAIL = '[]';
    END IF;
    IF v_camp.finished_at IS NOT NULL OR now() < v_camp.opens_at OR now() >= v_camp.closes_at THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'CAMPAIGN_NOT_OPEN',
        DETAIL = jsonb_build_object('opensAt', v_camp.opens_at, 'closesAt', v_camp.closes_at)::text;
    END IF;
    IF jsonb_array_length(v_items) <> 1 OR (v_items->0->>'product_id') <> v_camp.product_id
       OR (v_items->0->>'sale_unit_id') <> v_camp.sale_unit_id
       OR (v_items->0->>'size')::integer <> v_camp.unit_size THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NOT_IN_CAMPAIGN', DETAIL = '[]';
    END IF;
    v_camp_units := (v_items->0->>'units')::integer;
    IF v_camp_units > v_camp.per_order_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'CAMPAIGN_ORDER_LIMIT',
        DETAIL = jsonb_build_object('limit', v_camp.per_order_limit)::text;
    END IF;
    v_camp_place := v_camp.location_id;
    v_items := jsonb_build_array((v_items->0) || jsonb_build_object('price', v_camp.price_fen));
    v_subtotal := v_camp_units::bigint * v_camp.price_fen;
  END IF;

  -- 2. The co-op's rules, the pickup point, the warehouse.
  SELECT c.delivery_fee_fen, c.free_delivery_over_fen, c.unpaid_order_seconds INTO v_coop
  FROM coops c WHERE c.id = v_coop_id;
  -- The delivery fee steps were made by the API from the co-op's settings as it knew them (fee_basis); if
  -- they have changed since, it is told the current ones and makes the steps again (nothing written yet).
  IF v_basis IS NULL OR jsonb_typeof(v_basis) <> 'object'
     OR (v_basis->>'coop_id') IS DISTINCT FROM v_coop_id
     OR (v_basis->>'delivery_fee_fen')::bigint IS DISTINCT FROM v_coop.delivery_fee_fen
     OR (v_basis->>'free_delivery_over_fen')::bigint IS DISTINCT FROM v_coop.free_delivery_over_fen THEN
    RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'FEE_RULE_CHANGED',
      DETAIL = jsonb_build_object('coop_id', v_coop_id, 'delivery_fee_fen', v_coop.delivery_fee_fen,
        'free_delivery_over_fen', v_coop.free_delivery_over_fen)::text;
  END IF;
  -- An order for a villager (an assisted order): the SMS goes to the phone on their own record.
  IF v_consignor_id IS NOT NULL THEN
    SELECT k.phone INTO v_recipient FROM consignors k WHERE k.id = v_consignor_id AND k.coop_id = v_coop_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_CONSIGNOR', DETAIL = '[]';
    END IF;
  END IF;
  IF v_pickup THEN
    PERFORM 1 FROM locations l WHERE l.id = v_point AND l.kind = 'service_point' AND l.active;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_SERVICE_POINT', DETAIL = '[]';
    END IF;
  END IF;
  SELECT l.id INTO v_warehouse FROM locations l
  WHERE l.coop_id = v_coop_id AND l.kind = 'warehouse' ORDER BY l.code LIMIT 1;

  -- The fee of the last step at or below the subtotal (@coop/shared feeOfSteps); the steps are the rule.
  SELECT (s.step->>'fee_fen')::bigint INTO v_fee
  FROM jsonb_array_elements(p->'delivery_fees') WITH ORDINALITY AS s(step, n)
  WHERE (s.step->>'from_fen')::bigint <= v_subtotal ORDER BY s.n DESC LIMIT 1;
  v_fee := coalesce(v_fee, 0);
  v_total := v_subtotal + v_fee;
  v_status := CASE WHEN v_online THEN 'pending_payment' WHEN v_campaign_id IS NOT NULL THEN 'preordered'
                   ELSE 'confirmed' END;
  v_expires := CASE WHEN v_online THEN now() + make_interval(secs => v_coop.unpaid_order_seconds) END;

  IF v_warehouse IS NULL AND NOT v_special THEN
    IF EXISTS (
      SELECT 1 FROM jsonb_to_recordset(v_items) AS i(product_id text, quantity integer)
      LEFT JOIN stock_levels s ON v_pickup AND s.product_id = i.product_id AND s.location_id = v_point
      WHERE s.product_id IS NULL OR s.on_hand - s.reserved < i.quantity
    ) THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'NO_WAREHOUSE', DETAIL = '[]';
    END IF;
  END IF;

  -- 3. Claim the idempotency key before writing anything (as in 0005).
  v_body := jsonb_build_object(
    'id', v_order_id,
    'status', v_status,
    'totalFen', v_total,
    'accessToken', p->>'access_token',
    -- An assisted order's code goes to the villager's phone only, never to the staff member's answer.
    'pickupCode', CASE WHEN v_consignor_id IS NULL THEN p->>'pickup_code' END,
    'expiresAt', to_char(v_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'payment', jsonb_build_object('method', v_method));
  IF v_idem IS NOT NULL AND jsonb_typeof(v_idem) = 'object' THEN
    -- Finished now (a cash order), or by the API once the answer is whole (Stripe's client secret, a
    -- payment from the villager's balance in the same transaction): place-order.ts decides (`finished`).
    v_key_done := coalesce((v_idem->>'finished')::boolean, false);
    INSERT INTO idempotency_keys (scope, key, method, path, request_hash, response_status, response_body,
      completed_at, resource_id)
    VALUES (v_idem->>'scope', v_idem->>'key', 'POST', v_idem->>'path', v_idem->>'request_hash',
      CASE WHEN v_key_done THEN 201 END, v_body, CASE WHEN v_key_done THEN now() END, v_order_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('replay', true);
    END IF;
  END IF;

  -- 4. The order and everything that goes with it.
  INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
    delivery_address, payment_method, subtotal_fen, delivery_fee_fen, total_fen, access_token_hash,
    pickup_code_hash, placed_by_user_id, on_behalf_of_consignor_id, expires_at, note, flash_sale_id,
    campaign_id)
  VALUES (v_order_id, v_coop_id, v_status, p->>'contact_name', p->>'contact_phone',
    p->>'fulfilment_type', CASE WHEN v_pickup THEN v_point END, p->>'delivery_address', v_method,
    v_subtotal, v_fee, v_total, p->>'access_token_hash', p->>'pickup_code_hash', p->>'staff_id',
    v_consignor_id, v_expires, p->>'note', v_flash_id, v_campaign_id);

  -- A pickup line comes from the point's shelf when it has enough, else from the warehouse when it has
  -- enough, else from both, in whole sale units: as many units as the shelf has free, the rest from the
  -- warehouse (one order line per place). Without a warehouse the point is asked for all of it.
  INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, sale_unit_id, units, unit_size,
    unit_price_fen, line_total_fen)
  SELECT part.id, v_order_id, i.product_id, part.location_id, part.units * i.size, i.sale_unit_id,
         part.units, i.size, i.price, part.units::bigint * i.price
  FROM jsonb_to_recordset(v_items)
    AS i(line_id text, product_id text, sale_unit_id text, units integer, size integer, price integer,
         quantity integer)
  LEFT JOIN LATERAL (
    SELECT x.on_hand - x.reserved AS free FROM stock_levels x
    WHERE v_pickup AND x.product_id = i.product_id AND x.location_id = v_point LIMIT 1
  ) s ON true
  LEFT JOIN LATERAL (
    SELECT x.on_hand - x.reserved AS free FROM stock_levels x
    WHERE v_pickup AND x.product_id = i.product_id AND x.location_id = v_warehouse LIMIT 1
  ) w ON true
  CROSS JOIN LATERAL (
    SELECT CASE WHEN NOT v_pickup OR v_special THEN 0
                WHEN v_warehouse IS NULL THEN i.units
                WHEN coalesce(s.free, 0) >= i.quantity THEN i.units
                WHEN coalesce(w.free, 0) >= i.quantity THEN 0
                ELSE greatest(0, least(i.units, coalesce(s.free, 0) / i.size)) END AS here
  ) shelf
  CROSS JOIN LATERAL (VALUES
    (i.line_id, v_point, shelf.here),
    (CASE WHEN shelf.here = 0 THEN i.line_id
          ELSE left(i.line_id, -1) || CASE WHEN right(i.line_id, 1) = 'z' THEN 'y' ELSE 'z' END END,
     coalesce(v_flash_place, v_camp_place, v_warehouse), i.units - shelf.here)
  ) AS part(id, location_id, units)
  WHERE part.units > 0;

  INSERT INTO order_status_history (id, order_id, from_status, to_status, actor_user_id, note)
  VALUES (p->>'status_id', v_order_id, NULL, v_status, p->>'staff_id',
    CASE WHEN p->>'staff_id' IS NOT NULL THEN 'placed by staff' END);
  IF v_online THEN
    INSERT INTO payments (id, order_id, method, provider, amount_fen, status)
    VALUES (p->>'payment_id', v_order_id, v_method, 'stripe', v_total, 'pending');
  END IF;
  -- The SMS carries the code until it is sent; the outbox then scrubs it (jobs/outbox.ts).
  INSERT INTO notifications (id, channel, recipient, template, data, order_id)
  VALUES (p->>'notification_id', 'sms', v_recipient, 'order_placed',
    jsonb_build_object('orderId', v_order_id, 'totalFen', v_total, 'pickupCode', p->>'pickup_code'),
    v_order_id);

  -- 5. Reserve every (product, place) in ONE conditional UPDATE, last, rows taken in (product, place) order.
  WITH wanted AS (
    SELECT l.product_id, l.location_id, sum(l.quantity) AS quantity FROM order_lines l
    WHERE l.order_id = v_order_id AND NOT v_special
    GROUP BY l.product_id, l.location_id ORDER BY l.product_id, l.location_id
  ), taken AS (
    UPDATE stock_levels s SET reserved = s.reserved + w.quantity
    FROM wanted w
    WHERE s.product_id = w.product_id AND s.location_id = w.location_id
      AND s.on_hand - s.reserved >= w.quantity
    RETURNING s.product_id, s.location_id
  )
  SELECT coalesce(array_agg(product_id || ' ' || location_id), '{}') INTO v_reserved FROM taken;

  IF NOT v_special AND cardinality(v_reserved) < (
    SELECT count(DISTINCT (l.product_id, l.location_id)) FROM order_lines l WHERE l.order_id = v_order_id
  ) THEN
    -- Per short item: the units it asked for, and the whole units of its sale unit that the places this
    -- order can take from have free, this order's own reservations (undone by the exception) added back.
    SELECT jsonb_agg(jsonb_build_object(
             'productId', i.product_id, 'saleUnitId', i.sale_unit_id, 'requested', i.units,
             'available', a.free / i.size) ORDER BY i.product_id)
    INTO v_short
    FROM jsonb_to_recordset(v_items) AS i(product_id text, sale_unit_id text, units integer, size integer)
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(greatest(0, s.on_hand - s.reserved + coalesce((
               SELECT sum(l.quantity) FROM order_lines l
               WHERE l.order_id = v_order_id AND l.product_id = s.product_id AND l.location_id = s.location_id
                 AND (s.product_id || ' ' || s.location_id) = ANY (v_reserved)), 0))), 0)::integer AS free
      FROM stock_levels s
      WHERE s.product_id = i.product_id
        AND s.location_id IN (CASE WHEN v_pickup THEN v_point END, v_warehouse)
    ) a
    WHERE EXISTS (
      SELECT 1 FROM order_lines l
      WHERE l.order_id = v_order_id AND l.product_id = i.product_id
        AND NOT ((l.product_id || ' ' || l.location_id) = ANY (v_reserved)));
    RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'OUT_OF_STOCK', DETAIL = v_short::text;
  END IF;

  -- 5b. A flash sale order's units are already held (set aside when the sale was scheduled): they are taken
  --     from the buyer's allowance and from one bucket of the sale, never from the hot stock row.
  IF v_flash_id IS NOT NULL THEN
    INSERT INTO flash_sale_buyers AS b (sale_id, phone, units)
    VALUES (v_flash_id, p->>'contact_phone', v_flash_units)
    ON CONFLICT (sale_id, phone) DO UPDATE SET units = b.units + excluded.units
      WHERE b.units + excluded.units <= v_flash_limit;
    IF NOT FOUND THEN
      SELECT b.units INTO v_flash_had FROM flash_sale_buyers b
      WHERE b.sale_id = v_flash_id AND b.phone = p->>'contact_phone';
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'FLASH_SALE_LIMIT',
        DETAIL = jsonb_build_object('limit', v_flash_limit, 'already', coalesce(v_flash_had, 0))::text;
    END IF;
    -- Start at a random bucket and take the first with enough that no one else holds; when every bucket
    -- with enough is busy, wait for one (its holder may leave it short: then the next with enough).
    v_flash_start := floor(random() * v_flash_buckets)::integer;
    FOR attempt IN 1..(2 * v_flash_buckets + 2) LOOP
      UPDATE flash_sale_buckets b SET remaining = b.remaining - v_flash_units
      WHERE b.sale_id = v_flash_id AND b.remaining >= v_flash_units AND b.bucket = (
        SELECT x.bucket FROM flash_sale_buckets x
        WHERE x.sale_id = v_flash_id AND x.remaining >= v_flash_units
        ORDER BY (x.bucket - v_flash_start + v_flash_buckets) % v_flash_buckets
        LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING b.bucket INTO v_bucket;
      EXIT WHEN v_bucket IS NOT NULL;
      EXIT WHEN NOT EXISTS (
        SELECT 1 FROM flash_sale_buckets x WHERE x.sale_id = v_flash_id AND x.remaining >= v_flash_units);
      UPDATE flash_sale_buckets b SET remaining = b.remaining - v_flash_units
      WHERE b.sale_id = v_flash_id AND b.remaining >= v_flash_units AND b.bucket = (
        SELECT x.bucket FROM flash_sale_buckets x
        WHERE x.sale_id = v_flash_id AND x.remaining >= v_flash_units
        ORDER BY (x.bucket - v_flash_start + v_flash_buckets) % v_flash_buckets
        LIMIT 1 FOR UPDATE)
      RETURNING b.bucket INTO v_bucket;
      EXIT WHEN v_bucket IS NOT NULL;
    END LOOP;
    -- More than any one bucket holds, but not more than all of them: taken across buckets, locked in order.
    IF v_bucket IS NULL THEN
      v_need := v_flash_units;
      FOR v_part IN
        SELECT x.bucket, x.remaining FROM flash_sale_buckets x
        WHERE x.sale_id = v_flash_id AND x.remaining > 0 ORDER BY x.bucket FOR UPDATE
      LOOP
        EXIT WHEN v_need = 0;
        UPDATE flash_sale_buckets b SET remaining = b.remaining - least(v_need, v_part.remaining)
        WHERE b.sale_id = v_flash_id AND b.bucket = v_part.bucket;
        v_need := v_need - least(v_need, v_part.remaining);
      END LOOP;
      IF v_need = 0 THEN
        v_bucket := -1;
      END IF;
    END IF;
    IF v_bucket IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'OUT_OF_STOCK',
        DETAIL = jsonb_build_array(jsonb_build_object(
          'productId', v_items->0->>'product_id', 'saleUnitId', v_items->0->>'sale_unit_id',
          'requested', v_flash_units,
          'available', (SELECT coalesce(sum(x.remaining), 0) FROM flash_sale_buckets x
                        WHERE x.sale_id = v_flash_id)))::text;
    END IF;
  END IF;

  -- 5c. A pre-order holds units of the campaign, not stock (there is none yet): the buyer's allowance, then
  --     the campaign's count, each one conditional statement, so no concurrency passes the limit or the cap
  --     (the smaller of the admin's cap and what villagers pledged). Cancelling takes the same rows in the
  --     same order (orders/campaign-holds.ts).
  IF v_campaign_id IS NOT NULL THEN
    INSERT INTO campaign_buyers AS b (campaign_id, phone, units)
    VALUES (v_campaign_id, p->>'contact_phone', v_camp_units)
    ON CONFLICT (campaign_id, phone) DO UPDATE SET units = b.units + excluded.units
      WHERE b.units + excluded.units <= v_camp.per_buyer_limit;
    IF NOT FOUND THEN
      SELECT b.units INTO v_camp_had FROM campaign_buyers b
      WHERE b.campaign_id = v_campaign_id AND b.phone = p->>'contact_phone';
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'CAMPAIGN_BUYER_LIMIT',
        DETAIL = jsonb_build_object('limit', v_camp.per_buyer_limit, 'already', coalesce(v_camp_had, 0))::text;
    END IF;
    UPDATE harvest_campaigns h SET reserved_units = h.reserved_units + v_camp_units
    WHERE h.id = v_campaign_id AND h.finished_at IS NULL AND now() < h.closes_at
      AND h.reserved_units + v_camp_units <= least(h.cap_units, h.pledged_units);
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'OUT_OF_STOCK',
        DETAIL = (SELECT jsonb_build_array(jsonb_build_object(
          'productId', h.product_id, 'saleUnitId', h.sale_unit_id, 'requested', v_camp_units,
          'available', greatest(0, least(h.cap_units, h.pledged_units) - h.reserved_units)))
          FROM harvest_campaigns h WHERE h.id = v_campaign_id)::text;
    END IF;
  END IF;

  RETURN jsonb_build_object('created', v_body);
END
$fn$;
