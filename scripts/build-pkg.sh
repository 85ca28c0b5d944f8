#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm (size profile), wasm-bindgen --target web,
# then wasm-opt -Oz from npm binaryen (Debian's binaryen 108 corrupts wasm-bindgen 0.2.130 output).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
target_dir=${CARGO_TARGET_DIR:-target}

opt() {
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers \
    "$1" -o "$1"
}
wasm="$target_dir/wasm32-unknown-unknown/release/quorum_kit.wasm"

# Reproducible wasm: any source path that reaches it (`file!()`, debug info before stripping) is
# relative to the registry, the standard library's source or this checkout, never this machine's.
cargo fetch --quiet # the registry's source directory exists before it is named below
remap=()
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ "$(rustc --print sysroot)/lib/rustlib/src/rust/" "$(pwd -P)/"; do
  remap+=("--remap-path-prefix=$dir=")
done
# The standard library rebuilt with this crate's size profile, and panics as bare traps: no panic
# messages, locations (`-Zlocation-detail=none` also drops the `#[track_caller]` locations that
# callers pass) or formatting behind them. A panic on wasm32-unknown-unknown prints nothing anyway,
# and the kit's code never panics (clippy denies it). Measured in bench/README: -30 KB gzip on
# `quorum-kit`, -11 KB on `quorum-kit/crypto`. These are unstable options of this same stable
# compiler (RUSTC_BOOTSTRAP); the standard library's source is the `rust-src` component (setup.sh).
minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "$minor" -lt 92 ]; then
  echo "build-pkg: rustc 1.92 or newer is needed for -Cpanic=immediate-abort (found $(rustc --version))" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1
rustflags=("${remap[@]}" -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none)
CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; echo "${rustflags[*]}")
export CARGO_ENCODED_RUSTFLAGS
build_std=(-Zbuild-std-features=optimize_for_size)

# `quorum-kit/crypto`: the same crate without its `browser` feature (no passkeys, client, sessions
# or UI), for apps and servers that need only bundles, stamps and keys.
cargo build -p quorum-kit --lib --release --target wasm32-unknown-unknown --no-default-features \
  -Zbuild-std=core,alloc,panic_abort "${build_std[@]}"
rm -rf pkg/crypto
wasm-bindgen --target web --out-dir pkg/crypto --out-name quorum_kit_crypto "$wasm"
opt pkg/crypto/quorum_kit_crypto_bg.wasm
rm -f pkg/crypto/.gitignore

# `quorum-kit/headless`: the browser layer and its API without the UI (`browser` without `ui`), for
# apps that draw their own screens.
cargo build -p quorum-kit --lib --release --target wasm32-unknown-unknown --no-default-features \
  --features browser -Zbuild-std=std,panic_abort "${build_std[@]}"
rm -rf pkg/headless
wasm-bindgen --target web --out-dir pkg/headless --out-name quorum_kit_headless "$wasm"
opt pkg/headless/quorum_kit_headless_bg.wasm
rm -f pkg/headless/.gitignore

# `quorum-kit`: everything.
cargo build -p quorum-kit --lib --release --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort "${build_std[@]}"
wasm-bindgen --target web --out-dir pkg --out-name quorum_kit "$wasm"
opt pkg/quorum_kit_bg.wasm
rm -f pkg/.gitignore
node scripts/trim-dts.mjs pkg/quorum_kit.d.ts

# The JS glue and the elements' classes minified as a CDN or a plain <script type=module> serves
# them (an app's bundler would minify them anyway): esbuild, keeping function and class names for
# stack traces. `new URL("…_bg.wasm", import.meta.url)` stays as it is for bundlers to find the wasm.
# wasm-bindgen lists the inline snippet's module twice in the imports object (same module, so the
# duplicate key is harmless). The inline snippet itself (two one-line functions) is left as it is:
# minifying it with names kept adds more than it takes.
for js in pkg/quorum_kit.js pkg/headless/quorum_kit_headless.js pkg/crypto/quorum_kit_crypto.js \
  pkg/snippets/*/src/js/elements.js; do
  esbuild "$js" --minify --keep-names --format=esm --log-level=warning \
    --log-override:duplicate-object-key=silent --outfile="$js" --allow-overwrite
done

# Every import of each wasm must come from its own glue: an `env` import (such as getrandom 0.2's
# unregistered `custom` hook, which the no_std crypto entry builds but never calls) would fail to load.
node -e '
  const fs = require("node:fs");
  for (const f of process.argv.slice(1)) {
    const bytes = fs.readFileSync(f);
    const bad = WebAssembly.Module.imports(new WebAssembly.Module(bytes))
      .filter((i) => !i.module.startsWith("./"));
    if (bad.length) { console.error(f, "imports", bad); process.exit(1); }
    // Nor may it name this machine: no home directory or checkout path (reproducible builds).
    for (const dir of [process.env.HOME, process.cwd()]) {
      if (dir && dir !== "/" && bytes.includes(dir + "/")) { console.error(f, "names", dir); process.exit(1); }
    }
  }' pkg/quorum_kit_bg.wasm pkg/headless/quorum_kit_headless_bg.wasm pkg/crypto/quorum_kit_crypto_bg.wasm
