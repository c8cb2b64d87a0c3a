#!/usr/bin/env bash
# The load benchmark (issue 8): a fresh bench database with every French zone, then for each
# volume (10,000, 100,000 and 1,000,000 generated elements by default) the built worker served by
# wrangler dev on loopback and measured with wrk, then the single binary (target/release/communs,
# `make communs`) on a copy of the same database, measured the same way (issue 21). Appends the
# figures, both hosts side by side and the cost model to BENCHMARKS.md (scripts/size.sh writes its
# first part).
# Usage: scripts/bench.sh [--volumes 10000,100000] [--seconds 3]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

apt_install wrk sqlite3
# The second host, checked before the minutes of seeding.
[ -x target/release/communs ] || fail "target/release/communs missing: make communs"
state="$ROOT/target/bench/state"
step "Bench database (target/bench/state)"
rm -rf "$state"
scripts/migrate.sh --local --persist-to "$state"
db="$(ls "$state"/v3/d1/miniflare-D1DatabaseObject/*.sqlite | grep -v /metadata.sqlite | head -n 1)"
[ -f "$db" ] || fail "no bench database file under $state"
bytes() { sqlite3 "$db" "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"; }
empty=$(bytes)
scripts/seed.sh --local --persist-to "$state"
with_zones=$(bytes)
scripts/seed.sh --local --persist-to "$state" --town-halls
with_halls=$(bytes)
# What the reference data costs in D1 (the free plan allows 500 MB a database).
{
  echo
  echo "## Reference data in D1 (\`make bench\`)"
  echo
  echo "Measured on the bench database before any volume (SQLite's \`dbstat\`, pages of each table"
  echo "and index): every zone with its contour, then every town hall through the import pipeline."
  echo
  echo "| what | MB |"
  echo "|---|---|"
  sqlite3 "$db" "SELECT '| ' || name || ' | ' || printf('%.1f', sum(pgsize) / 1048576.0) || ' |' FROM dbstat
    WHERE name LIKE 'zone%' GROUP BY name ORDER BY sum(pgsize) DESC"
  echo "| every zone, all told (the database before any element) | $(awk "BEGIN { printf \"%.1f\", ($with_zones - $empty) / 1048576 }") |"
  echo "| 35,573 town halls, all told (rows, indexes, both full-text indexes, tags, sources) | $(awk "BEGIN { printf \"%.1f\", ($with_halls - $with_zones) / 1048576 }") |"
  echo "| contours: points, GeoJSON text | $(sqlite3 "$db" "SELECT count(*) || ' communes, ' || printf('%.1f', sum(length(geometry)) / 1048576.0) || ' MB' FROM zone_shape") |"
  echo "| cells that find a point's commune | $(sqlite3 "$db" "SELECT count(*) || ' rows' FROM zone_cell") |"
} > target/bench/reference.md
cargo build --quiet --release -p seed --bin seed-volume

started=$(date +%s)
"$NODE" scripts/bench/run.mjs --db "$db" --state "$state" --lighthouse "$@"
"$NODE" scripts/bench/report.mjs target/bench/load.json "make bench ($(( $(date +%s) - started )) s for the load part)" >> BENCHMARKS.md
cat target/bench/reference.md >> BENCHMARKS.md
info "BENCHMARKS.md: load figures and cost model appended"
