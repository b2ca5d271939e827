-- The stock ledger, the villagers' money ledger and the audit log are append-only: a correction is a new
-- line, never an edit. The database refuses UPDATE and DELETE so no code path can rewrite history.
CREATE OR REPLACE FUNCTION coop_forbid_ledger_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER consignor_entries_append_only BEFORE UPDATE OR DELETE ON consignor_entries
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER stock_movements_no_truncate BEFORE TRUNCATE ON stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION coop_forbid_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER consignor_entries_no_truncate BEFORE TRUNCATE ON consignor_entries
  FOR EACH STATEMENT EXECUTE FUNCTION coop_forbid_ledger_rewrite();
