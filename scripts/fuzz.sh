#!/usr/bin/env bash
# Fuzzes the bundle, stamp and transaction parsers with cargo-fuzz (libFuzzer + ASan).
# cargo-fuzz needs nightly-only rustc flags; this machine has only the stable toolchain, so
# RUSTC_BOOTSTRAP=1 unlocks them on stable. FUZZ_SECONDS sets each target's run (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
seconds=${FUZZ_SECONDS:-60}
mkdir -p fuzz/corpus/bundles fuzz/corpus/stamps fuzz/corpus/tx_decode
# Seed with real inputs so the fuzzer starts from valid structure.
printf '%s' '{"version":"v1.0.0","data":"7b7d","dataSignature":"3006020101020101","enclaveQuorumPublic":"04"}' > fuzz/corpus/bundles/seed-export
printf '%s' 'w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf' > fuzz/corpus/bundles/seed-credential
printf '%s\n%s' 'eyJwdWJsaWNLZXkiOiIwMiIsInNjaGVtZSI6IlNJR05BVFVSRV9TQ0hFTUVfVEtfQVBJX1AyNTYiLCJzaWduYXR1cmUiOiIzMCJ9' '{"organizationId":"o"}' > fuzz/corpus/stamps/seed-stamp
# EIP-155's example signing payload, and an EIP-1559 call with an access list.
printf '%s' '0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080' > fuzz/corpus/tx_decode/seed-eip155
printf '%s' '02f86c0107843b9aca008506fc23ac00825208943535353535353535353535353535353535353535872386f26fc1000084a9059cbbf838f7940a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0ae1a00101010101010101010101010101010101010101010101010101010101010101' > fuzz/corpus/tx_decode/seed-eip1559
for target in bundles stamps tx_decode; do
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096)
done
