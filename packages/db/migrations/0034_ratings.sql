CREATE TABLE "rating_follow_ups" (
	"id" text PRIMARY KEY NOT NULL,
	"rating_id" text NOT NULL,
	"service_point_id" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_by_user_id" text,
	"closed_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_follow_ups_status_check" CHECK (status IN ('open', 'closed')),
	CONSTRAINT "rating_follow_ups_closed_check" CHECK ((status = 'closed') = (closed_by_user_id IS NOT NULL AND closed_at IS NOT NULL AND note IS NOT NULL)),
	CONSTRAINT "rating_follow_ups_note_check" CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500)
);
--> statement-breakpoint
CREATE TABLE "rating_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"order_id" text,
	"consignor_id" text,
	"service_point_id" text NOT NULL,
	"phone" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_requests_kind_check" CHECK (kind IN ('pickup', 'payout', 'sale')),
	CONSTRAINT "rating_requests_expiry_check" CHECK (expires_at > created_at),
	CONSTRAINT "rating_requests_sale_check" CHECK ((kind = 'sale') = (order_id IS NOT NULL AND consignor_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"level" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_level_check" CHECK (level BETWEEN 1 AND 5),
	CONSTRAINT "ratings_comment_check" CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 500)
);
--> statement-breakpoint
ALTER TABLE "rating_follow_ups" ADD CONSTRAINT "rating_follow_ups_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_follow_ups" ADD CONSTRAINT "rating_follow_ups_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_follow_ups" ADD CONSTRAINT "rating_follow_ups_closed_by_user_id_staff_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_requests" ADD CONSTRAINT "rating_requests_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_requests" ADD CONSTRAINT "rating_requests_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_requests" ADD CONSTRAINT "rating_requests_consignor_id_consignors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."consignors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_requests" ADD CONSTRAINT "rating_requests_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_request_id_rating_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rating_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rating_follow_ups_rating_unique" ON "rating_follow_ups" USING btree ("rating_id");--> statement-breakpoint
CREATE INDEX "rating_follow_ups_open_idx" ON "rating_follow_ups" USING btree ("service_point_id","due_on") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "rating_requests_subject_unique" ON "rating_requests" USING btree ("kind","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_requests_sale_unique" ON "rating_requests" USING btree ("order_id","consignor_id") WHERE kind = 'sale';--> statement-breakpoint
CREATE INDEX "rating_requests_point_idx" ON "rating_requests" USING btree ("service_point_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_request_unique" ON "ratings" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "ratings_created_idx" ON "ratings" USING btree ("created_at");