CREATE TABLE "buyer_login_codes" (
	"phone" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buyer_login_codes_failures_non_negative" CHECK (failures >= 0)
);
--> statement-breakpoint
CREATE TABLE "buyer_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "buyer_sessions_phone_idx" ON "buyer_sessions" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "buyer_sessions_expires_idx" ON "buyer_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "orders_contact_phone_id_idx" ON "orders" USING btree ("contact_phone","id");