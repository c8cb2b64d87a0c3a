#!/usr/bin/env bash
# Pre-renders the site from the local D1: the static pages, plus a page for every element and for
# every zone where something is referenced (the rest the worker renders on demand).
# Usage: scripts/pages.sh [--persist-to DIR] [--site ORIGIN]
#   --persist-to  where wrangler keeps the local state (default .wrangler/state)
#   --site        the public origin the pages name (default http://127.0.0.1:8787)
# MAX_STATIC_FILES caps the files the whole site holds (default 20000, what Cloudflare's free plan
# takes per Worker version; 100000 on the paid plan): zone and element pages beyond it are left
# to the edge, which renders them on demand with the same templates.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

state=".wrangler/state"
site="http://127.0.0.1:8787"
while [ $# -gt 0 ]; do
  case "$1" in
    --persist-to) state="$2"; shift ;;
    --site) site="$2"; shift ;;
    *) fail "unknown option $1" ;;
  esac
  shift
done

step "Pre-rendering the site from the local D1"
# The local D1 is one SQLite file named after the database; the newest is the one in use.
db="$(local_d1_file "$state")"
[ -n "$db" ] || fail "no local D1 under $state: run scripts/migrate.sh --local first"
cargo run --quiet --release -p site --bin generate -- static-site/dist --db "$db" --site "$site" \
  --max-files "${MAX_STATIC_FILES:-20000}"
