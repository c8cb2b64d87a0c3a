#!/usr/bin/env bash
# Writes the configurations `make dev` serves: wrangler.toml and wrangler.back.toml as they are,
# but running the development builds (functions/edge/build/dev, with the /api/dev/ routes) while
# the files themselves keep naming the production builds that a deploy uploads. Paths are made
# absolute; the developer's .dev.vars is linked beside them (each worker reads the one beside
# its configuration). Prints the `-c` arguments for wrangler.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir="$ROOT/.wrangler/dev"
mkdir -p "$dir"
for file in wrangler.toml wrangler.back.toml; do
  sed -E -e "s#^(main|directory|migrations_dir)( *= *)\"([^\"]+)\"#\\1\\2\"$ROOT/\\3\"#" \
    -e "s#^(main *= *\"$ROOT/functions/edge/build)/#\\1/dev/#" "$ROOT/$file" > "$dir/$file"
done
ln -sf "$ROOT/.dev.vars" "$dir/.dev.vars"
echo "-c $dir/wrangler.toml -c $dir/wrangler.back.toml"
