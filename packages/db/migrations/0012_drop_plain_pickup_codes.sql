-- Plain pickup codes are gone from orders: the open ones were parked in legacy_pickup_codes by 0011.
ALTER TABLE "orders" DROP COLUMN "pickup_code";