#!/usr/bin/env bash
# The load benchmark (issue 8): a fresh bench database with every French zone, then for each
# volume (10,000, 100,000 and 1,000,000 generated elements by default) the built worker served by
# wrangler dev on loopback and measured with wrk. Appends the figures and the cost model to
# BENCHMARKS.md (scripts/size.sh writes its first part).
# Usage: scripts/bench.sh [--volumes 10000,100000] [--seconds 3]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

apt_install wrk
state="$ROOT/target/bench/state"
step "Bench database (target/bench/state)"
rm -rf "$state"
scripts/migrate.sh --local --persist-to "$state"
scripts/seed.sh --local --persist-to "$state"
db="$(ls "$state"/v3/d1/miniflare-D1DatabaseObject/*.sqlite | grep -v /metadata.sqlite | head -n 1)"
[ -f "$db" ] || fail "no bench database file under $state"
cargo build --quiet --release -p seed --bin seed-volume

started=$(date +%s)
"$NODE" scripts/bench/run.mjs --db "$db" --state "$state" --lighthouse "$@"
"$NODE" scripts/bench/report.mjs target/bench/load.json "make bench ($(( $(date +%s) - started )) s for the load part)" >> BENCHMARKS.md
info "BENCHMARKS.md: load figures and cost model appended"
