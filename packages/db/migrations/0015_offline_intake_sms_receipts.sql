CREATE TABLE "intake_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"service_point_id" text NOT NULL,
	"segment" text NOT NULL,
	"label" text,
	"registered_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "intake_devices_segment_letters" CHECK (segment ~ '^[A-Z]{1,3}$')
);
--> statement-breakpoint
CREATE TABLE "sms_delivery_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_message_id" text NOT NULL,
	"notification_id" text,
	"success" boolean NOT NULL,
	"error_code" text,
	"reported_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_receipt_prints" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"format" text NOT NULL,
	"printed_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_receipt_prints_format_check" CHECK (format IN ('pdf', 'escpos', 'screen'))
);
--> statement-breakpoint
ALTER TABLE "consignors" ADD COLUMN "client_command_id" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "send_attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "delivery_failed" boolean;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "client_command_id" text;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "intake_device_id" text;--> statement-breakpoint
ALTER TABLE "intake_devices" ADD CONSTRAINT "intake_devices_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_devices" ADD CONSTRAINT "intake_devices_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_devices" ADD CONSTRAINT "intake_devices_registered_by_user_id_staff_users_id_fk" FOREIGN KEY ("registered_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_delivery_reports" ADD CONSTRAINT "sms_delivery_reports_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_receipt_prints" ADD CONSTRAINT "lot_receipt_prints_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_receipt_prints" ADD CONSTRAINT "lot_receipt_prints_printed_by_user_id_staff_users_id_fk" FOREIGN KEY ("printed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_devices_point_segment_unique" ON "intake_devices" USING btree ("service_point_id","segment");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_delivery_reports_message_unique" ON "sms_delivery_reports" USING btree ("provider","provider_message_id");--> statement-breakpoint
CREATE INDEX "sms_delivery_reports_notification_idx" ON "sms_delivery_reports" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "lot_receipt_prints_lot_idx" ON "lot_receipt_prints" USING btree ("lot_id","created_at");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_intake_device_id_intake_devices_id_fk" FOREIGN KEY ("intake_device_id") REFERENCES "public"."intake_devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consignors" ADD CONSTRAINT "consignors_clientCommandId_unique" UNIQUE("client_command_id");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_clientCommandId_unique" UNIQUE("client_command_id");--> statement-breakpoint
-- A print record is evidence of what paper exists: never edited or removed.
CREATE TRIGGER lot_receipt_prints_append_only BEFORE UPDATE OR DELETE ON lot_receipt_prints
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
