#!/usr/bin/env bash
# Loads a benchmark volume (issue 8) into a D1 database: N generated elements (ids `vol_…`)
# over every commune of the zones already loaded, with progress and the time it took. A volume
# loaded before is removed first, so the database holds exactly N of them.
# Usage: scripts/volume.sh --local [--persist-to DIR] --elements N
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

target=()
elements=""
while [ $# -gt 0 ]; do
  case "$1" in
    --local) target+=("$1") ;;
    --persist-to) target+=("$1" "$2"); shift ;;
    --elements) elements="$2"; shift ;;
    *) fail "unknown option $1" ;;
  esac
  shift
done
[ ${#target[@]} -gt 0 ] && [ -n "$elements" ] || fail "usage: $0 --local [--persist-to DIR] --elements N"
d1() { "${WRANGLER[@]}" d1 execute DB "${target[@]}" "$@"; }
started=$(date +%s)

step "Volume of $elements elements"
out="$ROOT/target/seed/volume"
cargo build --quiet --release -p seed --bin seed-volume
"$ROOT/target/release/seed-volume" "$out" --elements "$elements"
info "removing an earlier volume"
d1 --command "DELETE FROM element WHERE id LIKE 'vol\_%' ESCAPE '\\'" >/dev/null || fail "cannot clear the earlier volume"
files=("$out"/volume-*.sql)
for i in "${!files[@]}"; do
  info "[$((i + 1))/${#files[@]}] $(basename "${files[$i]}")"
  d1 --file "${files[$i]}" >/dev/null || fail "loading ${files[$i]} failed"
done
info "$elements elements loaded in $(( $(date +%s) - started )) s"
