//! The hand-written strict DER codec of ECDSA P-256 signatures against p256's own (`der` crate) as
//! the oracle: they read the same signature from the same bytes or both refuse them, and what ours
//! reads it writes back byte for byte (DER has one encoding per value).
#![no_main]

use libfuzzer_sys::fuzz_target;
use p256::ecdsa::{DerSignature, Signature};
use quorum_kit::der::{der_to_p1363, p1363_to_der, signature_from_der, signature_to_der};

fuzz_target!(|data: &[u8]| {
    let ours = signature_from_der(data).ok();
    let theirs = DerSignature::try_from(data).ok().and_then(|d| Signature::try_from(d).ok());
    assert_eq!(ours, theirs, "{}", hex::encode(data));
    if let Some(signature) = ours {
        assert_eq!(signature_to_der(&signature), data);
    }
    if let Ok(p1363) = der_to_p1363(data) {
        assert_eq!(p1363_to_der(&p1363).ok().as_deref(), Some(data));
    }
});
