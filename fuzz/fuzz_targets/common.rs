//! Shared by the fuzz targets: fixed keys, and an enclave envelope signed over fuzzer-chosen data
//! (so the fuzzer reaches the parsers behind the signature check, not only the envelope's).

#![allow(dead_code)] // each target uses a part of this module

use p256::ecdsa::{Signature, signature::Signer};
use quorum_kit::keys::P256KeyPair;

/// The receiver (target) key of PROTOCOL §7's vector A.
pub const RECEIVER: &str = "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3";
/// The test enclave signer of the crypto oracle tests.
pub const SIGNER: &str = "28ebf311b27f34cdf078489584d336423e09c522342f5b067dea36823c2cc5ed";

/// A key pair from a fixed hex (the constants above always parse).
pub fn key(hex: &str) -> Option<P256KeyPair> {
    P256KeyPair::from_private_hex(hex).ok()
}

/// A v1.0.0 envelope over `data`, signed by `signer`, as Turnkey's enclave makes it.
pub fn envelope(data: &[u8], signer: &P256KeyPair) -> String {
    let signature: Signature = signer.signing_key().sign(data);
    format!(
        r#"{{"version":"v1.0.0","data":"{}","dataSignature":"{}","enclaveQuorumPublic":"{}"}}"#,
        hex::encode(data),
        hex::encode(signature.to_der().as_bytes()),
        signer.public_key_uncompressed().to_hex()
    )
}
