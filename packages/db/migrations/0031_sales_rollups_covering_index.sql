-- custom SQL (keep when regenerating)
-- A report reads every key of one dimension over a span of periods: with the figures in the index, that is
-- an index-only scan of the old (all-visible) months instead of a heap visit per row — 2.5× faster for a
-- prefecture's year by point (docs/BENCHMARKS.md). Drizzle's index builder has no INCLUDE, hence plain SQL.
CREATE INDEX "sales_rollups_period_figures_idx" ON "sales_rollups" USING btree ("coop_id", "dimension", "grain", "period")
  INCLUDE ("key", "channel", "orders", "quantity", "gross_fen", "commission_fen", "villager_fen");
