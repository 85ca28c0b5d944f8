#!/usr/bin/env bash
# Installs what `make test`, `make demo` and `make bench` need; idempotent and quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# wasm32 target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# The standard library's source: the npm package's wasm rebuilds core/alloc/std for size (build-pkg.sh).
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  rustup component add rust-src
fi

# wasm-bindgen-cli at exactly the version in Cargo.lock (the CLI must match the library).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found '${have:-none}')"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# Chromium and its driver for wasm-bindgen-test and Playwright.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "setup: installing chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm dev dependencies (oracles, binaryen's wasm-opt, playwright-core) from the committed lock.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
