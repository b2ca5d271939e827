-- Issue 10, point 2: the database keeps only a keyed hash of a pickup code. The stored answer of an order
-- request (idempotency_keys.response_body, kept 24 h for replays) held the code in plain text. It is removed
-- here, for every writer (place_order, the API's completion of an online order's key): a replay derives it
-- again from the access token in the same answer (domain/orders/place-order.ts). A `pickupCode` of null (an
-- order with no code for this caller) is kept as it is; only a code itself is never stored.
CREATE OR REPLACE FUNCTION idempotency_keys_drop_pickup_code() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.response_body := NEW.response_body - 'pickupCode';
  RETURN NEW;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER idempotency_keys_drop_pickup_code
BEFORE INSERT OR UPDATE OF response_body ON idempotency_keys
FOR EACH ROW
WHEN (jsonb_typeof(NEW.response_body -> 'pickupCode') = 'string')
EXECUTE FUNCTION idempotency_keys_drop_pickup_code();
--> statement-breakpoint
UPDATE idempotency_keys SET response_body = response_body - 'pickupCode'
WHERE jsonb_typeof(response_body -> 'pickupCode') = 'string';
