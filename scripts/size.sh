#!/usr/bin/env bash
# Measures the two workers' sizes and build times and the home page's weight; writes BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

for w in front back; do
  [ -f "functions/edge/build/$w/index_bg.wasm" ] || fail "build the workers first (make worker)"
done

step "Incremental build (one source file touched)"
touch functions/edge/src/lib.rs
start=$(date +%s%N)
scripts/build-worker.sh >/dev/null 2>&1
incremental=$(( ($(date +%s%N) - start) / 1000000 ))

step "Cold build (empty target directory, dependencies included)"
cold_dir="$(mktemp -d)"
start=$(date +%s%N)
CARGO_TARGET_DIR="$cold_dir" scripts/build-worker.sh >/dev/null 2>&1
cold=$(( ($(date +%s%N) - start) / 1000000 ))
rm -rf "$cold_dir"

raw() { stat -c %s "functions/edge/build/$1/index_bg.wasm"; }
gz() { gzip -9 -c "functions/edge/build/$1/index_bg.wasm" | wc -c; }
js() { cat functions/edge/build/$1/*.js | gzip -9 | wc -c; }
home=$(gzip -9 -c static-site/dist/index.html | wc -c)
css=$(gzip -9 -c static-site/dist/assets/site.css | wc -c)
island=$(gzip -9 -c static-site/dist/assets/js/health.js | wc -c)
toolchain=$(have_wasm_std && echo "rustup wasm32 target, $(rustc --version)" || echo "Debian rustc-web, build-std")

cat > BENCHMARKS.md <<MD
# Benchmarks

Written by \`make bench\` (scripts/size.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m),
$toolchain. Figures are from that run; rerun the command to refresh them.

## Workers' size (\`make size\`)

The front worker answers every visitor's reads; the back one, behind its service binding, the
writes and the rest of the API (it alone serves the whole API). The free plan's limit applies to
each worker.

| what | front | back |
|---|---|---|
| .wasm, raw (after wasm-opt -Oz) | $(raw front) | $(raw back) |
| .wasm, gzip -9 | $(gz front) | $(gz back) |
| JS glue, gzip -9 | $(js front) | $(js back) |
| free plan limit (gzip, each worker) | 3,145,728 | 3,145,728 |

## Build times (\`make size\`)

| build | seconds |
|---|---|
| cold: empty target directory, every dependency compiled, wasm-bindgen and wasm-opt, both workers | $((cold / 1000)).$((cold % 1000 / 100)) |
| incremental: one file of the edge crate touched, both workers built again | $((incremental / 1000)).$((incremental % 1000 / 100)) |

## Static pages (\`make size\`)

| file | gzip -9 bytes |
|---|---|
| home page HTML | $home |
| stylesheet | $css |
| health island | $island |
MD
info "BENCHMARKS.md written: front $(gz front) B gzip, back $(gz back) B gzip; cold ${cold} ms, incremental ${incremental} ms"
