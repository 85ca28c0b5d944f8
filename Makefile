# quorum-kit: `make demo` serves the demo and the sandbox; `make test` runs every suite.
# Each target installs what it needs (scripts/setup.sh is idempotent and quick when all is there).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR ?= never
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup pkg sandbox lint test test-native test-wasm test-node test-e2e size demo bench fuzz load

setup:
	@bash scripts/setup.sh

## The npm package in pkg/: release wasm, wasm-bindgen (web target), wasm-opt -Oz.
pkg: setup
	bash scripts/build-pkg.sh

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p quorum-kit --lib --tests --target wasm32-unknown-unknown -- -D warnings

test-native: setup
	cargo test --workspace

test-wasm: setup
	cargo test -p quorum-kit --target wasm32-unknown-unknown

sandbox: setup
	cargo build -p quorum-sandbox

test-node: pkg sandbox
	node --test tests/node/

test-e2e: pkg sandbox
	node --test --test-concurrency=1 tests/e2e/

size: pkg
	node scripts/size.mjs --check

test: setup lint test-native test-wasm test-node test-e2e size

## The demo site and the local Turnkey-compatible sandbox on http://localhost:8787 (PORT overrides)
demo: pkg sandbox
	cargo run -q -p quorum-sandbox

fuzz:
	bash scripts/fuzz.sh

bench: pkg
	node bench/run.mjs

## Load on a release sandbox: LOAD_USERS concurrent sign-ups, LOAD_PER_USER co-signed transactions each;
## checks the store (nothing lost, duplicated or executed without quorum) and writes bench/README.md's load section.
LOAD_USERS ?= 200
LOAD_PER_USER ?= 10
load:
	cargo run --release -q -p quorum-sandbox --example load -- --users $(LOAD_USERS) --per-user $(LOAD_PER_USER) --write bench/README.md
