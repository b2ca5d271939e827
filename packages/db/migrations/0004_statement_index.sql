DROP INDEX "stock_movements_lot_idx";--> statement-breakpoint
CREATE INDEX "stock_movements_lot_idx" ON "stock_movements" USING btree ("lot_id","created_at");