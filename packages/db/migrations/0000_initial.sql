CREATE TABLE "consignors" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"service_point_id" text NOT NULL,
	"village" text,
	"show_on_product_pages" boolean DEFAULT false NOT NULL,
	"balance_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consignors_phone_digits" CHECK (phone ~ '^[0-9]{11}$')
);
--> statement-breakpoint
CREATE TABLE "coops" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"default_commission_bps" integer DEFAULT 1000 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coops_code_unique" UNIQUE("code"),
	CONSTRAINT "coops_commission_range" CHECK (default_commission_bps BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"village" text,
	"address" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "locations_code_unique" UNIQUE("code"),
	CONSTRAINT "locations_kind_check" CHECK (kind IN ('warehouse', 'service_point', 'store')),
	CONSTRAINT "locations_service_point_has_village" CHECK (kind <> 'service_point' OR village IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "order_line_lots" (
	"order_line_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "order_line_lots_order_line_id_lot_id_pk" PRIMARY KEY("order_line_id","lot_id"),
	CONSTRAINT "order_line_lots_quantity_positive" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"product_id" text NOT NULL,
	"location_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_fen" integer NOT NULL,
	"line_total_fen" bigint NOT NULL,
	CONSTRAINT "order_lines_quantity_positive" CHECK (quantity > 0),
	CONSTRAINT "order_lines_price_non_negative" CHECK (unit_price_fen >= 0),
	CONSTRAINT "order_lines_total_adds_up" CHECK (line_total_fen = quantity::bigint * unit_price_fen)
);
--> statement-breakpoint
CREATE TABLE "order_status_history" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_user_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"status" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"fulfilment_type" text NOT NULL,
	"pickup_location_id" text,
	"delivery_address" text,
	"payment_method" text NOT NULL,
	"subtotal_fen" bigint NOT NULL,
	"delivery_fee_fen" bigint DEFAULT 0 NOT NULL,
	"total_fen" bigint NOT NULL,
	"access_token_hash" text NOT NULL,
	"pickup_code" text,
	"placed_by_user_id" text,
	"on_behalf_of_consignor_id" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_check" CHECK (status IN ('pending_payment', 'confirmed', 'paid', 'packed', 'shipped', 'ready_for_pickup', 'delivered', 'picked_up', 'cancelled', 'refunded')),
	CONSTRAINT "orders_payment_method_check" CHECK (payment_method IN ('cash_on_pickup', 'card', 'alipay', 'wechat_pay', 'consignor_balance')),
	CONSTRAINT "orders_fulfilment_check" CHECK (fulfilment_type IN ('pickup', 'delivery')),
	CONSTRAINT "orders_amounts_non_negative" CHECK (subtotal_fen >= 0 AND delivery_fee_fen >= 0),
	CONSTRAINT "orders_total_adds_up" CHECK (total_fen = subtotal_fen + delivery_fee_fen),
	CONSTRAINT "orders_fulfilment_target" CHECK ((fulfilment_type = 'pickup' AND pickup_location_id IS NOT NULL) OR (fulfilment_type = 'delivery' AND delivery_address IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"method" text NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text,
	"amount_fen" bigint NOT NULL,
	"refunded_fen" bigint DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_providerRef_unique" UNIQUE("provider_ref"),
	CONSTRAINT "payments_status_check" CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled', 'refunded', 'partially_refunded')),
	CONSTRAINT "payments_method_check" CHECK (method IN ('cash_on_pickup', 'card', 'alipay', 'wechat_pay', 'consignor_balance')),
	CONSTRAINT "payments_provider_check" CHECK (provider IN ('stripe', 'cash', 'consignor_balance')),
	CONSTRAINT "payments_amount_positive" CHECK (amount_fen > 0),
	CONSTRAINT "payments_refund_within_amount" CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"sku" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"description_zh" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"unit" text NOT NULL,
	"price_fen" integer NOT NULL,
	"commission_bps" integer,
	"perishable" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_sku_unique" UNIQUE("sku"),
	CONSTRAINT "products_kind_check" CHECK (kind IN ('produce', 'supply')),
	CONSTRAINT "products_unit_check" CHECK (unit IN ('piece', 'gram', 'ml', 'bag')),
	CONSTRAINT "products_price_non_negative" CHECK (price_fen >= 0),
	CONSTRAINT "products_commission_range" CHECK (commission_bps IS NULL OR commission_bps BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "consignor_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"consignor_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"gross_fen" bigint,
	"commission_fen" bigint,
	"quantity" integer,
	"lot_id" text,
	"order_id" text,
	"order_line_id" text,
	"payout_id" text,
	"note" text,
	"actor_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consignor_entries_kind_check" CHECK (kind IN ('sale_credit', 'deduction', 'payout', 'purchase', 'sale_reversal', 'adjustment')),
	CONSTRAINT "consignor_entries_amount_non_zero" CHECK (amount_fen <> 0),
	CONSTRAINT "consignor_entries_sign" CHECK ((kind = 'sale_credit' AND amount_fen > 0) OR (kind IN ('deduction', 'payout', 'purchase', 'sale_reversal') AND amount_fen < 0) OR kind = 'adjustment'),
	CONSTRAINT "consignor_entries_sale_split" CHECK (kind <> 'sale_credit' OR (gross_fen IS NOT NULL AND commission_fen IS NOT NULL AND gross_fen = amount_fen + commission_fen)),
	CONSTRAINT "consignor_entries_payout_link" CHECK ((kind = 'payout') = (payout_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"consignor_id" text NOT NULL,
	"service_point_id" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"method" text NOT NULL,
	"paid_by_user_id" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_amount_positive" CHECK (amount_fen > 0),
	CONSTRAINT "payouts_method_check" CHECK (method IN ('cash', 'transfer'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"user_agent" text,
	"ip" text,
	CONSTRAINT "sessions_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"login" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"service_point_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_login_unique" UNIQUE("login"),
	CONSTRAINT "staff_users_role_check" CHECK (role IN ('admin', 'warehouse', 'agent')),
	CONSTRAINT "staff_users_login_lowercase" CHECK (login = lower(login)),
	CONSTRAINT "staff_users_agent_has_point" CHECK ((role = 'agent') = (service_point_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"lot_no" text NOT NULL,
	"product_id" text NOT NULL,
	"consignor_id" text,
	"origin_location_id" text NOT NULL,
	"location_id" text NOT NULL,
	"status" text NOT NULL,
	"quantity_received" integer NOT NULL,
	"on_hand" integer NOT NULL,
	"grade" text,
	"best_before" date,
	"qc_passed" boolean NOT NULL,
	"qc_reason" text,
	"received_by_user_id" text,
	"blocked_at" timestamp with time zone,
	"blocked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_lotNo_unique" UNIQUE("lot_no"),
	CONSTRAINT "lots_status_check" CHECK (status IN ('in_stock', 'in_transit', 'depleted', 'returned', 'rejected', 'blocked')),
	CONSTRAINT "lots_quantity_positive" CHECK (quantity_received > 0),
	CONSTRAINT "lots_on_hand_non_negative" CHECK (on_hand >= 0),
	CONSTRAINT "lots_failed_qc_has_reason" CHECK (qc_passed OR length(btrim(coalesce(qc_reason, ''))) > 0),
	CONSTRAINT "lots_failed_qc_never_stocked" CHECK (qc_passed OR (on_hand = 0 AND status = 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "stock_levels" (
	"product_id" text NOT NULL,
	"location_id" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"low_stock_threshold" integer,
	CONSTRAINT "stock_levels_product_id_location_id_pk" PRIMARY KEY("product_id","location_id"),
	CONSTRAINT "stock_levels_on_hand_non_negative" CHECK (on_hand >= 0),
	CONSTRAINT "stock_levels_reserved_non_negative" CHECK (reserved >= 0),
	CONSTRAINT "stock_levels_reserved_within_on_hand" CHECK (reserved <= on_hand),
	CONSTRAINT "stock_levels_threshold_non_negative" CHECK (low_stock_threshold IS NULL OR low_stock_threshold >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"location_id" text NOT NULL,
	"lot_id" text,
	"kind" text NOT NULL,
	"quantity_delta" integer NOT NULL,
	"reason" text,
	"actor_user_id" text,
	"order_id" text,
	"batch_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_kind_check" CHECK (kind IN ('intake', 'transfer_out', 'transfer_in', 'discrepancy', 'sale', 'customer_return', 'return_to_consignor', 'spoilage', 'count_adjustment')),
	CONSTRAINT "stock_movements_delta_non_zero" CHECK (quantity_delta <> 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_user_id" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "webhook_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
ALTER TABLE "consignors" ADD CONSTRAINT "consignors_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignors" ADD CONSTRAINT "consignors_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line_lots" ADD CONSTRAINT "order_line_lots_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line_lots" ADD CONSTRAINT "order_line_lots_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_status_history" ADD CONSTRAINT "order_status_history_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_status_history" ADD CONSTRAINT "order_status_history_actor_user_id_staff_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_pickup_location_id_locations_id_fk" FOREIGN KEY ("pickup_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_placed_by_user_id_staff_users_id_fk" FOREIGN KEY ("placed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_on_behalf_of_consignor_id_consignors_id_fk" FOREIGN KEY ("on_behalf_of_consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignor_entries" ADD CONSTRAINT "consignor_entries_actor_user_id_staff_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_paid_by_user_id_staff_users_id_fk" FOREIGN KEY ("paid_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_origin_location_id_locations_id_fk" FOREIGN KEY ("origin_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_received_by_user_id_staff_users_id_fk" FOREIGN KEY ("received_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_user_id_staff_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_staff_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consignors_coop_phone_unique" ON "consignors" USING btree ("coop_id","phone");--> statement-breakpoint
CREATE INDEX "consignors_service_point_idx" ON "consignors" USING btree ("service_point_id");--> statement-breakpoint
CREATE INDEX "consignors_name_idx" ON "consignors" USING btree ("name");--> statement-breakpoint
CREATE INDEX "locations_coop_kind_idx" ON "locations" USING btree ("coop_id","kind");--> statement-breakpoint
CREATE INDEX "order_line_lots_lot_idx" ON "order_line_lots" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "order_lines_order_idx" ON "order_lines" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_lines_product_idx" ON "order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "order_status_history_order_idx" ON "order_status_history" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_status_created_idx" ON "orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "orders_pickup_location_idx" ON "orders" USING btree ("pickup_location_id","status");--> statement-breakpoint
CREATE INDEX "orders_contact_phone_idx" ON "orders" USING btree ("contact_phone");--> statement-breakpoint
CREATE INDEX "orders_expires_idx" ON "orders" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "products_kind_idx" ON "products" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "products_coop_idx" ON "products" USING btree ("coop_id");--> statement-breakpoint
CREATE INDEX "consignor_entries_consignor_time_idx" ON "consignor_entries" USING btree ("consignor_id","created_at");--> statement-breakpoint
CREATE INDEX "consignor_entries_lot_idx" ON "consignor_entries" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "payouts_consignor_idx" ON "payouts" USING btree ("consignor_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "lots_fefo_idx" ON "lots" USING btree ("product_id","location_id","best_before","created_at");--> statement-breakpoint
CREATE INDEX "lots_consignor_idx" ON "lots" USING btree ("consignor_id","created_at");--> statement-breakpoint
CREATE INDEX "lots_origin_idx" ON "lots" USING btree ("origin_location_id","created_at");--> statement-breakpoint
CREATE INDEX "stock_levels_location_idx" ON "stock_levels" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "stock_movements_lot_idx" ON "stock_movements" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "stock_movements_product_location_idx" ON "stock_movements" USING btree ("product_id","location_id","created_at");--> statement-breakpoint
CREATE INDEX "stock_movements_order_idx" ON "stock_movements" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");