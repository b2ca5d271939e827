DROP INDEX "orders_expires_idx";--> statement-breakpoint
DROP INDEX "orders_on_behalf_idx";--> statement-breakpoint
CREATE INDEX "stock_levels_threshold_idx" ON "stock_levels" USING btree ("product_id") WHERE low_stock_threshold IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_expires_idx" ON "orders" USING btree ("expires_at") WHERE expires_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_on_behalf_idx" ON "orders" USING btree ("on_behalf_of_consignor_id") WHERE on_behalf_of_consignor_id IS NOT NULL;