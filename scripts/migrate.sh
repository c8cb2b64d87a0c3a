#!/usr/bin/env bash
# Brings a D1 database to the schema of record without losing its data.
# A new database gets schema.sql whole; an existing one gets each migrations/NNNN_*.sql above the
# version it holds, in order.
# Usage: scripts/migrate.sh --local [--persist-to DIR] | --remote
# MIGRATIONS_DIR overrides the folder of migrations (the tests use it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
where="${1:---local}"
case "$where" in --local|--remote) ;; *) fail "usage: $0 --local [--persist-to DIR] | --remote" ;; esac
shift || true
target=("$where" "$@")
migrations="${MIGRATIONS_DIR:-migrations}"

d1() { "${WRANGLER[@]}" d1 execute DB "${target[@]}" "$@"; }

# Prints the version the database holds; fails when it holds no schema yet.
version() {
  local out
  out="$(d1 --json --command "SELECT version FROM schema_meta WHERE id = 1" 2>&1)" || { printf '%s' "$out" >&2; return 1; }
  printf '%s' "$out" | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].results[0].version))'
}

step "Database schema ($where)"
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
if ! current="$(version 2>"$err")"; then
  grep -q "no such table" "$err" || { cat "$err" >&2; fail "could not read the schema version"; }
  info "new database: applying schema.sql"
  d1 --file schema.sql >/dev/null || fail "applying schema.sql failed"
  info "schema version $(version)"
  exit 0
fi

applied=0
for file in "$migrations"/[0-9][0-9][0-9][0-9]_*.sql; do
  [ -e "$file" ] || continue
  number=$((10#$(basename "$file" | cut -c1-4)))
  [ "$number" -le "$current" ] && continue
  info "applying $file"
  d1 --file "$file" >/dev/null || fail "migration $file failed; the database stays at version $current"
  current=$number
  applied=$((applied + 1))
done
info "schema version $current ($applied migration(s) applied)"
