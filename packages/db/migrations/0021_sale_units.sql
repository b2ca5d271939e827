CREATE TABLE "sale_units" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"size" integer NOT NULL,
	"price_fen" integer NOT NULL,
	"min_units" integer DEFAULT 1 NOT NULL,
	"step_units" integer DEFAULT 1 NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sale_units_size_positive" CHECK (size > 0),
	CONSTRAINT "sale_units_price_non_negative" CHECK (price_fen >= 0),
	CONSTRAINT "sale_units_min_positive" CHECK (min_units >= 1),
	CONSTRAINT "sale_units_step_positive" CHECK (step_units >= 1),
	CONSTRAINT "sale_units_default_is_active" CHECK (active OR NOT is_default)
);
--> statement-breakpoint
ALTER TABLE "order_lines" DROP CONSTRAINT "order_lines_total_adds_up";--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "sale_unit_id" text;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "units" integer;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "unit_size" integer;--> statement-breakpoint
-- Lines from before sale units counted base units at a price per base unit: they become lines of a unit of
-- size 1 at their own price, so every number on them (quantity, unit price, total) stays as it was.
UPDATE "order_lines" SET "units" = "quantity", "unit_size" = 1;--> statement-breakpoint
ALTER TABLE "order_lines" ALTER COLUMN "units" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "order_lines" ALTER COLUMN "unit_size" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "sale_units" ADD CONSTRAINT "sale_units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sale_units_product_label_zh" ON "sale_units" USING btree ("product_id","label_zh");--> statement-breakpoint
CREATE UNIQUE INDEX "sale_units_one_default" ON "sale_units" USING btree ("product_id") WHERE is_default;--> statement-breakpoint
CREATE INDEX "sale_units_product_idx" ON "sale_units" USING btree ("product_id","sort_order");--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_sale_unit_id_sale_units_id_fk" FOREIGN KEY ("sale_unit_id") REFERENCES "public"."sale_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_units_positive" CHECK (units > 0 AND unit_size > 0);--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_total_adds_up" CHECK (quantity > (units - 1)::bigint * unit_size AND quantity <= units::bigint * unit_size
        AND line_total_fen BETWEEN 0 AND units::bigint * unit_price_fen
        AND (unit_size > 1 OR line_total_fen = units::bigint * unit_price_fen));
--> statement-breakpoint
-- An id for rows made here in SQL, shaped like the API's TypeIDs (prefix, "_", 26 Crockford base32 chars).
CREATE OR REPLACE FUNCTION new_typeid(prefix text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  bits bit(130) := (B'00' || ('x' || replace(gen_random_uuid()::text, '-', ''))::bit(128));
  alphabet text := '0123456789abcdefghjkmnpqrstvwxyz';
  out text := '';
BEGIN
  FOR i IN 0..25 LOOP
    out := out || substr(alphabet, substring(bits FROM i * 5 + 1 FOR 5)::integer + 1, 1);
  END LOOP;
  RETURN prefix || '_' || out;
END
$fn$;
--> statement-breakpoint
-- Every product gets a default sale unit from its price per base unit, so what it costs does not change:
-- by the piece 个 (1); by weight 斤 (500 g, price × 500); oil and other liquids 500毫升 (500 ml, price × 500);
-- bags 袋 (1). A price too large to multiply stays per base unit (克 / 毫升, size 1).
INSERT INTO sale_units (id, product_id, label_zh, label_en, size, price_fen, is_default, sort_order)
SELECT new_typeid('sun'), p.id, u.label_zh, u.label_en, u.size, p.price_fen * u.size, true, 0
FROM products p
CROSS JOIN LATERAL (
  SELECT * FROM (VALUES
    ('piece', '个', 'piece', 1),
    ('gram', '斤', 'jin (500 g)', 500),
    ('ml', '500毫升', '500 ml', 500),
    ('bag', '袋', 'bag', 1)) v(unit, label_zh, label_en, size)
  WHERE v.unit = p.unit AND p.price_fen::bigint * v.size <= 2147483647
  UNION ALL
  SELECT * FROM (VALUES ('gram', '克', 'g', 1), ('ml', '毫升', 'ml', 1)) v(unit, label_zh, label_en, size)
  WHERE v.unit = p.unit AND p.price_fen::bigint * 500 > 2147483647
) u;
--> statement-breakpoint
UPDATE products p SET price_fen = s.price_fen
FROM sale_units s WHERE s.product_id = p.id AND s.is_default AND p.price_fen <> s.price_fen;
--> statement-breakpoint
-- products.price_fen is the default sale unit's price (the catalog reads it without a join): the two are
-- kept equal here, whichever is written. A product inserted without sale units (the seed, older writers)
-- gets a default unit of one base unit at its price.
CREATE OR REPLACE FUNCTION products_default_sale_unit() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sale_units (id, product_id, label_zh, label_en, size, price_fen, is_default, sort_order)
    SELECT new_typeid('sun'), NEW.id, v.label_zh, v.label_en, 1, NEW.price_fen, true, 0
    FROM (VALUES ('piece', '个', 'piece'), ('gram', '克', 'g'), ('ml', '毫升', 'ml'), ('bag', '袋', 'bag'))
      v(unit, label_zh, label_en)
    WHERE v.unit = NEW.unit;
  ELSIF NEW.price_fen IS DISTINCT FROM OLD.price_fen THEN
    UPDATE sale_units SET price_fen = NEW.price_fen, updated_at = now()
    WHERE product_id = NEW.id AND is_default AND price_fen <> NEW.price_fen;
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER products_default_sale_unit AFTER INSERT OR UPDATE OF price_fen ON products
FOR EACH ROW EXECUTE FUNCTION products_default_sale_unit();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sale_units_default_price() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.is_default THEN
    UPDATE products SET price_fen = NEW.price_fen WHERE id = NEW.product_id AND price_fen <> NEW.price_fen;
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER sale_units_default_price AFTER INSERT OR UPDATE OF price_fen, is_default ON sale_units
FOR EACH ROW EXECUTE FUNCTION sale_units_default_price();
--> statement-breakpoint
-- A writer from before sale units inserts base units at a price per base unit: its line is one of size 1.
CREATE OR REPLACE FUNCTION order_lines_base_unit_line() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.units IS NULL THEN
    NEW.units := NEW.quantity;
    NEW.unit_size := coalesce(NEW.unit_size, 1);
  END IF;
  RETURN NEW;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER order_lines_base_unit_line BEFORE INSERT ON order_lines
FOR EACH ROW EXECUTE FUNCTION order_lines_base_unit_line();
--> statement-breakpoint
-- The one pricing rule for order items, used by place_order and by assisted orders (domain/orders/
-- assisted-order.ts): each item {product_id, sale_unit_id?, quantity} counts `quantity` units of its sale
-- unit (sale_unit_id, else the product's default) at that unit's price. Answers the subtotal, the co-op, and
-- what is wrong: products not on sale, sale units not the product's or not on sale, counts below the unit's
-- minimum, off its step, or over 1,000,000 base units. (LATERAL … LIMIT 1: one index probe per item.)
CREATE OR REPLACE FUNCTION price_order_items(p_items jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
         'subtotal', coalesce(sum(i.quantity::bigint * su.price_fen), 0),
         'coop_id', min(pr.coop_id),
         'missing', coalesce(jsonb_agg(i.product_id) FILTER (WHERE pr.id IS NULL), '[]'::jsonb),
         'missing_units', coalesce(jsonb_agg(jsonb_build_object('productId', i.product_id,
             'saleUnitId', i.sale_unit_id)) FILTER (WHERE pr.id IS NOT NULL AND su.id IS NULL), '[]'::jsonb),
         'bad', coalesce(jsonb_agg(jsonb_build_object('productId', i.product_id, 'saleUnitId', su.id,
             'labelZh', su.label_zh, 'labelEn', su.label_en, 'size', su.size,
             'minUnits', su.min_units, 'stepUnits', su.step_units, 'quantity', i.quantity))
           FILTER (WHERE su.id IS NOT NULL AND (i.quantity < su.min_units
             OR (i.quantity - su.min_units) % su.step_units <> 0
             OR i.quantity::bigint * su.size > 1000000)), '[]'::jsonb),
         'items', coalesce(jsonb_agg(jsonb_build_object('line_id', i.line_id, 'product_id', i.product_id,
           'sale_unit_id', su.id, 'units', i.quantity, 'size', su.size, 'price', su.price_fen,
           'quantity', i.quantity::bigint * su.size)), '[]'::jsonb))
  FROM jsonb_to_recordset(p_items) AS i(line_id text, product_id text, sale_unit_id text, quantity integer)
  LEFT JOIN LATERAL (
    SELECT x.id, x.coop_id FROM products x WHERE x.id = i.product_id AND x.active LIMIT 1
  ) pr ON true
  LEFT JOIN LATERAL (
    SELECT s.id, s.size, s.price_fen, s.min_units, s.step_units, s.label_zh, s.label_en
    FROM sale_units s
    WHERE s.product_id = pr.id AND s.active
      AND CASE WHEN i.sale_unit_id IS NULL THEN s.is_default ELSE s.id = i.sale_unit_id END
    LIMIT 1
  ) su ON true
$fn$;
--> statement-breakpoint
-- place_order, as in 0019, with sale units: an item counts `quantity` units of its sale unit (`sale_unit_id`,
-- else the product's default), at the unit's price; its base quantity (units × size) is what is reserved and
-- sourced, exactly as before. A unit not of the product or not on sale → CO400 NO_SUCH_SALE_UNIT; units
-- below the unit's minimum, off its step, or more than 1,000,000 base units → CO400 BAD_QUANTITY. A pickup
-- line split between shelf and warehouse is split in whole sale units (for size 1: as before). Reservations
-- are summed per (product, place), so two units of one product (个 and 盒) in one order reserve both.
-- OUT_OF_STOCK counts in the item's own sale units (whole units available).
CREATE OR REPLACE FUNCTION place_order(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
  v_order_id text := p->>'order_id';
  v_method text := p->>'method';
  v_online boolean := (p->>'method') IN ('card', 'alipay', 'wechat_pay');
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
BEGIN
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
  IF v_pickup THEN
    PERFORM 1 FROM locations l WHERE l.id = v_point AND l.kind = 'service_point' AND l.active;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CO400', MESSAGE = 'NO_SUCH_SERVICE_POINT', DETAIL = '[]';
    END IF;
  END IF;
  SELECT l.id INTO v_warehouse FROM locations l
  WHERE l.coop_id = v_coop_id AND l.kind = 'warehouse' ORDER BY l.code LIMIT 1;

  v_fee := CASE
    WHEN v_pickup THEN 0
    WHEN v_coop.free_delivery_over_fen IS NOT NULL AND v_subtotal >= v_coop.free_delivery_over_fen THEN 0
    ELSE v_coop.delivery_fee_fen END;
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
  VALUES (v_order_id, v_coop_id, v_status, p->>'contact_name', p->>'contact_phone',
    p->>'fulfilment_type', CASE WHEN v_pickup THEN v_point END, p->>'delivery_address', v_method,
    v_subtotal, v_fee, v_total, p->>'access_token_hash', p->>'pickup_code_hash', p->>'staff_id',
    v_expires, p->>'note');

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
  VALUES (p->>'notification_id', 'sms', p->>'contact_phone', 'order_placed',
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
