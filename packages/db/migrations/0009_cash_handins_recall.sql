CREATE TABLE "cash_handins" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_user_id" text NOT NULL,
	"service_point_id" text NOT NULL,
	"china_day" date NOT NULL,
	"expected_fen" bigint NOT NULL,
	"counted_fen" bigint NOT NULL,
	"difference_fen" bigint NOT NULL,
	"reason" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_by_user_id" text,
	"confirmed_at" timestamp with time zone,
	"confirmed_counted_fen" bigint,
	"confirm_note" text,
	CONSTRAINT "cash_handins_counted_non_negative" CHECK (counted_fen >= 0),
	CONSTRAINT "cash_handins_difference_adds_up" CHECK (difference_fen = counted_fen - expected_fen),
	CONSTRAINT "cash_handins_difference_has_reason" CHECK (difference_fen = 0 OR length(btrim(coalesce(reason, ''))) > 0),
	CONSTRAINT "cash_handins_confirmation_complete" CHECK ((confirmed_by_user_id IS NULL) = (confirmed_at IS NULL) AND (confirmed_at IS NULL) = (confirmed_counted_fen IS NULL)),
	CONSTRAINT "cash_handins_confirmed_counted_non_negative" CHECK (confirmed_counted_fen IS NULL OR confirmed_counted_fen >= 0),
	CONSTRAINT "cash_handins_recount_has_note" CHECK (confirmed_counted_fen IS NULL OR confirmed_counted_fen = counted_fen OR length(btrim(coalesce(confirm_note, ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE "lot_recall_orders" (
	"lot_id" text NOT NULL,
	"order_id" text NOT NULL,
	"action" text NOT NULL,
	"status_before" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_recall_orders_lot_id_order_id_pk" PRIMARY KEY("lot_id","order_id"),
	CONSTRAINT "lot_recall_orders_action_check" CHECK (action IN ('cancelled', 'refunded', 'handed_over'))
);
--> statement-breakpoint
CREATE TABLE "lot_recalls" (
	"lot_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"recalled_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "received_by_user_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "location_id" text;--> statement-breakpoint
ALTER TABLE "cash_handins" ADD CONSTRAINT "cash_handins_agent_user_id_staff_users_id_fk" FOREIGN KEY ("agent_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_handins" ADD CONSTRAINT "cash_handins_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cash_handins" ADD CONSTRAINT "cash_handins_confirmed_by_user_id_staff_users_id_fk" FOREIGN KEY ("confirmed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recall_orders" ADD CONSTRAINT "lot_recall_orders_lot_id_lot_recalls_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lot_recalls"("lot_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recall_orders" ADD CONSTRAINT "lot_recall_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_recalls" ADD CONSTRAINT "lot_recalls_recalled_by_user_id_staff_users_id_fk" FOREIGN KEY ("recalled_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cash_handins_agent_day_idx" ON "cash_handins" USING btree ("agent_user_id","china_day");--> statement-breakpoint
CREATE INDEX "cash_handins_unconfirmed_idx" ON "cash_handins" USING btree ("submitted_at") WHERE confirmed_at IS NULL;--> statement-breakpoint
CREATE INDEX "lot_recall_orders_order_idx" ON "lot_recall_orders" USING btree ("order_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_received_by_user_id_staff_users_id_fk" FOREIGN KEY ("received_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_cash_receiver_idx" ON "payments" USING btree ("received_by_user_id","created_at") WHERE received_by_user_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payouts_cash_payer_idx" ON "payouts" USING btree ("paid_by_user_id","created_at") WHERE method = 'cash';--> statement-breakpoint
-- Cash taken before this migration: the receiver is whoever recorded the hand-over.
UPDATE "payments" p SET "received_by_user_id" = h."actor_user_id", "location_id" = o."pickup_location_id"
FROM "orders" o, "order_status_history" h
WHERE p."provider" = 'cash' AND p."received_by_user_id" IS NULL AND o."id" = p."order_id"
  AND h."order_id" = o."id" AND h."to_status" = 'picked_up';--> statement-breakpoint
-- From now on cash always names who took it and where (NOT VALID: a legacy row with no history is kept).
ALTER TABLE "payments" ADD CONSTRAINT "payments_cash_has_receiver"
  CHECK ("provider" <> 'cash' OR ("received_by_user_id" IS NOT NULL AND "location_id" IS NOT NULL)) NOT VALID;
