//! # quorum-kit
//!
//! A browser wallet kit for platforms that give their customers embedded wallets on Turnkey.
//! Each end user owns a sub-organization whose two root users (the user's passkey and the
//! platform's API key) must both approve every fund-moving activity (a 2-of-2 root quorum),
//! while the user can always export alone.
//!
//! ## Module map
//! Pure core (no web APIs, no I/O; tested natively and reused by the sandbox):
//! - [`basepoint`]: `k·G` on P-256 through a precomputed table, and the public keys and RFC 6979
//!   signatures built on it.
//! - [`der`]: strict DER for ECDSA P-256 signatures and PKCS#8 P-256 keys.
//! - [`encoding`]: hex, base64url and base58check as types with typed parse errors.
//! - [`flat_json`]: the one-level JSON objects of strings that bundles and stamps carry, read
//!   strictly and written as `serde_json` writes them.
//! - [`keys`]: P-256 key pairs and public-key encodings; secrets zeroized and redacted.
//! - [`rng`]: the system CSPRNG (the browser's `crypto.getRandomValues` on `wasm32`) for the curve crates.
//! - [`stamp`]: the [`stamp::Stamper`] trait, the API-key stamp (`X-Stamp`) and the
//!   browser-free half of the WebAuthn stamp (`X-Stamp-WebAuthn`).
//! - [`activity`]: request bodies, typed intents and results, statuses and fingerprints.
//! - [`bundle`]: export-bundle verification and decryption, credential bundles, import bundles,
//!   and the enclave's side of each (for the sandbox and tests).
//! - [`tx`]: unsigned Ethereum transactions (legacy/EIP-155, EIP-2930, EIP-1559) decoded from
//!   their bytes for the approval screen: recipient (EIP-55), exact amounts and fees, selector.
//!
//! Browser glue (web-sys, js-sys, gloo-net; compiled for `wasm32` only, tested in headless Chromium):
//! - `passkey`: WebAuthn registration and assertion, options, DOMException → typed errors, and the
//!   passkey `WebauthnStamper`.
//! - `client`: submits stamped activities, follows them through `CONSENSUS_NEEDED` (pending platform
//!   approval) to their end, with polling, retries and cancellation.
//! - `session`: WebCrypto stamping with non-extractable keys kept in IndexedDB, and read-write sessions.
//! - `export_target`: export-bundle decryption through WebCrypto with a non-extractable ECDH
//!   target key (`ExportTarget`); the core's `bundle` path stays the oracle.
//!
//! UI (Leptos, compiled for `wasm32` only, with the `ui` feature; built only on the layers above):
//! - `ui`: the sign-up, approval (pending platform approval) and export components, the `Wallet`
//!   they act through, their theme tokens and strings table, and the export frame's wallet
//!   (`ui::frame`) for the isolated export.
//!
//! Facade (compiled for `wasm32` only):
//! - `js`: the npm API (wasm-bindgen), converting at the edge and holding no logic: type checks
//!   (`js::input`), the custom elements (`js::elements`, with their JS classes in `elements.js`),
//!   and the isolated export's host relay and frame entry point.
//!
//! Features and npm entries: `ui` (default) is everything, the entry `quorum-kit`; `browser` is the
//! browser glue and its API without the UI, `quorum-kit/headless`; neither is the `no_std` crypto
//! entry `quorum-kit/crypto` (bundles, stamps, keys).

// The crypto entry (`wasm32` without `std`) is `no_std`: its panic handler traps without formatting
// a message, so neither std's panic machinery nor the formatting that panic messages (and the
// `Debug` impls they name) pull in reaches the wasm. The core never panics (clippy denies it);
// the handler only catches what a dependency might.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std"), not(test)), no_std)]

extern crate alloc;

pub mod activity;
pub mod basepoint;
pub mod bundle;
pub mod der;
pub mod encoding;
pub mod flat_json;
pub mod keys;
mod prelude;
pub mod rng;
pub mod stamp;
pub mod tx;

#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub mod client;
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub mod export_target;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub mod passkey;
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
pub mod session;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod ui;

/// The crypto entry's panic handler: a trap, which JavaScript sees as a `RuntimeError`.
#[cfg(all(target_arch = "wasm32", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The crypto entry's allocator: dlmalloc, the allocator `std` itself uses on `wasm32`.
#[cfg(all(target_arch = "wasm32", not(feature = "std"), not(test)))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
