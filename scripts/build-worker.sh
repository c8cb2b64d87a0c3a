#!/usr/bin/env bash
# Builds the edge crate to WebAssembly twice (index.js + the .wasm module each): the front worker
# (the reads every visitor makes, feature `front`) into functions/edge/build/front, and the back
# (the whole API, behind the front) into functions/edge/build/back.
set -euo pipefail
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
  features=$([ "$worker" = front ] && echo "--features front" || true)
  # shellcheck disable=SC2086 # no features for the back
  worker-build --release --out-dir "build/$worker" -- $features
  # worker-build rewrites the module after its wasm-opt pass and writes the function names back
  # (about 120 kB): strip them, and the producers section, without another optimisation pass.
  wasm="build/$worker/index_bg.wasm"
  "$WASM_OPT_BIN" --enable-reference-types --enable-exception-handling --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    --strip-debug --strip-producers "$wasm" -o "$wasm"
  info "$worker built in $(( $(date +%s) - start )) s: $(du -b "$wasm" | cut -f1) bytes of wasm"
done
