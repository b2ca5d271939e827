ALTER TABLE "products" ADD COLUMN "search_text" text;--> statement-breakpoint
-- A rename (names or SKU) that does not write a new search text makes the old one stale: it becomes NULL,
-- which the API fills in again at start-up (domain/catalog/search-text.ts, reindexProductSearch).
CREATE OR REPLACE FUNCTION products_search_text_stale() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
    NEW.search_text := NULL;
  END IF;
  RETURN NEW;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER products_search_text_stale
BEFORE UPDATE OF name_zh, name_en, sku ON products
FOR EACH ROW
WHEN (NEW.name_zh IS DISTINCT FROM OLD.name_zh OR NEW.name_en IS DISTINCT FROM OLD.name_en
      OR NEW.sku IS DISTINCT FROM OLD.sku)
EXECUTE FUNCTION products_search_text_stale();
--> statement-breakpoint
-- Partial matches use a trigram index where the server has pg_trgm (PGlite loads it from its contrib
-- bundle, packages/db/src/client.ts). Without it, or without the right to create it, search still works
-- by ILIKE, only slower: the migration must not fail on a server that lacks the extension.
DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX IF NOT EXISTS products_search_text_trgm_idx ON products USING gin (search_text gin_trgm_ops);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'pg_trgm not created (%): catalog search runs without a trigram index', SQLERRM;
    END;
  END IF;
END
$do$;
