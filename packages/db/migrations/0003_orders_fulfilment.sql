CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"template" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notifications_status_check" CHECK (status IN ('pending', 'sent', 'failed')),
	CONSTRAINT "notifications_channel_check" CHECK (channel IN ('sms', 'email'))
);
--> statement-breakpoint
ALTER TABLE "coops" ADD COLUMN "delivery_fee_fen" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "coops" ADD COLUMN "free_delivery_over_fen" integer;--> statement-breakpoint
ALTER TABLE "coops" ADD COLUMN "unpaid_order_seconds" integer DEFAULT 1800 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tracking_number" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "note" text;--> statement-breakpoint
CREATE INDEX "notifications_pending_idx" ON "notifications" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "notifications_order_idx" ON "notifications" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_on_behalf_idx" ON "orders" USING btree ("on_behalf_of_consignor_id");--> statement-breakpoint
ALTER TABLE "coops" ADD CONSTRAINT "coops_delivery_fee_non_negative" CHECK (delivery_fee_fen >= 0 AND (free_delivery_over_fen IS NULL OR free_delivery_over_fen >= 0));--> statement-breakpoint
ALTER TABLE "coops" ADD CONSTRAINT "coops_unpaid_seconds_range" CHECK (unpaid_order_seconds BETWEEN 1 AND 86400);