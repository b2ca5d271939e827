CREATE TABLE "sale_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"kind" text NOT NULL,
	"order_id" text NOT NULL,
	"order_line_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"product_id" text NOT NULL,
	"point_id" text,
	"origin_location_id" text NOT NULL,
	"consignor_id" text,
	"channel" text NOT NULL,
	"quantity" integer NOT NULL,
	"gross_fen" bigint NOT NULL,
	"commission_fen" bigint NOT NULL,
	"villager_fen" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sale_entries_kind_check" CHECK (kind IN ('sale', 'reversal')),
	CONSTRAINT "sale_entries_channel_check" CHECK (channel IN ('online', 'cash', 'assisted', 'campaign', 'flash_sale')),
	CONSTRAINT "sale_entries_sign" CHECK ((kind = 'sale' AND quantity > 0 AND gross_fen >= 0 AND commission_fen >= 0 AND villager_fen >= 0)
        OR (kind = 'reversal' AND quantity <= 0 AND gross_fen <= 0 AND commission_fen <= 0 AND villager_fen <= 0
            AND (quantity < 0 OR gross_fen < 0))),
	CONSTRAINT "sale_entries_split" CHECK ((consignor_id IS NOT NULL AND gross_fen = commission_fen + villager_fen)
        OR (consignor_id IS NULL AND commission_fen = 0 AND villager_fen = 0))
);
--> statement-breakpoint
CREATE TABLE "sales_rollups" (
	"coop_id" text NOT NULL,
	"dimension" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"key" text NOT NULL,
	"channel" text NOT NULL,
	"orders" integer NOT NULL,
	"quantity" bigint NOT NULL,
	"gross_fen" bigint NOT NULL,
	"commission_fen" bigint NOT NULL,
	"villager_fen" bigint NOT NULL,
	CONSTRAINT "sales_rollups_coop_id_dimension_grain_period_key_channel_pk" PRIMARY KEY("coop_id","dimension","grain","period","key","channel"),
	CONSTRAINT "sales_rollups_dimension_check" CHECK (dimension IN ('all', 'point', 'product', 'origin')),
	CONSTRAINT "sales_rollups_grain_check" CHECK (grain IN ('day', 'month')),
	CONSTRAINT "sales_rollups_channel_check" CHECK (channel IN ('online', 'cash', 'assisted', 'campaign', 'flash_sale')),
	CONSTRAINT "sales_rollups_month_start" CHECK (grain = 'day' OR extract(day FROM period) = 1)
);
--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_point_id_locations_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_origin_location_id_locations_id_fk" FOREIGN KEY ("origin_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_entries" ADD CONSTRAINT "sale_entries_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_rollups" ADD CONSTRAINT "sales_rollups_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sale_entries_created_idx" ON "sale_entries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sale_entries_order_line_idx" ON "sale_entries" USING btree ("order_line_id","lot_id");--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- The sales ledger is append-only like the other ledgers (migration 0001): a refund is a new negative line.
CREATE TRIGGER sale_entries_append_only BEFORE UPDATE OR DELETE ON sale_entries
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER sale_entries_no_truncate BEFORE TRUNCATE ON sale_entries
  FOR EACH STATEMENT EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
-- The reports cut days in China time (UTC+8, no daylight saving), whatever the session's time zone.
CREATE FUNCTION coop_china_day(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ((at AT TIME ZONE 'UTC') + interval '8 hours')::date $$;
--> statement-breakpoint
-- Recomputes the day rows of [from_day, to_day] from the sales ledger, then the month rows of every month
-- those days touch from the day rows. Delete-and-insert under one advisory lock, so it is idempotent and two
-- processes running it at once give the same rows as one (decision 0044).
CREATE FUNCTION coop_rebuild_sales_rollups(from_day date, to_day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  month_from date := date_trunc('month', from_day)::date;
  month_to date := date_trunc('month', to_day)::date;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('coop_sales_rollups'));
  DELETE FROM sales_rollups WHERE grain = 'day' AND period BETWEEN from_day AND to_day;
  INSERT INTO sales_rollups
    (coop_id, dimension, grain, period, key, channel, orders, quantity, gross_fen, commission_fen, villager_fen)
  SELECT coop_id,
    CASE WHEN GROUPING(point_id) = 0 THEN 'point'
         WHEN GROUPING(product_id) = 0 THEN 'product'
         WHEN GROUPING(origin_location_id) = 0 THEN 'origin'
         ELSE 'all' END,
    'day', day, coalesce(point_id, product_id, origin_location_id, ''), channel,
    count(DISTINCT order_id) FILTER (WHERE kind = 'sale'),
    sum(quantity), sum(gross_fen), sum(commission_fen), sum(villager_fen)
  FROM (
    SELECT e.*, coop_china_day(e.created_at) AS day FROM sale_entries e
    WHERE e.created_at >= (from_day::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
      AND e.created_at < ((to_day + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
  ) e
  GROUP BY GROUPING SETS (
    (coop_id, day, channel),
    (coop_id, day, channel, point_id),
    (coop_id, day, channel, product_id),
    (coop_id, day, channel, origin_location_id)
  );
  DELETE FROM sales_rollups WHERE grain = 'month' AND period BETWEEN month_from AND month_to;
  INSERT INTO sales_rollups
    (coop_id, dimension, grain, period, key, channel, orders, quantity, gross_fen, commission_fen, villager_fen)
  SELECT coop_id, dimension, 'month', date_trunc('month', period)::date, key, channel,
    sum(orders), sum(quantity), sum(gross_fen), sum(commission_fen), sum(villager_fen)
  FROM sales_rollups
  WHERE grain = 'day' AND period >= month_from AND period < (month_to + interval '1 month')::date
  GROUP BY coop_id, dimension, date_trunc('month', period), key, channel;
END;
$$;
--> statement-breakpoint
-- Everything again from the ledger: what the admin's "rebuild" and the bench loader run.
CREATE FUNCTION coop_rebuild_all_sales_rollups() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first_day date;
  last_day date;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('coop_sales_rollups'));
  DELETE FROM sales_rollups;
  SELECT min(coop_china_day(created_at)), max(coop_china_day(created_at)) INTO first_day, last_day
    FROM sale_entries;
  IF first_day IS NOT NULL THEN
    PERFORM coop_rebuild_sales_rollups(first_day, last_day);
  END IF;
END;
$$;
--> statement-breakpoint
-- Sales made before this ledger existed: one line per lot each sold line drew from (order_line_lots), priced
-- as the villager's credit was (or pro rata of the line for the co-op's own goods), at the time the stock
-- left; orders refunded since get the matching negative lines. A part-refunded line keeps its full sale here.
INSERT INTO sale_entries (id, coop_id, kind, order_id, order_line_id, lot_id, product_id, point_id,
  origin_location_id, consignor_id, channel, quantity, gross_fen, commission_fen, villager_fen, created_at)
SELECT 'sal_' || md5('sale' || ol.order_line_id || ol.lot_id), o.coop_id, 'sale', o.id, l.id, lot.id,
  l.product_id,
  CASE WHEN o.fulfilment_type = 'pickup' AND pl.kind = 'service_point' THEN o.pickup_location_id END,
  lot.origin_location_id,
  CASE WHEN credit.id IS NOT NULL THEN lot.consignor_id END,
  CASE WHEN o.flash_sale_id IS NOT NULL THEN 'flash_sale'
       WHEN o.campaign_id IS NOT NULL THEN 'campaign'
       WHEN o.placed_by_user_id IS NOT NULL THEN 'assisted'
       WHEN o.payment_method = 'cash_on_pickup' THEN 'cash'
       ELSE 'online' END,
  ol.quantity,
  coalesce(credit.gross_fen, round(l.line_total_fen::numeric * ol.quantity / l.quantity)::bigint),
  coalesce(credit.commission_fen, 0),
  coalesce(credit.amount_fen, 0),
  coalesce(
    (SELECT min(m.created_at) FROM stock_movements m
      WHERE m.order_id = o.id AND m.lot_id = ol.lot_id AND m.kind = 'sale'),
    credit.created_at, o.updated_at)
FROM order_line_lots ol
JOIN order_lines l ON l.id = ol.order_line_id
JOIN orders o ON o.id = l.order_id
JOIN lots lot ON lot.id = ol.lot_id
LEFT JOIN locations pl ON pl.id = o.pickup_location_id
LEFT JOIN LATERAL (
  SELECT ce.id, ce.gross_fen, ce.commission_fen, ce.amount_fen, ce.created_at FROM consignor_entries ce
  WHERE ce.order_line_id = ol.order_line_id AND ce.lot_id = ol.lot_id AND ce.kind = 'sale_credit'
  ORDER BY ce.created_at LIMIT 1
) credit ON true;
--> statement-breakpoint
INSERT INTO sale_entries (id, coop_id, kind, order_id, order_line_id, lot_id, product_id, point_id,
  origin_location_id, consignor_id, channel, quantity, gross_fen, commission_fen, villager_fen, created_at)
SELECT 'sal_' || md5('reversal' || s.order_line_id || s.lot_id), s.coop_id, 'reversal', s.order_id,
  s.order_line_id, s.lot_id, s.product_id, s.point_id, s.origin_location_id, s.consignor_id, s.channel,
  -s.quantity, -s.gross_fen, -s.commission_fen, -s.villager_fen, o.updated_at
FROM sale_entries s JOIN orders o ON o.id = s.order_id
WHERE o.status = 'refunded' AND (s.quantity > 0 OR s.gross_fen > 0);
--> statement-breakpoint
SELECT coop_rebuild_all_sales_rollups();
