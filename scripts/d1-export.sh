#!/usr/bin/env bash
# Exports a D1 database for `communs load` (README « Moving between hosts »). D1's export refuses
# a database with full-text indexes (virtual tables), so this names every other table with
# --table: the full-text indexes, and the tables SQLite keeps them in, stay behind, and
# `communs load` rebuilds them from the elements. Nothing is written to the database.
# Usage: scripts/d1-export.sh FILE --remote | --local [wrangler's options, e.g. --cwd DIR]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
usage="usage: $0 FILE --remote | --local [wrangler's options]"
out="${1:?$usage}"
shift
case "${1:-}" in --local|--remote) ;; *) fail "$usage" ;; esac
target=("$@")

# The tables that hold data: not SQLite's nor Cloudflare's, not a virtual table, not one of the
# tables a virtual table keeps (named after it: element_fts_data, element_fts_idx…).
tables_sql="SELECT name FROM sqlite_schema AS t WHERE type = 'table'
  AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
  AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE '\_cf\_%' ESCAPE '\'
  AND NOT EXISTS (SELECT 1 FROM sqlite_schema AS v WHERE v.type = 'table'
    AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\_%' ESCAPE '\')
  ORDER BY name"
json="$("${WRANGLER[@]}" d1 execute DB "${target[@]}" --json --command "$tables_sql")"
mapfile -t tables < <(printf '%s' "$json" | "$NODE" -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const r of JSON.parse(s)[0].results)console.log(r.name)})')
[ "${#tables[@]}" -gt 0 ] || fail "the database holds no table"
step "Exporting ${#tables[@]} tables to $out (${target[*]})"
args=()
for table in "${tables[@]}"; do args+=(--table "$table"); done
"${WRANGLER[@]}" d1 export DB "${target[@]}" --output "$out" "${args[@]}"
info "now: communs load $out"
