#!/usr/bin/env bash
# Loads the reference data (every French zone) into a D1 database, with progress, and with
# --demo the clearly marked demonstration set. Skips what is already there, unless --force.
# Every statement is an upsert, so a forced second run changes nothing and duplicates nothing.
# Usage: scripts/seed.sh --local|--remote [--persist-to DIR] [--departements 974,75] [--demo] [--force]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

target=()
only=()
force=0
demo=0
while [ $# -gt 0 ]; do
  case "$1" in
    --local|--remote) target+=("$1") ;;
    --persist-to) target+=("$1" "$2"); shift ;;
    --departements) only=(--departements "$2"); shift ;;
    --force) force=1 ;;
    --demo) demo=1 ;;
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
# Builds one seed binary, runs it, and applies the files it wrote, with progress.
load() {
  local name="$1" out="$ROOT/target/seed/$1"
  shift
  cargo build --quiet --release -p seed --bin "seed-$name"
  "$ROOT/target/release/seed-$name" "$out" "$@"
  local files=("$out"/"$name"-*.sql)
  for i in "${!files[@]}"; do
    info "[$((i + 1))/${#files[@]}] $(basename "${files[$i]}")"
    d1 --file "${files[$i]}" >/dev/null || fail "loading ${files[$i]} failed"
  done
}

step "Zones (communes, postal codes, départements, régions)"
zones="$(count "SELECT count(*) AS n FROM zone")" || fail "cannot read the zone table: run scripts/migrate.sh first"
if [ "$zones" -gt 0 ] && [ "$force" -eq 0 ]; then
  info "$zones zones already loaded (--force to load again)"
else
  load zones "${only[@]}"
  info "$(count "SELECT count(*) AS n FROM zone") zones loaded"
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
