//! Credential bundles (PROTOCOL §6): `bs58check(compressed encapped key (33 B) ‖ ciphertext)`,
//! decrypted with the export suite; the plaintext is a 32-byte P-256 API private key.
//! There is no enclave signature on this format.

use super::{BundleError, hpke_p256};
use crate::encoding::bs58check_decode;
use crate::keys::{CompressedP256, P256KeyPair};

/// Decrypts a credential bundle with `receiver`, returning the session's API key pair.
///
/// # Errors
/// [`BundleError::InvalidInput`] for bad base58check or a bundle of 33 bytes or fewer;
/// [`BundleError::Decryption`] for the wrong key or altered bytes;
/// [`BundleError::InvalidPlaintext`] if the plaintext is not a P-256 private key.
pub fn decrypt_credential_bundle(
    bundle: &str,
    receiver: &P256KeyPair,
) -> Result<P256KeyPair, BundleError> {
    let bytes = bs58check_decode(bundle)?;
    if bytes.len() <= 33 {
        return Err(BundleError::InvalidInput(format!(
            "a credential bundle is a 33-byte key and a ciphertext; got {} bytes",
            bytes.len()
        )));
    }
    let (key, ciphertext) = bytes.split_at(33);
    let encapped = CompressedP256::from_bytes(key)
        .map_err(|_| BundleError::Decryption)?
        .to_uncompressed();
    let plaintext = hpke_p256::open(&encapped, ciphertext, receiver)?;
    P256KeyPair::from_bytes(&plaintext).map_err(|_| {
        BundleError::InvalidPlaintext("the credential is not a P-256 private key".into())
    })
}
