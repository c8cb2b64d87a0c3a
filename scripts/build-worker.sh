#!/usr/bin/env bash
# Builds the edge crate to WebAssembly twice (index.js + the .wasm module each): the front worker
# (the reads every visitor makes, feature `front`) and the back (the whole API, behind the front).
# Usage: scripts/build-worker.sh [production|dev]
#   production (default): functions/edge/build/{front,back}, what wrangler.toml deploys; no
#                         development route is compiled in.
#   dev:                  functions/edge/build/dev/{front,back}, with feature `dev` (the /api/dev/
#                         routes: sign-in outbox, test checkout…), for `make dev` and the tests.
set -euo pipefail
profile="${1:-production}"
case "$profile" in
  production) out="build"; extra="" ;;
  dev) out="build/dev"; extra="dev" ;;
  *) echo "usage: $0 [production|dev]" >&2; exit 2 ;;
esac
source "$(dirname "$0")/lib.sh"

# worker-build would download these; we hand it the pinned ones instead (the network is closed).
export WASM_BINDGEN_BIN="$TOOLS/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"
[ -x "$TOOLS/bin/worker-build" ] || fail "worker-build missing: run scripts/setup.sh"

if have_wasm_std; then
  step "Building the worker (rustup's wasm32 target)"
else
  # Debian's rustc-web builds std from source. These variables stay inside this script so that
  # native `cargo test` keeps the normal toolchain.
  step "Building the worker (Debian's rustc-web, std built from source)"
  [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] \
    || fail "no wasm32 standard library: run scripts/setup.sh"
  shim="$TOOLS/debian-web"
  mkdir -p "$shim/wasm32-libdir"
  # worker-build asks `rustc --print target-libdir` and insists the answer is a directory.
  cat > "$shim/rustc" <<SHIM
#!/bin/sh
case "\$*" in *"--print target-libdir"*) echo "$shim/wasm32-libdir"; exit 0;; esac
exec /usr/bin/rustc "\$@"
SHIM
  chmod +x "$shim/rustc"
  ln -sf /usr/bin/cargo "$shim/cargo"
  export PATH="$shim:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_TARGET_DIR="$ROOT/target/debian-web"
fi

cd "$ROOT/functions/edge"
for worker in front back; do
  start=$(date +%s)
  features="$([ "$worker" = front ] && echo front || true),$extra"
  features="${features#,}"; features="${features%,}"
  # shellcheck disable=SC2046 # no features at all for the production back
  worker-build --release --out-dir "$out/$worker" -- $([ -n "$features" ] && echo "--features $features")
  # worker-build rewrites the module after its wasm-opt pass and writes the function names back
  # (about 120 kB): strip them, and the producers section, without another optimisation pass.
  wasm="$out/$worker/index_bg.wasm"
  "$WASM_OPT_BIN" --enable-reference-types --enable-exception-handling --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    --strip-debug --strip-producers "$wasm" -o "$wasm"
  info "$worker ($profile) built in $(( $(date +%s) - start )) s: $(du -b "$wasm" | cut -f1) bytes of wasm"
done
