#!/usr/bin/env bash
# Fuzzes every parser that sees outside data with cargo-fuzz (libFuzzer + ASan): the bundles' and stamps' JSON reader
# (against serde_json), the DER signature codec (against p256's), the generator table's points,
# public keys and RFC 6979 signatures (against p256's), export, import and
# credential bundles, stamps (X-Stamp, X-Stamp-WebAuthn), activity responses and typed results,
# the unsigned-transaction decoder, and the sandbox's attestation (CBOR/COSE) and policy parsers.
#
# FUZZ_SECONDS sets each target's run (default 600); FUZZ_TARGETS picks targets (default: all).
# The corpus lives in fuzz/corpus/<target> (ignored by git); the committed seeds in
# fuzz/seeds/<target> are copied in first. A summary (runs, crashes) is printed at the end and
# written to fuzz/last-run.txt; a crash leaves its input in fuzz/artifacts/<target>/.
# cargo-fuzz needs nightly-only rustc flags; on the stable toolchain RUSTC_BOOTSTRAP=1 unlocks them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
seconds=${FUZZ_SECONDS:-600}
all="flat_json der_signature basepoint export_bundle credential_bundle import_bundle stamps activity tx_decode attestation policy"
targets=${FUZZ_TARGETS:-$all}
summary=fuzz/last-run.txt
: > "$summary"
status=0
for target in $targets; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  cp -n fuzz/seeds/"$target"/* "fuzz/corpus/$target/" 2>/dev/null || true
  log=$(mktemp)
  if (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len=8192 -print_final_stats=1) > "$log" 2>&1; then
    result=ok
  else
    result=CRASH
    status=1
    tail -n 40 "$log" >&2
  fi
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1 || true)
  [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  printf '%-18s %-6s runs=%-10s seconds=%-5s corpus=%s\n' "$target" "$result" "${runs:-?}" "$seconds" "$corpus" | tee -a "$summary"
  rm -f "$log"
done
exit "$status"
