-- place_order, as in 0018, with one change: a pickup line comes from ONE place whenever one place can
-- serve it, as before 0018 (the point's shelf when it has enough, else the warehouse when it has enough),
-- and is split between the point's shelf and the warehouse only when neither alone has enough. Orders that
-- one place could fill are sourced exactly as before 0018 (delivery runs, pick lists and their tests see no
-- change), and the catalog's promise for a pickup point (shelf + warehouse) still holds.
CREATE OR REPLACE FUNCTION place_order(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_order_id text := p->>'order_id';
  v_method text := p->>'method';
  v_online boolean := (p->>'method') IN ('card', 'alipay', 'wechat_pay');
  v_pickup boolean := (p->>'fulfilment_type') = 'pickup';
  v_point text := p->>'service_point_id';
  v_idem jsonb := p->'idem';
  v_priced record;
  v_coop record;
  v_warehouse text;
  v_fee bigint;
  v_total bigint;
  v_status text;
  v_expires timestamptz;
  v_reserved text[];
  v_short jsonb;
  v_body jsonb;
BEGIN
  -- 1. Prices from the catalog; every product must exist and be on sale.
  SELECT coalesce(sum(i.quantity::bigint * pr.price_fen), 0) AS subtotal,
         min(pr.coop_id) AS coop_id,
         coalesce(jsonb_agg(i.product_id) FILTER (WHERE pr.id IS NULL), '[]'::jsonb) AS missing
  INTO v_priced
  FROM jsonb_to_recordset(p->'items') AS i(line_id text, product_id text, quantity integer)
  LEFT JOIN LATERAL (
    SELECT x.id, x.price_fen, x.coop_id FROM products x WHERE x.id = i.product_id AND x.active LIMIT 1
  ) pr ON true;
  IF jsonb_array_length(v_priced.missing) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_PRODUCT', DETAIL = v_priced.missing::text;
  END IF;

  -- 2. The co-op's rules, the pickup point, the warehouse.
  SELECT c.delivery_fee_fen, c.free_delivery_over_fen, c.unpaid_order_seconds INTO v_coop
  FROM coops c WHERE c.id = v_priced.coop_id;
  IF v_pickup THEN
    PERFORM 1 FROM locations l WHERE l.id = v_point AND l.kind = 'service_point' AND l.active;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_SERVICE_POINT', DETAIL = '[]';
    END IF;
  END IF;
  SELECT l.id INTO v_warehouse FROM locations l
  WHERE l.coop_id = v_priced.coop_id AND l.kind = 'warehouse' ORDER BY l.code LIMIT 1;

  v_fee := CASE
    WHEN v_pickup THEN 0
    WHEN v_coop.free_delivery_over_fen IS NOT NULL AND v_priced.subtotal >= v_coop.free_delivery_over_fen THEN 0
    ELSE v_coop.delivery_fee_fen END;
  v_total := v_priced.subtotal + v_fee;
  v_status := CASE WHEN v_online THEN 'pending_payment' ELSE 'confirmed' END;
  v_expires := CASE WHEN v_online THEN now() + make_interval(secs => v_coop.unpaid_order_seconds) END;

  -- (The planner takes jsonb_to_recordset for 100 rows and would hash-join a seq scan of the catalog; the
  -- LATERAL … LIMIT 1 lookups above and below keep every item to one index probe.)
  IF v_warehouse IS NULL THEN
    IF EXISTS (
      SELECT 1 FROM jsonb_to_recordset(p->'items') AS i(product_id text, quantity integer)
      LEFT JOIN stock_levels s ON v_pickup AND s.product_id = i.product_id AND s.location_id = v_point
      WHERE s.product_id IS NULL OR s.on_hand - s.reserved < i.quantity
    ) THEN
      RAISE EXCEPTION USING ERRCODE = 'CO409', MESSAGE = 'NO_WAREHOUSE', DETAIL = '[]';
    END IF;
  END IF;

  -- 3. Claim the idempotency key before writing anything: a concurrent request with the same key waits
  --    here until this one commits (then replays its answer) or rolls back (then runs itself). The answer
  --    is known already, so a non-online order's key is stored finished in this one INSERT.
  v_body := jsonb_build_object(
    'id', v_order_id,
    'status', v_status,
    'totalFen', v_total,
    'accessToken', p->>'access_token',
    'pickupCode', p->>'pickup_code',
    'expiresAt', to_char(v_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'payment', jsonb_build_object('method', v_method));
  IF v_idem IS NOT NULL AND jsonb_typeof(v_idem) = 'object' THEN
    INSERT INTO idempotency_keys (scope, key, method, path, request_hash, response_status, response_body,
      completed_at, resource_id)
    VALUES (v_idem->>'scope', v_idem->>'key', 'POST', v_idem->>'path', v_idem->>'request_hash',
      CASE WHEN NOT v_online THEN 201 END, v_body, CASE WHEN NOT v_online THEN now() END, v_order_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('replay', true);
    END IF;
  END IF;

  -- 4. The order and everything that goes with it.
  INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
    delivery_address, payment_method, subtotal_fen, delivery_fee_fen, total_fen, access_token_hash,
    pickup_code_hash, placed_by_user_id, expires_at, note)
  VALUES (v_order_id, v_priced.coop_id, v_status, p->>'contact_name', p->>'contact_phone',
    p->>'fulfilment_type', CASE WHEN v_pickup THEN v_point END, p->>'delivery_address', v_method,
    v_priced.subtotal, v_fee, v_total, p->>'access_token_hash', p->>'pickup_code_hash', p->>'staff_id',
    v_expires, p->>'note');

  -- A pickup line comes from the point's shelf when it has enough, else from the warehouse when it has
  -- enough, else from both: what the shelf has free, the rest from the warehouse (one order line per
  -- place). Without a warehouse (checked above) the point is asked for all of it, so a shelf emptied
  -- meanwhile ends in OUT_OF_STOCK below, never in a line without a place.
  INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, unit_price_fen, line_total_fen)
  SELECT part.id, v_order_id, i.product_id, part.location_id, part.quantity, pr.price_fen,
         part.quantity::bigint * pr.price_fen
  FROM jsonb_to_recordset(p->'items') AS i(line_id text, product_id text, quantity integer)
  JOIN LATERAL (SELECT x.price_fen FROM products x WHERE x.id = i.product_id LIMIT 1) pr ON true
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
                WHEN v_warehouse IS NULL THEN i.quantity
                WHEN coalesce(s.free, 0) >= i.quantity THEN i.quantity
                WHEN coalesce(w.free, 0) >= i.quantity THEN 0
                ELSE greatest(0, least(i.quantity, coalesce(s.free, 0))) END AS here
  ) shelf
  CROSS JOIN LATERAL (VALUES
    (i.line_id, v_point, shelf.here),
    (CASE WHEN shelf.here = 0 THEN i.line_id
          ELSE left(i.line_id, -1) || CASE WHEN right(i.line_id, 1) = 'z' THEN 'y' ELSE 'z' END END,
     v_warehouse, i.quantity - shelf.here)
  ) AS part(id, location_id, quantity)
  WHERE part.quantity > 0;

  INSERT INTO order_status_history (id, order_id, from_status, to_status, actor_user_id, note)
  VALUES (p->>'status_id', v_order_id, NULL, v_status, p->>'staff_id',
    CASE WHEN p->>'staff_id' IS NOT NULL THEN 'placed by staff' END);
  IF v_online THEN
    INSERT INTO payments (id, order_id, method, provider, amount_fen, status)
    VALUES (p->>'payment_id', v_order_id, v_method, 'stripe', v_total, 'pending');
  END IF;
  -- The SMS carries the code until it is sent; the outbox then scrubs it (jobs/outbox.ts).
  INSERT INTO notifications (id, channel, recipient, template, data, order_id)
  VALUES (p->>'notification_id', 'sms', p->>'contact_phone', 'order_placed',
    jsonb_build_object('orderId', v_order_id, 'totalFen', v_total, 'pickupCode', p->>'pickup_code'),
    v_order_id);

  -- 5. Reserve every line in ONE conditional UPDATE, last. Rows are taken in (product, place) order so
  --    two multi-line orders never wait on each other crosswise.
  WITH wanted AS (
    SELECT l.product_id, l.location_id, l.quantity FROM order_lines l
    WHERE l.order_id = v_order_id ORDER BY l.product_id, l.location_id
  ), taken AS (
    UPDATE stock_levels s SET reserved = s.reserved + w.quantity
    FROM wanted w
    WHERE s.product_id = w.product_id AND s.location_id = w.location_id
      AND s.on_hand - s.reserved >= w.quantity
    RETURNING s.product_id, s.location_id
  )
  SELECT coalesce(array_agg(product_id || ' ' || location_id), '{}') INTO v_reserved FROM taken;

  IF cardinality(v_reserved) < (SELECT count(*) FROM order_lines l WHERE l.order_id = v_order_id) THEN
    -- Per short product: what it asked for, and what the places this order can take from have free, this
    -- order's own reservations (undone by the exception) added back.
    SELECT jsonb_agg(jsonb_build_object(
             'productId', i.product_id, 'requested', i.quantity, 'available', a.free) ORDER BY i.product_id)
    INTO v_short
    FROM jsonb_to_recordset(p->'items') AS i(product_id text, quantity integer)
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
