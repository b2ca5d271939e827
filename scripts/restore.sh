#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database, then checks it: every photo a lot
# lists has its bytes, and the ledger's row counts are printed to compare with the source.
# See docs/OPERATIONS.md, "Backup and restore".
#
#   createdb -h db.example -U coop coop_restored
#   DATABASE_URL=postgres://coop@db.example/coop_restored scripts/restore.sh coop-20261201T020000Z.dump
#
# The restore runs in one transaction: it either completes or leaves the database empty. Objects are owned
# by the role in DATABASE_URL (the dump's owners and grants are not replayed), so restore as the role the
# API connects with. PG_BIN may name the folder of the client tools, as for backup.sh.
set -euo pipefail

file="${1:-}"
if [[ -z "$file" || -z "${DATABASE_URL:-}" ]]; then
  echo "usage: DATABASE_URL=postgres://…/new_database scripts/restore.sh BACKUP_FILE" >&2
  exit 2
fi
if [[ ! -r "$file" ]]; then
  echo "restore.sh: cannot read $file" >&2
  exit 2
fi
if [[ -r "${file}.sha256" ]]; then
  (cd "$(dirname -- "$file")" && sha256sum --check --quiet -- "$(basename -- "$file").sha256")
fi

bin="${PG_BIN:+${PG_BIN%/}/}"
psql=("${bin}psql" --dbname="$DATABASE_URL" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1)

# Never over a live database: a restore goes into a new one, which then replaces the old by configuration.
tables="$("${psql[@]}" -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [[ "$tables" != "0" ]]; then
  echo "restore.sh: the target database already has $tables tables; restore into a new, empty database." >&2
  exit 1
fi

"${bin}pg_restore" --dbname="$DATABASE_URL" --single-transaction --exit-on-error --no-owner --no-acl "$file"
# pg_restore (15) brings no planner statistics: gather them before the API's first queries.
"${psql[@]}" -c "ANALYZE"

missing="$("${psql[@]}" -c "SELECT count(*) FROM lot_photos p LEFT JOIN stored_files f ON f.key = p.storage_key
  WHERE f.key IS NULL OR f.size_bytes <> p.size_bytes")"
"${psql[@]}" --field-separator=' ' -c "SELECT 'restored:', (SELECT count(*) FROM lots) || ' lots,',
  (SELECT count(*) FROM lot_photos) || ' photos,', (SELECT count(*) FROM consignors) || ' villagers,',
  (SELECT count(*) FROM consignor_entries) || ' ledger entries,', (SELECT count(*) FROM orders) || ' orders,',
  (SELECT count(*) FROM staff_users) || ' staff'"
if [[ "$missing" != "0" ]]; then
  echo "restore.sh: $missing photo(s) have no bytes in stored_files: a backup from before the upgrade?" >&2
  echo "Run 'pnpm coop files:import --from <old DATA_DIR/files>' against this database (docs/OPERATIONS.md)." >&2
  exit 1
fi
echo "restore.sh: restored $file; every photo has its bytes."
