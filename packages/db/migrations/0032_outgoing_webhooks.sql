CREATE TABLE "outgoing_events" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"type" text NOT NULL,
	"entity_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outgoing_events_type_check" CHECK (type IN ('order.placed', 'order.paid', 'order.ready_for_pickup', 'order.collected', 'lot.received', 'payout.made'))
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_status_check" CHECK (status IN ('pending', 'failed', 'succeeded', 'abandoned')),
	CONSTRAINT "webhook_deliveries_attempts_check" CHECK (attempts >= 0),
	CONSTRAINT "webhook_deliveries_due_check" CHECK ((status IN ('pending', 'failed')) = (next_attempt_at IS NOT NULL)),
	CONSTRAINT "webhook_deliveries_delivered_check" CHECK ((status = 'succeeded') = (delivered_at IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"coop_id" text NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"events" text[] NOT NULL,
	"signing_secret" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_by_user_id" text,
	CONSTRAINT "webhook_endpoints_events_check" CHECK (cardinality(events) > 0 AND events <@ ARRAY['order.placed', 'order.paid', 'order.ready_for_pickup', 'order.collected', 'lot.received', 'payout.made']::text[]),
	CONSTRAINT "webhook_endpoints_url_check" CHECK (url ~ '^https?://' AND length(url) <= 2000),
	CONSTRAINT "webhook_endpoints_disabled_check" CHECK (enabled = (disabled_at IS NULL))
);
--> statement-breakpoint
ALTER TABLE "outgoing_events" ADD CONSTRAINT "outgoing_events_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_outgoing_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outgoing_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_user_id_staff_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_disabled_by_user_id_staff_users_id_fk" FOREIGN KEY ("disabled_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outgoing_events_entity_idx" ON "outgoing_events" USING btree ("entity_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_unique" ON "webhook_deliveries" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status IN ('pending', 'failed');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_enabled_idx" ON "webhook_endpoints" USING btree ("coop_id") WHERE enabled;--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- Outgoing webhooks (decision 0045). Events are recorded by triggers, in the transaction of the change they
-- describe, whichever code made it (the place_order function, the domain modules, a job): an event is never
-- sent for a change that rolled back, nor lost for one that committed.

-- A time in the JSON of an event: UTC with a Z, whatever the session's time zone.
CREATE FUNCTION coop_json_time(at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
-- Records one event and fans it out to a delivery per enabled endpoint of the co-op subscribed to its type.
-- With no such endpoint nothing is written: the price on a hot path (placing an order) is one index probe.
CREATE FUNCTION coop_record_outgoing_event(p_coop_id text, p_type text, p_entity_id text, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_event_id text;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM webhook_endpoints WHERE coop_id = p_coop_id AND enabled AND p_type = ANY (events)
  ) THEN
    RETURN;
  END IF;
  v_event_id := new_typeid('evt');
  INSERT INTO outgoing_events (id, coop_id, type, entity_id, payload)
  VALUES (v_event_id, p_coop_id, p_type, p_entity_id, p_data);
  INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, next_attempt_at)
  SELECT new_typeid('wdl'), e.id, v_event_id, 'pending', now()
  FROM webhook_endpoints e
  WHERE e.coop_id = p_coop_id AND e.enabled AND p_type = ANY (e.events);
END
$fn$;
--> statement-breakpoint
-- An order's status line: its first line is order.placed; paid (or a campaign pre-order's online payment),
-- ready at the service point, and collected (picked up, or delivered) are the others. A pre-order paid online
-- becomes paid again when the harvest is allocated to it: that second "paid" is not a payment, so no event.
CREATE FUNCTION coop_order_status_outgoing_event() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  o record;
  v_data jsonb;
BEGIN
  -- Most co-ops register no webhook at all: then not even the order is read.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled) THEN
    RETURN NULL;
  END IF;
  SELECT id, coop_id, total_fen, payment_method, fulfilment_type, pickup_location_id INTO o
  FROM orders WHERE id = NEW.order_id;
  v_data := jsonb_build_object(
    'orderId', o.id, 'status', NEW.to_status, 'previousStatus', NEW.from_status, 'totalFen', o.total_fen,
    'paymentMethod', o.payment_method, 'fulfilmentType', o.fulfilment_type,
    'pickupServicePointId', o.pickup_location_id, 'at', coop_json_time(NEW.created_at));
  IF NEW.from_status IS NULL THEN
    PERFORM coop_record_outgoing_event(o.coop_id, 'order.placed', o.id, v_data);
  END IF;
  IF (NEW.to_status = 'paid' AND NEW.from_status IS DISTINCT FROM 'preordered')
    OR (NEW.to_status = 'preordered' AND NEW.from_status = 'pending_payment') THEN
    PERFORM coop_record_outgoing_event(o.coop_id, 'order.paid', o.id, v_data);
  END IF;
  IF NEW.to_status = 'ready_for_pickup' THEN
    PERFORM coop_record_outgoing_event(o.coop_id, 'order.ready_for_pickup', o.id, v_data);
  END IF;
  IF NEW.to_status IN ('picked_up', 'delivered') THEN
    PERFORM coop_record_outgoing_event(o.coop_id, 'order.collected', o.id, v_data);
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER order_status_history_outgoing_event AFTER INSERT ON order_status_history
FOR EACH ROW
WHEN (NEW.from_status IS NULL
  OR NEW.to_status IN ('paid', 'preordered', 'ready_for_pickup', 'picked_up', 'delivered'))
EXECUTE FUNCTION coop_order_status_outgoing_event();
--> statement-breakpoint
-- A lot taken in: an intake that passed its quality check (a refused one goes straight back to the villager).
-- Lots split off for a delivery run (parent_lot_id) are not intakes.
CREATE FUNCTION coop_lot_outgoing_event() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM coop_record_outgoing_event(NEW.coop_id, 'lot.received', NEW.id, jsonb_build_object(
    'lotId', NEW.id, 'lotNo', NEW.lot_no, 'productId', NEW.product_id, 'consignorId', NEW.consignor_id,
    'servicePointId', NEW.origin_location_id, 'quantity', NEW.quantity_received, 'grade', NEW.grade,
    'bestBefore', NEW.best_before, 'at', coop_json_time(NEW.created_at)));
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER lots_outgoing_event AFTER INSERT ON lots
FOR EACH ROW WHEN (NEW.parent_lot_id IS NULL AND NEW.qc_passed)
EXECUTE FUNCTION coop_lot_outgoing_event();
--> statement-breakpoint
-- A villager paid out. The payout row's balance_after_fen is filled in later in its transaction, so the event
-- leaves it out rather than carry the placeholder.
CREATE FUNCTION coop_payout_outgoing_event() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  v_coop_id text;
BEGIN
  SELECT coop_id INTO v_coop_id FROM locations WHERE id = NEW.service_point_id;
  PERFORM coop_record_outgoing_event(v_coop_id, 'payout.made', NEW.id, jsonb_build_object(
    'payoutId', NEW.id, 'consignorId', NEW.consignor_id, 'servicePointId', NEW.service_point_id,
    'amountFen', NEW.amount_fen, 'method', NEW.method, 'at', coop_json_time(NEW.created_at)));
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER payouts_outgoing_event AFTER INSERT ON payouts
FOR EACH ROW EXECUTE FUNCTION coop_payout_outgoing_event();
