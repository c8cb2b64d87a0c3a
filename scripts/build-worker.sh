#!/usr/bin/env bash
# Builds the two workers to WebAssembly, each into its build/ folder (index.js + the .wasm module):
# functions/front (the reads every visitor makes) and functions/back (everything else).
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

for worker in front back; do
  cd "$ROOT/functions/$worker"
  start=$(date +%s)
  worker-build --release
  # worker-build rewrites the module after its wasm-opt pass and writes the function names back
  # (about 120 kB): strip them, and the producers section, without another optimisation pass.
  "$WASM_OPT_BIN" --enable-reference-types --enable-exception-handling --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    --strip-debug --strip-producers build/index_bg.wasm -o build/index_bg.wasm
  info "$worker built in $(( $(date +%s) - start )) s: $(du -b build/index_bg.wasm | cut -f1) bytes of wasm"
done
