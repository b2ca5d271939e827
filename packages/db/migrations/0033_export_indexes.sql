CREATE INDEX "orders_coop_created_idx" ON "orders" USING btree ("coop_id","created_at","id");--> statement-breakpoint
CREATE INDEX "consignor_entries_created_idx" ON "consignor_entries" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payouts_created_idx" ON "payouts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "stock_movements_created_idx" ON "stock_movements" USING btree ("created_at","id");