-- Issue 15, item 1 (decision 0035): place_order becomes the ONE writer of orders, for buyers, staff and
-- villagers' assisted orders alike. As in 0021, with:
-- * `online` (boolean, required): whether the method is paid online, from @coop/shared isOnlinePayment; the
--   function no longer lists the methods itself. Online → pending_payment with an expiry and a pending
--   Stripe payment row; otherwise confirmed (the first status, here only).
-- * `delivery_fees` [{from_fen, fee_fen}]: the delivery fee as steps over the subtotal, made by the API from
--   the shared rule (@coop/shared deliveryFeeSteps); the function looks the subtotal up and holds no fee rule.
--   `fee_basis` {coop_id, delivery_fee_fen, free_delivery_over_fen} names the settings the steps were made
--   from; when the co-op's row differs (an admin changed it, or the API has not seen it yet) → CO409
--   FEE_RULE_CHANGED with the current settings as detail, before anything is written.
-- * `consignor_id`: an order for a villager (assisted; the API has checked the staff member may). It is
--   recorded on the order, its SMS goes to the villager's own phone, and its answer carries no pickup code.
--   A villager not of the co-op → CO400 NO_SUCH_CONSIGNOR.
-- * `idem.finished`: whether the key is answered by this call (cash) or later by the API in the same or a
--   following step (online: Stripe's client secret; set against the villager's balance: the payment in the
--   same transaction).
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
  v_status := CASE WHEN v_online THEN 'pending_payment' ELSE 'confirmed' END;
  v_expires := CASE WHEN v_online THEN now() + make_interval(secs => v_coop.unpaid_order_seconds) END;

  IF v_warehouse IS NULL THEN
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
    pickup_code_hash, placed_by_user_id, on_behalf_of_consignor_id, expires_at, note)
  VALUES (v_order_id, v_coop_id, v_status, p->>'contact_name', p->>'contact_phone',
    p->>'fulfilment_type', CASE WHEN v_pickup THEN v_point END, p->>'delivery_address', v_method,
    v_subtotal, v_fee, v_total, p->>'access_token_hash', p->>'pickup_code_hash', p->>'staff_id',
    v_consignor_id, v_expires, p->>'note');

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
    SELECT CASE WHEN NOT v_pickup THEN 0
                WHEN v_warehouse IS NULL THEN i.units
                WHEN coalesce(s.free, 0) >= i.quantity THEN i.units
                WHEN coalesce(w.free, 0) >= i.quantity THEN 0
                ELSE greatest(0, least(i.units, coalesce(s.free, 0) / i.size)) END AS here
  ) shelf
  CROSS JOIN LATERAL (VALUES
    (i.line_id, v_point, shelf.here),
    (CASE WHEN shelf.here = 0 THEN i.line_id
          ELSE left(i.line_id, -1) || CASE WHEN right(i.line_id, 1) = 'z' THEN 'y' ELSE 'z' END END,
     v_warehouse, i.units - shelf.here)
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
    WHERE l.order_id = v_order_id GROUP BY l.product_id, l.location_id ORDER BY l.product_id, l.location_id
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

  RETURN jsonb_build_object('created', v_body);
END
$fn$;
