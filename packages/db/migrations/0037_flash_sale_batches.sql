-- Issue 12, flash sales placed in groups (decision 0048). A live sale's orders arrive by the hundred a second
-- for one product; each placed in its own transaction costs a commit (a WAL flush), a round trip and a
-- transaction's start and end, and on two cores those, not the buckets' locks, bound the sale's rate.
-- place_orders(ps) places an array of flash orders in ONE transaction, each by place_order as before. Not in
-- a subtransaction each: a BEGIN … EXCEPTION block per order costs about half as much again as the order
-- (PL/pgSQL sets up every expression of place_order anew in each subtransaction). Instead, in a group:
-- - a flash order takes its units (take_flash_units) before it writes anything else, and its refusals
--   (FLASH_SALE_LIMIT, OUT_OF_STOCK, and FLASH_SALE_BUSY: every bucket with enough is held by another
--   transaction, which a group never waits for, lest two groups wait for each other) come back as data,
--   {"refused": {code, message, detail}}, with what it took given back and its key's claim dropped;
-- - anything else it would raise (the sale not live, a bad item, changed fee settings, a deadlock…) raises
--   and rolls back the whole group; the API then places each order of that group alone.
-- Alone, an order is placed as in 0027; a flash order or a pre-order no longer looks up the warehouse and
-- stock rows it never uses (it is served from the sale's or the campaign's own place).
--> statement-breakpoint
-- Takes a flash order's units: the phone's allowance (one conditional upsert, never past the limit), then
-- one bucket with enough, from `p_start` on (the first nobody else holds; alone it waits for a busy one, in
-- a group it never waits). Answers NULL, or the refusal with everything it took given back.
CREATE OR REPLACE FUNCTION take_flash_units(p_sale_id text, p_phone text, p_units integer, p_limit integer,
  p_buckets integer, p_start integer, p_grouped boolean) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_had integer;
  v_bucket integer;
  v_need integer;
  v_part record;
  v_busy boolean := false;
BEGIN
  INSERT INTO flash_sale_buyers AS b (sale_id, phone, units)
  VALUES (p_sale_id, p_phone, p_units)
  ON CONFLICT (sale_id, phone) DO UPDATE SET units = b.units + excluded.units
    WHERE b.units + excluded.units <= p_limit;
  IF NOT FOUND THEN
    SELECT b.units INTO v_had FROM flash_sale_buyers b WHERE b.sale_id = p_sale_id AND b.phone = p_phone;
    RETURN jsonb_build_object('code', 'CO409', 'message', 'FLASH_SALE_LIMIT',
      'detail', jsonb_build_object('limit', p_limit, 'already', coalesce(v_had, 0))::text);
  END IF;
  -- The first bucket with enough that no one else holds; when every bucket with enough is busy, wait for
  -- one (its holder may leave it short: then the next with enough).
  FOR attempt IN 1..(2 * p_buckets + 2) LOOP
    UPDATE flash_sale_buckets b SET remaining = b.remaining - p_units
    WHERE b.sale_id = p_sale_id AND b.remaining >= p_units AND b.bucket = (
      SELECT x.bucket FROM flash_sale_buckets x
      WHERE x.sale_id = p_sale_id AND x.remaining >= p_units
      ORDER BY (x.bucket - p_start + p_buckets) % p_buckets
      LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING b.bucket INTO v_bucket;
    EXIT WHEN v_bucket IS NOT NULL;
    EXIT WHEN NOT EXISTS (
      SELECT 1 FROM flash_sale_buckets x WHERE x.sale_id = p_sale_id AND x.remaining >= p_units);
    IF p_grouped THEN
      v_busy := true;
      EXIT;
    END IF;
    UPDATE flash_sale_buckets b SET remaining = b.remaining - p_units
    WHERE b.sale_id = p_sale_id AND b.remaining >= p_units AND b.bucket = (
      SELECT x.bucket FROM flash_sale_buckets x
      WHERE x.sale_id = p_sale_id AND x.remaining >= p_units
      ORDER BY (x.bucket - p_start + p_buckets) % p_buckets
      LIMIT 1 FOR UPDATE)
    RETURNING b.bucket INTO v_bucket;
    EXIT WHEN v_bucket IS NOT NULL;
  END LOOP;
  -- More than any one bucket holds, but not more than all of them: taken across buckets, locked in order
  -- (which means waiting: a group leaves that to the order placed alone).
  IF v_bucket IS NULL AND NOT v_busy THEN
    IF p_grouped AND EXISTS (
      SELECT 1 FROM flash_sale_buckets x WHERE x.sale_id = p_sale_id AND x.remaining > 0) THEN
      v_busy := true;
    ELSE
      -- Locked in bucket order, counted first, so that nothing is taken unless all of it can be.
      SELECT coalesce(sum(q.remaining), 0) INTO v_need FROM (
        SELECT x.remaining FROM flash_sale_buckets x
        WHERE x.sale_id = p_sale_id AND x.remaining > 0 ORDER BY x.bucket FOR UPDATE) q;
      IF v_need >= p_units THEN
        v_need := p_units;
        FOR v_part IN
          SELECT x.bucket, x.remaining FROM flash_sale_buckets x
          WHERE x.sale_id = p_sale_id AND x.remaining > 0 ORDER BY x.bucket
        LOOP
          EXIT WHEN v_need = 0;
          UPDATE flash_sale_buckets b SET remaining = b.remaining - least(v_need, v_part.remaining)
          WHERE b.sale_id = p_sale_id AND b.bucket = v_part.bucket;
          v_need := v_need - least(v_need, v_part.remaining);
        END LOOP;
        RETURN NULL;
      END IF;
    END IF;
  END IF;
  IF v_bucket IS NOT NULL THEN
    RETURN NULL;
  END IF;
  -- Nothing taken from the buckets: the allowance goes back (the row, when this order made it).
  DELETE FROM flash_sale_buyers b WHERE b.sale_id = p_sale_id AND b.phone = p_phone AND b.units = p_units;
  IF NOT FOUND THEN
    UPDATE flash_sale_buyers b SET units = b.units - p_units WHERE b.sale_id = p_sale_id AND b.phone = p_phone;
  END IF;
  IF v_busy THEN
    RETURN jsonb_build_object('code', 'CO503', 'message', 'FLASH_SALE_BUSY', 'detail', '[]');
  END IF;
  RETURN jsonb_build_object('code', 'CO409', 'message', 'OUT_OF_STOCK',
    'detail', (SELECT jsonb_build_array(jsonb_build_object(
      'productId', f.product_id, 'saleUnitId', f.sale_unit_id, 'requested', p_units,
      'available', (SELECT coalesce(sum(x.remaining), 0) FROM flash_sale_buckets x
                    WHERE x.sale_id = p_sale_id)))
      FROM flash_sales f WHERE f.id = p_sale_id)::text);
END
$fn$;
--> statement-breakpoint
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
  v_sale record;
  v_campaign_id text := p->>'campaign_id';
  v_camp record;
  v_camp_place text;
  v_camp_units integer;
  v_camp_had integer;
  v_special boolean := (p->>'flash_sale_id') IS NOT NULL OR (p->>'campaign_id') IS NOT NULL;
  -- Placed in a group (place_orders): other orders of this transaction may hold buckets already, and a
  -- refusal must not raise (it would undo the whole group): a flash order's are answered as data.
  v_grouped boolean := (p->>'flash_bucket_start') IS NOT NULL AND (p->>'flash_sale_id') IS NOT NULL;
  v_refusal jsonb;
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
    -- Where to start looking for a bucket: a random one, or the group's (one start for the whole group).
    v_flash_start := coalesce((p->>'flash_bucket_start')::integer % v_flash_buckets,
                              floor(random() * v_flash_buckets)::integer);
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
  -- A flash sale or a campaign serves from its own place (v_flash_place, v_camp_place).
  IF NOT v_special THEN
    SELECT l.id INTO v_warehouse FROM locations l
    WHERE l.coop_id = v_coop_id AND l.kind = 'warehouse' ORDER BY l.code LIMIT 1;
  END IF;

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

  -- 3b. In a group a flash order takes its units before writing anything else, so that a refusal (the
  --     phone's limit, sold out, every bucket with enough held by another transaction) is answered as data
  --     with nothing of this order left behind: take_flash_units gives back what it took, and the key's
  --     claim is dropped, as the rollback of a refusal does for an order placed alone.
  IF v_grouped THEN
    v_refusal := take_flash_units(v_flash_id, p->>'contact_phone', v_flash_units, v_flash_limit,
      v_flash_buckets, v_flash_start, true);
    IF v_refusal IS NOT NULL THEN
      IF v_idem IS NOT NULL AND jsonb_typeof(v_idem) = 'object' THEN
        DELETE FROM idempotency_keys k WHERE k.scope = v_idem->>'scope' AND k.key = v_idem->>'key';
      END IF;
      RETURN jsonb_build_object('refused', v_refusal);
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
    WHERE v_pickup AND NOT v_special AND x.product_id = i.product_id AND x.location_id = v_point LIMIT 1
  ) s ON true
  LEFT JOIN LATERAL (
    SELECT x.on_hand - x.reserved AS free FROM stock_levels x
    WHERE v_pickup AND NOT v_special AND x.product_id = i.product_id AND x.location_id = v_warehouse LIMIT 1
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
  --    (A flash order's or a pre-order's units are held otherwise: 5b, 5c.)
  IF NOT v_special THEN
    WITH wanted AS (
      SELECT l.product_id, l.location_id, sum(l.quantity) AS quantity FROM order_lines l
      WHERE l.order_id = v_order_id
      GROUP BY l.product_id, l.location_id ORDER BY l.product_id, l.location_id
    ), taken AS (
      UPDATE stock_levels s SET reserved = s.reserved + w.quantity
      FROM wanted w
      WHERE s.product_id = w.product_id AND s.location_id = w.location_id
        AND s.on_hand - s.reserved >= w.quantity
      RETURNING s.product_id, s.location_id
    )
    SELECT coalesce(array_agg(product_id || ' ' || location_id), '{}') INTO v_reserved FROM taken;

    IF cardinality(v_reserved) < (
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
  END IF;

  -- 5b. A flash sale order's units are already held (set aside when the sale was scheduled): they are taken
  --     from the buyer's allowance and from one bucket of the sale, never from the hot stock row (in a group
  --     that was done before the writes above, step 3b).
  IF v_flash_id IS NOT NULL AND NOT v_grouped THEN
    v_refusal := take_flash_units(v_flash_id, p->>'contact_phone', v_flash_units, v_flash_limit,
      v_flash_buckets, v_flash_start, false);
    IF v_refusal IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = v_refusal->>'code', MESSAGE = v_refusal->>'message',
        DETAIL = v_refusal->>'detail';
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
--> statement-breakpoint
-- Places each flash order of `ps` (a JSON array of place_order's arguments) in turn, in one transaction, and
-- answers place_order's answers in the same order (a refusal as {"refused": …}). Anything raised ends the
-- whole group. At most 50 orders, so no group holds its locks long.
CREATE OR REPLACE FUNCTION place_orders(ps jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_start integer := floor(random() * 64)::integer;
  v_answers jsonb := '[]'::jsonb;
  v_p jsonb;
BEGIN
  IF jsonb_typeof(ps) <> 'array' OR jsonb_array_length(ps) > 50 THEN
    RAISE EXCEPTION 'place_orders: an array of at most 50 orders';
  END IF;
  FOR v_p IN SELECT e FROM jsonb_array_elements(ps) AS t(e) LOOP
    IF (v_p->>'flash_sale_id') IS NULL THEN
      RAISE EXCEPTION 'place_orders: flash sale orders only';
    END IF;
    v_answers := v_answers || jsonb_build_array(
      place_order(v_p || jsonb_build_object('flash_bucket_start', v_start)));
  END LOOP;
  RETURN v_answers;
END
$fn$;
