CREATE TABLE "stripe_refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"order_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"payment_intent_id" text NOT NULL,
	"delivery_run_line_id" text,
	"amount_fen" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"stripe_refund_id" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_refunds_idempotencyKey_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "stripe_refunds_status_check" CHECK (status IN ('pending', 'sent', 'failed')),
	CONSTRAINT "stripe_refunds_amount_positive" CHECK (amount_fen > 0),
	CONSTRAINT "stripe_refunds_attempts_check" CHECK (attempts >= 0),
	CONSTRAINT "stripe_refunds_sent_has_ref" CHECK ((status = 'sent') = (stripe_refund_id IS NOT NULL AND sent_at IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "stripe_refunds" ADD CONSTRAINT "stripe_refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_refunds" ADD CONSTRAINT "stripe_refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_refunds" ADD CONSTRAINT "stripe_refunds_delivery_run_line_id_delivery_run_lines_id_fk" FOREIGN KEY ("delivery_run_line_id") REFERENCES "public"."delivery_run_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stripe_refunds_due_idx" ON "stripe_refunds" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "stripe_refunds_order_idx" ON "stripe_refunds" USING btree ("order_id");