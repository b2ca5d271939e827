CREATE TABLE "collection_run_lines" (
	"run_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"quantity_sent" integer NOT NULL,
	"quantity_received" integer,
	"discrepancy_kind" text,
	"note" text,
	CONSTRAINT "collection_run_lines_run_id_lot_id_pk" PRIMARY KEY("run_id","lot_id"),
	CONSTRAINT "collection_run_lines_sent_positive" CHECK (quantity_sent > 0),
	CONSTRAINT "collection_run_lines_received_range" CHECK (quantity_received IS NULL OR (quantity_received >= 0 AND quantity_received <= quantity_sent)),
	CONSTRAINT "collection_run_lines_discrepancy_explained" CHECK (quantity_received IS NULL OR quantity_received = quantity_sent OR discrepancy_kind IS NOT NULL),
	CONSTRAINT "collection_run_lines_kind_check" CHECK (discrepancy_kind IS NULL OR discrepancy_kind IN ('broken', 'short_weight', 'missing', 'spoiled', 'other'))
);
--> statement-breakpoint
CREATE TABLE "collection_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"from_location_id" text NOT NULL,
	"to_location_id" text NOT NULL,
	"status" text NOT NULL,
	"created_by_user_id" text NOT NULL,
	"received_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_at" timestamp with time zone,
	CONSTRAINT "collection_runs_status_check" CHECK (status IN ('in_transit', 'received')),
	CONSTRAINT "collection_runs_received_consistent" CHECK ((status = 'received') = (received_at IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "lot_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_photos_storageKey_unique" UNIQUE("storage_key"),
	CONSTRAINT "lot_photos_type_check" CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "lot_photos_size_check" CHECK (size_bytes > 0 AND size_bytes <= 5242880)
);
--> statement-breakpoint
ALTER TABLE "locations" DROP CONSTRAINT "locations_kind_check";--> statement-breakpoint
ALTER TABLE "stock_movements" DROP CONSTRAINT "stock_movements_kind_check";--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "balance_after_fen" bigint;--> statement-breakpoint
-- Existing payouts get the balance their villager had right after each one (hand-written backfill).
UPDATE "payouts" p SET "balance_after_fen" = (
  SELECT coalesce(sum(e.amount_fen), 0) FROM "consignor_entries" e
  WHERE e.consignor_id = p.consignor_id
    AND (e.created_at, e.id) <= (SELECT x.created_at, x.id FROM "consignor_entries" x WHERE x.payout_id = p.id)
);--> statement-breakpoint
ALTER TABLE "payouts" ALTER COLUMN "balance_after_fen" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "blocked_by_user_id" text;--> statement-breakpoint
ALTER TABLE "collection_run_lines" ADD CONSTRAINT "collection_run_lines_run_id_collection_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."collection_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run_lines" ADD CONSTRAINT "collection_run_lines_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_from_location_id_locations_id_fk" FOREIGN KEY ("from_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_to_location_id_locations_id_fk" FOREIGN KEY ("to_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_created_by_user_id_staff_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_received_by_user_id_staff_users_id_fk" FOREIGN KEY ("received_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_photos" ADD CONSTRAINT "lot_photos_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_photos" ADD CONSTRAINT "lot_photos_uploaded_by_user_id_staff_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_run_lines_lot_idx" ON "collection_run_lines" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "collection_runs_to_status_idx" ON "collection_runs" USING btree ("to_location_id","status","created_at");--> statement-breakpoint
CREATE INDEX "collection_runs_from_idx" ON "collection_runs" USING btree ("from_location_id","created_at");--> statement-breakpoint
CREATE INDEX "lot_photos_lot_idx" ON "lot_photos" USING btree ("lot_id");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_blocked_by_user_id_staff_users_id_fk" FOREIGN KEY ("blocked_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_kind_check" CHECK (kind IN ('warehouse', 'service_point', 'store', 'transit'));--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_kind_check" CHECK (kind IN ('intake', 'transfer_out', 'transfer_in', 'discrepancy', 'sale', 'customer_return', 'return_to_consignor', 'spoilage', 'count_adjustment', 'block', 'unblock'));