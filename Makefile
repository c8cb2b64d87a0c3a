# The two commands a newcomer needs: `make dev` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup setup-browser dev dev-worker communs communs-dev test test-native test-api test-api-server test-fuzz test-browser deploy-check lint worker site pages db demo volume size bench clean

# Production builds (what wrangler.toml deploys, what `make size` and `make bench` measure) and
# development builds (feature `dev`: the /api/dev/ routes), which `make dev` and the tests serve.
WORKER := functions/edge/build/front/index.js functions/edge/build/back/index.js
DEV_WORKER := functions/edge/build/dev/front/index.js functions/edge/build/dev/back/index.js
RUST_INPUTS := Cargo.toml Cargo.lock schema.sql $(shell find functions static-site/src static-site/templates \
	-type f \( -name '*.rs' -o -name '*.toml' -o -name '*.json' -o -name '*.html' \) -not -path '*/build/*')
# The single binary: the release a self-hoster runs, and the development build the API suite
# runs against (feature `dev`), copied aside: the native tests build the binary without it.
COMMUNS := target/release/communs
COMMUNS_DEV := target/communs-dev/communs
NODE := node_modules/.bin/node
WRANGLER := $(NODE) node_modules/wrangler/bin/wrangler.js
export WRANGLER_SEND_METRICS := false

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Install what is missing (Rust wasm target, worker-build, wasm-bindgen, npm packages)
	@scripts/setup.sh

setup-browser: ## setup, plus Debian's chromium for the page tests
	@scripts/setup.sh --browser

# One build makes both workers (grouped targets: each recipe runs once).
$(WORKER) &: $(RUST_INPUTS)
	@scripts/build-worker.sh production

$(DEV_WORKER) &: $(RUST_INPUTS)
	@scripts/build-worker.sh dev

worker: setup $(WORKER) ## Build the two workers (front, back) to WebAssembly, for production

dev-worker: setup $(DEV_WORKER) ## Build the two workers with the development routes (/api/dev/)

# Always rebuilt (about a second): what `dev` pre-renders from the database must not linger
# into the tests, which start from empty databases.
site: ## Pre-render the static pages (no database content) into static-site/dist
	@echo "==> Pre-rendering the static site"
	@cargo run --quiet --release -p site --bin generate -- static-site/dist

pages: ## Pre-render the static pages and every element and zone page from the local D1
	@scripts/pages.sh

.dev.vars:
	@cp .dev.vars.example .dev.vars && echo "==> Created .dev.vars from .dev.vars.example"

db: setup .dev.vars ## Create or migrate the local D1, load the zones and every town hall
	@scripts/migrate.sh --local
	@scripts/seed.sh --local --town-halls

demo: setup .dev.vars ## Add the demonstration set (360 elements tagged « démo ») to the local D1
	@scripts/migrate.sh --local
	@scripts/seed.sh --local --demo

dev: setup $(DEV_WORKER) db pages ## Build everything and serve site and API on http://127.0.0.1:8787
	@echo "==> Serving on http://127.0.0.1:8787 (API under /api, Ctrl-C to stop)"
	@echo "    Sign-in mails are not sent in development: read them at http://127.0.0.1:8787/api/dev/outbox"
	@$(WRANGLER) dev $$(scripts/dev-config.sh) --ip 127.0.0.1 --port 8787 --local --persist-to .wrangler/state --show-interactive-dev-session=false

test: setup-browser $(WORKER) $(DEV_WORKER) $(COMMUNS_DEV) site ## Run every test layer: native, the API on both hosts, OpenAPI fuzzing, pages in Chromium, deployability
	@$(MAKE) --no-print-directory test-native test-api test-api-server test-fuzz test-browser deploy-check

test-native: ## Domain rules and SQL against SQLite (cargo test)
	@echo "==> Native tests (cargo test)"
	@cargo test --workspace --exclude edge --quiet

test-api: $(COMMUNS_DEV) ## The API suite on host 1: the built workers through Miniflare/workerd with a fresh local D1
	@echo "==> API on the Workers host (node --test, Miniflare)"
	@$(NODE) --test --test-reporter=spec 'tests/api/**/*.test.js'

test-api-server: $(COMMUNS_DEV) ## The same API suite on host 2: communs serve on a fresh SQLite file
	@echo "==> API on the single binary (node --test, communs serve)"
	@COMMUNS_HOST=server $(NODE) --test --test-reporter=spec 'tests/api/**/*.test.js'

deploy-check: $(WORKER) ## Both workers deployable without an account (wrangler deploy --dry-run)
	@echo "==> Deployability (wrangler deploy --dry-run, front and back)"
	@$(WRANGLER) deploy --dry-run --outdir target/deploy-check/front >/dev/null
	@$(WRANGLER) deploy --dry-run -c wrangler.back.toml --outdir target/deploy-check/back >/dev/null
	@echo "    both workers bundle and validate"

communs: $(RUST_INPUTS) ## The single binary for one machine, release build (target/release/communs)
	@cargo build --release -p server

$(COMMUNS_DEV): $(RUST_INPUTS)
	@echo "==> Building communs with its development routes (for the API suite)"
	@cargo build --quiet -p server --features dev
	@mkdir -p $(@D) && cp target/debug/communs $@

communs-dev: $(COMMUNS_DEV) ## communs with the development routes, which the API suite runs against

test-fuzz: ## The OpenAPI document fuzzed against the built worker (Schemathesis), signed out and in
	@echo "==> OpenAPI fuzzing (Schemathesis, every check)"
	@$(NODE) --test --test-reporter=spec 'tests/fuzz/*.test.js'

test-browser: ## The served site in headless Chromium (playwright-core)
	@echo "==> Pages in Chromium (node --test, playwright-core)"
	@$(NODE) --test --test-reporter=spec --test-concurrency=1 'tests/browser/**/*.test.js'

lint: ## Formatting and clippy, as before every commit
	@cargo fmt --all -- --check
	@cargo clippy --workspace --all-targets --quiet -- -D warnings
	@cargo clippy -p edge --features front --quiet -- -D warnings
	@cargo clippy -p edge --features front,dev --quiet -- -D warnings
	@cargo clippy -p edge --features dev --quiet -- -D warnings
	@cargo clippy -p app -p server --features dev --all-targets --quiet -- -D warnings

volume: setup .dev.vars ## Load ELEMENTS generated elements (default 10000, ids vol_…) into the local D1, for benchmarks
	@scripts/volume.sh --local --elements $(or $(ELEMENTS),10000)

size: setup $(WORKER) site ## Measure the worker's size and build times into BENCHMARKS.md
	@scripts/size.sh

# communs: the load part measures the single binary beside the workers (phony: cargo decides
# whether the release build is stale, so the bench never measures an old binary).
bench: setup-browser size communs ## Every benchmark: size, build times, then load at 10k/100k/1M elements on both hosts into BENCHMARKS.md (about 25 min)
	@scripts/bench.sh $(if $(VOLUMES),--volumes $(VOLUMES))

clean: ## Remove build outputs (keeps the tools cache and the local database)
	rm -rf target functions/edge/build static-site/dist
