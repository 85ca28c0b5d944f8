//! Export bundles: any envelope, any signed data, and any sealed plaintext decrypt to a mnemonic or
//! key, or to a typed error; never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quorum_kit::bundle::{
    KeyFormat, decrypt_export_bundle, enclave, export_plaintext_to_key,
    export_plaintext_to_mnemonic,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

fuzz_target!(|data: &[u8]| {
    let (Some(receiver), Some(signer)) = (common::key(common::RECEIVER), common::key(common::SIGNER)) else {
        return;
    };
    let signer_public = signer.public_key_uncompressed();
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        // The whole envelope from the fuzzer.
        0 => {
            let text = String::from_utf8_lossy(rest);
            let _ = decrypt_export_bundle(&text, &receiver, "org", &signer_public);
        }
        // Validly signed data chosen by the fuzzer (the JSON inside the envelope).
        1 => {
            let bundle = common::envelope(rest, &signer);
            let _ = decrypt_export_bundle(&bundle, &receiver, "org", &signer_public);
        }
        // A validly sealed plaintext chosen by the fuzzer: the mnemonic and key decoders.
        _ => {
            let mut rng = ChaCha20Rng::seed_from_u64(0);
            let receiver_public = receiver.public_key_uncompressed();
            let Ok(bundle) =
                enclave::seal_export_bundle_with_rng(rest, &receiver_public, "org", &signer, &mut rng)
            else {
                return;
            };
            if let Ok(plaintext) = decrypt_export_bundle(&bundle, &receiver, "org", &signer_public) {
                assert_eq!(plaintext.as_slice(), rest, "a sealed plaintext opens to itself");
                let _ = export_plaintext_to_mnemonic(&plaintext);
                let _ = export_plaintext_to_key(&plaintext, KeyFormat::Hexadecimal);
                let _ = export_plaintext_to_key(&plaintext, KeyFormat::Solana);
            }
        }
    }
});
