//! Any input to the bundle parsers yields a value or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::bundle::{decrypt_credential_bundle, decrypt_export_bundle, encrypt_wallet_to_bundle};
use quorum_kit::keys::P256KeyPair;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let Ok(receiver) = P256KeyPair::from_private_hex("ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3") else {
        return;
    };
    let signer = receiver.public_key_uncompressed();
    let _ = decrypt_export_bundle(text, &receiver, "org", &signer);
    let _ = decrypt_credential_bundle(text, &receiver);
    let _ = encrypt_wallet_to_bundle("words", text, "user", "org", &signer);
});
