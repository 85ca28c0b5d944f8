#!/usr/bin/env bash
# What `make demo` runs once the package and the sandbox are built: says where to go and what to
# try first, then serves the demo, the playground and the sandbox until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8787}"
bin="${CARGO_TARGET_DIR:-target}/debug/quorum-sandbox"
cat <<BANNER

  quorum-kit demo: http://localhost:${port}
  (open it as localhost, not 127.0.0.1: passkeys need a host name)

  Try first:
    1. Create a wallet: pick a name and approve the passkey prompt.
    2. Send 0.01 ETH: it waits for the platform's approval, then both signatures are in.
    3. In "The platform" panel set "Largest transaction" to 0.001, save, and send again:
       the platform declines and the element says why.
    4. Export: tick "I understand", approve with the passkey, reveal the phrase.
  Theme playground (every element in every state, no passkey needed): http://localhost:${port}/playground/

  State lives in .sandbox-data/ (delete it for a fresh world). Ctrl-C stops the demo.

BANNER
# The platform's co-signer waits a moment before voting, so the pending state can be seen.
export QUORUM_SANDBOX_COSIGNER_MS="${QUORUM_SANDBOX_COSIGNER_MS:-2500}"
exec "$bin"
