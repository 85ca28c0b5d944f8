# quorum-kit: `make demo` serves the demo and the sandbox; `make test` runs every suite.
# Each target installs what it needs (scripts/setup.sh is idempotent and quick when all is there).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR ?= never
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup pkg sandbox lint test test-native test-wasm test-node test-e2e size demo bench fuzz examples examples-react examples-leptos load

setup:
	@bash scripts/setup.sh

## The npm package in pkg/: release wasm, wasm-bindgen (web target), wasm-opt -Oz; its entry without
## the UI, `quorum-kit/headless` in pkg/headless/ (the crate with `browser` but not `ui`); and its
## crypto-only entry `quorum-kit/crypto` in pkg/crypto/ (the crate with neither).
pkg: setup
	bash scripts/build-pkg.sh

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p quorum-kit --lib --tests --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p quorum-kit --lib --tests --target wasm32-unknown-unknown --no-default-features --features browser -- -D warnings
	cargo clippy -p quorum-kit --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings

test-native: setup
	cargo test --workspace

test-wasm: setup
	cargo test -p quorum-kit --target wasm32-unknown-unknown

sandbox: setup
	cargo build -p quorum-sandbox

test-node: pkg sandbox
	node --test tests/node/

test-e2e: pkg sandbox examples
	node --test --test-concurrency=1 tests/e2e/

## The example apps: React 19 + Vite installed from the packed tarball (npm ci from its lock, as a
## developer would), and the Leptos CSR app built for wasm32 with the same toolchain.
examples: examples-react examples-leptos

examples-react: pkg
	rm -rf examples/react-vite/vendor && mkdir -p examples/react-vite/vendor
	npm pack ./pkg --pack-destination examples/react-vite/vendor --silent > /dev/null
	mv examples/react-vite/vendor/quorum-kit-*.tgz examples/react-vite/vendor/quorum-kit.tgz
	cd examples/react-vite && npm ci --no-audit --no-fund --loglevel=error && npm run -s build

examples-leptos: setup
	cargo build --manifest-path examples/leptos/Cargo.toml --target wasm32-unknown-unknown \
	  --target-dir "$${CARGO_TARGET_DIR:-target}"
	rm -rf examples/leptos/dist && mkdir -p examples/leptos/dist
	wasm-bindgen --target web --no-typescript --out-dir examples/leptos/dist \
	  "$${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/debug/quorum-kit-leptos-example.wasm"
	cp examples/leptos/index.html examples/leptos/boot.js examples/leptos/dist/

size: pkg
	node scripts/size.mjs --check

test: setup lint test-native test-wasm test-node test-e2e size

## The demo site and the local Turnkey-compatible sandbox on http://localhost:8787 (PORT overrides)
demo: pkg sandbox
	@bash scripts/demo.sh

## Fuzz every parser that sees outside data (cargo-fuzz), FUZZ_SECONDS each (default 600); seeds in fuzz/seeds/
fuzz:
	bash scripts/fuzz.sh

## bench/ewk (Turnkey's Embedded Wallet Kit and React, for the size table) is installed for the bench only.
bench: pkg
	@[ -d bench/ewk/node_modules/@turnkey/react-wallet-kit ] || npm ci --prefix bench/ewk --no-audit --no-fund --loglevel=error
	node bench/run.mjs

## Load on a sandbox built for speed (the `server` profile): LOAD_USERS concurrent sign-ups, LOAD_PER_USER co-signed transactions each;
## checks the store (nothing lost, duplicated or executed without quorum) and writes bench/README.md's load section.
LOAD_USERS ?= 200
LOAD_PER_USER ?= 10
load:
	cargo run --profile server -q -p quorum-sandbox --example load -- --users $(LOAD_USERS) --per-user $(LOAD_PER_USER) --write bench/README.md
