#!/usr/bin/env bash
# Measures the worker's size and build times and the home page's weight; writes BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

wasm=functions/edge/build/index_bg.wasm
[ -f "$wasm" ] || fail "build the worker first (make worker)"

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

raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
js=$(cat functions/edge/build/*.js | gzip -9 | wc -c)
home=$(gzip -9 -c static-site/dist/index.html | wc -c)
css=$(gzip -9 -c static-site/dist/assets/site.css | wc -c)
island=$(gzip -9 -c static-site/dist/assets/js/health.js | wc -c)
toolchain=$(have_wasm_std && echo "rustup wasm32 target, $(rustc --version)" || echo "Debian rustc-web, build-std")

cat > BENCHMARKS.md <<MD
# Benchmarks

Written by \`make bench\` (scripts/size.sh) on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m),
$toolchain. Figures are from that run; rerun the command to refresh them.

## Worker size (\`make size\`)

| what | bytes |
|---|---|
| worker .wasm, raw (after wasm-opt -Oz) | $raw |
| worker .wasm, gzip -9 | $gz |
| worker JS glue, gzip -9 | $js |
| free plan limit (gzip, whole worker) | 3,145,728 |

## Build times (\`make size\`)

| build | seconds |
|---|---|
| cold: empty target directory, every dependency compiled, wasm-bindgen and wasm-opt | $((cold / 1000)).$((cold % 1000 / 100)) |
| incremental: one file of the edge crate touched | $((incremental / 1000)).$((incremental % 1000 / 100)) |

## Static pages (\`make size\`)

| file | gzip -9 bytes |
|---|---|
| home page HTML | $home |
| stylesheet | $css |
| health island | $island |
MD
info "BENCHMARKS.md written: wasm $raw B raw, $gz B gzip; cold ${cold} ms, incremental ${incremental} ms"
