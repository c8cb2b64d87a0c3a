#!/usr/bin/env bash
# Loads the reference data (every French zone) into a D1 database, with progress.
# Skips the work when zones are already there, unless --force. Every statement is an upsert,
# so a forced second run changes nothing and duplicates nothing.
# Usage: scripts/seed.sh --local|--remote [--persist-to DIR] [--departements 974,75] [--force]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

target=()
only=()
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --local|--remote) target+=("$1") ;;
    --persist-to) target+=("$1" "$2"); shift ;;
    --departements) only=(--departements "$2"); shift ;;
    --force) force=1 ;;
    *) fail "unknown option $1" ;;
  esac
  shift
done
[ ${#target[@]} -gt 0 ] || fail "usage: $0 --local|--remote [--persist-to DIR] [--departements 974] [--force]"
d1() { "${WRANGLER[@]}" d1 execute DB "${target[@]}" "$@"; }

step "Zones (communes, postal codes, départements, régions)"
count="$(d1 --json --command "SELECT count(*) AS n FROM zone" 2>/dev/null \
  | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].results[0].n))')" \
  || fail "cannot read the zone table: run scripts/migrate.sh first"
if [ "$count" -gt 0 ] && [ "$force" -eq 0 ]; then
  info "$count zones already loaded (--force to load again)"
  exit 0
fi

cargo build --quiet --release -p seed --bin seed-zones
out="$ROOT/target/seed/zones"
"$ROOT/target/release/seed-zones" "$out" "${only[@]}"
files=("$out"/zones-*.sql)
for i in "${!files[@]}"; do
  info "[$((i + 1))/${#files[@]}] $(basename "${files[$i]}")"
  d1 --file "${files[$i]}" >/dev/null || fail "loading ${files[$i]} failed"
done
info "$(d1 --json --command "SELECT count(*) AS n FROM zone" | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].results[0].n))') zones loaded"
