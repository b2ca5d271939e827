CREATE TABLE "delivery_run_line_lots" (
	"run_line_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"split_from_lot_id" text,
	"moved" boolean NOT NULL,
	CONSTRAINT "delivery_run_line_lots_run_line_id_lot_id_pk" PRIMARY KEY("run_line_id","lot_id"),
	CONSTRAINT "delivery_run_line_lots_quantity_positive" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "delivery_run_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_line_id" text NOT NULL,
	"product_id" text NOT NULL,
	"goods" text NOT NULL,
	"quantity" integer NOT NULL,
	"quantity_received" integer,
	"discrepancy_kind" text,
	"note" text,
	"resolution" text,
	"redelivery_line_id" text,
	"resolved_by_user_id" text,
	"resolved_at" timestamp with time zone,
	"resend_of_line_id" text,
	CONSTRAINT "delivery_run_lines_quantity_positive" CHECK (quantity > 0),
	CONSTRAINT "delivery_run_lines_goods_check" CHECK (goods IN ('reserved', 'sold', 'replacement')),
	CONSTRAINT "delivery_run_lines_received_range" CHECK (quantity_received IS NULL OR (quantity_received >= 0 AND quantity_received <= quantity)),
	CONSTRAINT "delivery_run_lines_discrepancy_explained" CHECK (quantity_received IS NULL OR quantity_received = quantity OR discrepancy_kind IS NOT NULL),
	CONSTRAINT "delivery_run_lines_kind_check" CHECK (discrepancy_kind IS NULL OR discrepancy_kind IN ('broken', 'short_weight', 'missing', 'spoiled', 'other')),
	CONSTRAINT "delivery_run_lines_resolution_check" CHECK (resolution IS NULL OR (resolution IN ('resent', 'cancelled') AND quantity_received < quantity))
);
--> statement-breakpoint
CREATE TABLE "delivery_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"from_location_id" text NOT NULL,
	"to_location_id" text NOT NULL,
	"status" text NOT NULL,
	"created_by_user_id" text NOT NULL,
	"dispatched_by_user_id" text,
	"dispatched_at" timestamp with time zone,
	"received_by_user_id" text,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_runs_status_check" CHECK (status IN ('packing', 'in_transit', 'received')),
	CONSTRAINT "delivery_runs_dispatched_consistent" CHECK ((status = 'packing') = (dispatched_at IS NULL) AND (dispatched_at IS NULL) = (dispatched_by_user_id IS NULL)),
	CONSTRAINT "delivery_runs_received_consistent" CHECK ((status = 'received') = (received_at IS NOT NULL) AND (received_at IS NULL) = (received_by_user_id IS NULL))
);
--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "parent_lot_id" text;--> statement-breakpoint
ALTER TABLE "delivery_run_line_lots" ADD CONSTRAINT "delivery_run_line_lots_run_line_id_delivery_run_lines_id_fk" FOREIGN KEY ("run_line_id") REFERENCES "public"."delivery_run_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_line_lots" ADD CONSTRAINT "delivery_run_line_lots_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_line_lots" ADD CONSTRAINT "delivery_run_line_lots_split_from_lot_id_lots_id_fk" FOREIGN KEY ("split_from_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_run_id_delivery_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."delivery_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_redelivery_line_id_order_lines_id_fk" FOREIGN KEY ("redelivery_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_run_lines" ADD CONSTRAINT "delivery_run_lines_resolved_by_user_id_staff_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_from_location_id_locations_id_fk" FOREIGN KEY ("from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_to_location_id_locations_id_fk" FOREIGN KEY ("to_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_created_by_user_id_staff_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_dispatched_by_user_id_staff_users_id_fk" FOREIGN KEY ("dispatched_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_runs" ADD CONSTRAINT "delivery_runs_received_by_user_id_staff_users_id_fk" FOREIGN KEY ("received_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_run_line_lots_lot_idx" ON "delivery_run_line_lots" USING btree ("lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_run_lines_one_open_per_order_line" ON "delivery_run_lines" USING btree ("order_line_id") WHERE quantity_received IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_run_lines_one_resend" ON "delivery_run_lines" USING btree ("resend_of_line_id") WHERE resend_of_line_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "delivery_run_lines_run_idx" ON "delivery_run_lines" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "delivery_run_lines_order_idx" ON "delivery_run_lines" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_runs_one_packing_per_point" ON "delivery_runs" USING btree ("from_location_id","to_location_id") WHERE status = 'packing';--> statement-breakpoint
CREATE INDEX "delivery_runs_to_status_idx" ON "delivery_runs" USING btree ("to_location_id","status","created_at");--> statement-breakpoint
CREATE INDEX "delivery_runs_status_idx" ON "delivery_runs" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_parent_lot_id_lots_id_fk" FOREIGN KEY ("parent_lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lots_parent_idx" ON "lots" USING btree ("parent_lot_id") WHERE parent_lot_id IS NOT NULL;