//! Browser-layer tests in headless Chromium (wasm-bindgen-test): passkey option building and
//! DOMException mapping, the client's state handling against a fake transport, and WebCrypto
//! session stamping (DER conversion, non-extractable keys, IndexedDB), and export decryption
//! through WebCrypto against the core's path.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/client.rs"]
mod client;
#[path = "browser/export_target.rs"]
mod export_target;
#[path = "browser/facade.rs"]
mod facade;
#[path = "browser/passkey.rs"]
mod passkey;
#[path = "browser/session.rs"]
mod session;
#[path = "browser/util.rs"]
mod util;
