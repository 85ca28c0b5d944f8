#!/usr/bin/env bash
# Fuzzes the bundle and stamp parsers with cargo-fuzz (libFuzzer + ASan).
# cargo-fuzz needs nightly-only rustc flags; this machine has only the stable toolchain, so
# RUSTC_BOOTSTRAP=1 unlocks them on stable. FUZZ_SECONDS sets each target's run (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
seconds=${FUZZ_SECONDS:-60}
mkdir -p fuzz/corpus/bundles fuzz/corpus/stamps
# Seed with real inputs so the fuzzer starts from valid structure.
printf '%s' '{"version":"v1.0.0","data":"7b7d","dataSignature":"3006020101020101","enclaveQuorumPublic":"04"}' > fuzz/corpus/bundles/seed-export
printf '%s' 'w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf' > fuzz/corpus/bundles/seed-credential
printf '%s\n%s' 'eyJwdWJsaWNLZXkiOiIwMiIsInNjaGVtZSI6IlNJR05BVFVSRV9TQ0hFTUVfVEtfQVBJX1AyNTYiLCJzaWduYXR1cmUiOiIzMCJ9' '{"organizationId":"o"}' > fuzz/corpus/stamps/seed-stamp
for target in bundles stamps; do
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096)
done
