CREATE TABLE "product_commission_rates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "product_commission_rates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" text NOT NULL,
	"commission_bps" integer,
	"set_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_commission_rates_range" CHECK (commission_bps IS NULL OR commission_bps BETWEEN 0 AND 10000)
);
--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "opening_hours" text;--> statement-breakpoint
ALTER TABLE "product_commission_rates" ADD CONSTRAINT "product_commission_rates_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_commission_rates" ADD CONSTRAINT "product_commission_rates_set_by_user_id_staff_users_id_fk" FOREIGN KEY ("set_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_commission_rates_product_idx" ON "product_commission_rates" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_one_warehouse_per_coop" ON "locations" USING btree ("coop_id") WHERE kind = 'warehouse';--> statement-breakpoint
-- A product's commission history (decision 0026) is written by the database itself, so no writer (the API,
-- the seed, a bulk load) can change a rate without leaving its row. The API names who changed it through the
-- transaction-local setting coop.actor_user_id.
CREATE OR REPLACE FUNCTION coop_record_commission_rate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO product_commission_rates (product_id, commission_bps, set_by_user_id)
  VALUES (NEW.id, NEW.commission_bps, nullif(current_setting('coop.actor_user_id', true), ''));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER products_commission_history_insert AFTER INSERT ON products
  FOR EACH ROW EXECUTE FUNCTION coop_record_commission_rate();
--> statement-breakpoint
CREATE TRIGGER products_commission_history_update AFTER UPDATE OF commission_bps ON products
  FOR EACH ROW WHEN (OLD.commission_bps IS DISTINCT FROM NEW.commission_bps)
  EXECUTE FUNCTION coop_record_commission_rate();
--> statement-breakpoint
CREATE TRIGGER product_commission_rates_append_only BEFORE UPDATE OR DELETE ON product_commission_rates
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
-- Today's rates become each product's first row, dated when the product was made.
INSERT INTO product_commission_rates (product_id, commission_bps, created_at)
SELECT id, commission_bps, created_at FROM products;
