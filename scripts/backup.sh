#!/usr/bin/env bash
# Backs up the whole Co-op Market database (every table, the job queue, and the photos, which live in
# stored_files) into one pg_dump custom-format file. See docs/OPERATIONS.md, "Backup and restore".
#
#   DATABASE_URL=postgres://coop@db.example/coop scripts/backup.sh [OUT_FILE]
#
# OUT_FILE defaults to ./coop-<UTC timestamp>.dump. The file is written under a temporary name and renamed
# only once pg_dump has finished and pg_restore can read its table of contents, so a file with the final
# name is always a complete dump. A SHA-256 checksum is written beside it (OUT_FILE.sha256).
# PG_BIN may name the folder of the client tools (e.g. /usr/lib/postgresql/15/bin); pg_dump's major
# version must be at least the server's.
set -euo pipefail

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "backup.sh: set DATABASE_URL to the database to back up (postgres://…)." >&2
  echo "For the embedded PGlite database, see docs/OPERATIONS.md (stop the API, copy DATA_DIR/pglite)." >&2
  exit 2
fi

bin="${PG_BIN:+${PG_BIN%/}/}"
out="${1:-coop-$(date -u +%Y%m%dT%H%M%SZ).dump}"
partial="${out}.partial"
trap 'rm -f -- "$partial"' EXIT

# One consistent snapshot of the database (pg_dump runs in one repeatable-read transaction), so photos,
# lots and the ledger agree with each other; the API can keep running meanwhile.
"${bin}pg_dump" --dbname="$DATABASE_URL" --format=custom --file="$partial"
"${bin}pg_restore" --list "$partial" >/dev/null
mv -- "$partial" "$out"
(cd "$(dirname -- "$out")" && sha256sum -- "$(basename -- "$out")") >"${out}.sha256"

echo "backup.sh: wrote $out ($(du -h -- "$out" | cut -f1)), checksum in ${out}.sha256"
