//! Import bundles: any envelope and any validly signed data either yield an encrypted wallet that
//! the enclave opens to the mnemonic, or a typed error; never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quorum_kit::bundle::{enclave, encrypt_wallet_to_bundle};

fuzz_target!(|data: &[u8]| {
    let (Some(target), Some(signer)) = (common::key(common::RECEIVER), common::key(common::SIGNER)) else {
        return;
    };
    let signer_public = signer.public_key_uncompressed();
    let Some((&mode, rest)) = data.split_first() else { return };
    let bundle = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        common::envelope(rest, &signer)
    };
    let mnemonic = "leaf lady until indicate praise final route toast cake minimum insect unknown";
    if let Ok(encrypted) = encrypt_wallet_to_bundle(mnemonic, &bundle, "user", "org", &signer_public) {
        // Whatever was accepted must be addressed to a key we hold only if it names ours.
        if let Ok(opened) = enclave::open_import(&encrypted, &target) {
            assert_eq!(opened.as_slice(), mnemonic.as_bytes());
        }
    }
});
