# quorum-kit: `make demo` serves the demo and the sandbox; `make test` runs every suite.
# Each target installs what it needs (scripts/setup.sh is idempotent and quick when all is there).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export CARGO_TERM_COLOR ?= never
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup pkg sandbox lint test test-native test-wasm test-node test-e2e size demo bench fuzz

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

## Fuzz every parser that sees outside data (cargo-fuzz), FUZZ_SECONDS each (default 600); seeds in fuzz/seeds/
fuzz:
	bash scripts/fuzz.sh

bench: pkg
	node bench/run.mjs
