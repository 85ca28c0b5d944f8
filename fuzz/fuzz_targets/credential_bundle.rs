//! Credential bundles (bs58check): any string, and any validly sealed plaintext, decrypt to a key
//! or a typed error; never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quorum_kit::bundle::{decrypt_credential_bundle, enclave};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

fuzz_target!(|data: &[u8]| {
    let Some(receiver) = common::key(common::RECEIVER) else { return };
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode % 2 == 0 {
        let _ = decrypt_credential_bundle(&String::from_utf8_lossy(rest), &receiver);
    } else {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        let target = receiver.public_key_uncompressed();
        if let Ok(bundle) = enclave::seal_credential_bundle_with_rng(rest, &target, &mut rng) {
            let _ = decrypt_credential_bundle(&bundle, &receiver);
        }
    }
});
