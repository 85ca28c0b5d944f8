//! Credential bundles (PROTOCOL §6): `bs58check(compressed encapped key (33 B) ‖ ciphertext)`,
//! decrypted with the export suite; the plaintext is a 32-byte P-256 API private key.
//! There is no enclave signature on this format.

use crate::prelude::*;

use super::export::Sealed;
use super::{BundleError, hpke_p256};
use crate::encoding::bs58check_decode;
use crate::keys::{CompressedP256, P256KeyPair};

/// Longer bundles are refused before decoding: a real one is about 111 characters (33-byte key,
/// 32-byte secret, 16-byte tag, 4-byte check), and base58 decoding is quadratic in the length
/// (a 3 MB string took minutes).
pub const MAX_CREDENTIAL_BUNDLE_CHARS: usize = 1024;

/// Decrypts a credential bundle with `receiver`, returning the session's API key pair.
///
/// # Errors
/// [`BundleError::InvalidInput`] for bad base58check, a bundle of 33 bytes or fewer, or one
/// longer than [`MAX_CREDENTIAL_BUNDLE_CHARS`];
/// [`BundleError::Decryption`] for the wrong key or altered bytes;
/// [`BundleError::InvalidPlaintext`] if the plaintext is not a P-256 private key.
pub fn decrypt_credential_bundle(
    bundle: &str,
    receiver: &P256KeyPair,
) -> Result<P256KeyPair, BundleError> {
    let sealed = sealed_from_credential_bundle(bundle)?;
    let plaintext = hpke_p256::open(&sealed.encapped, &sealed.ciphertext, receiver)?;
    credential_from_plaintext(&plaintext)
}

/// A credential bundle's parts: the encapped key (decompressed; the bundle carries it compressed)
/// and the ciphertext. Shared with the WebCrypto path (`ExportTarget`), which opens them itself.
///
/// # Errors
/// As [`decrypt_credential_bundle`], but for the decryption and the plaintext.
pub(crate) fn sealed_from_credential_bundle(bundle: &str) -> Result<Sealed, BundleError> {
    if bundle.len() > MAX_CREDENTIAL_BUNDLE_CHARS {
        return Err(BundleError::InvalidInput(format!(
            "a credential bundle is at most {MAX_CREDENTIAL_BUNDLE_CHARS} characters; got {}",
            bundle.len()
        )));
    }
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
    Ok(Sealed {
        encapped,
        ciphertext: ciphertext.to_vec(),
    })
}

/// The session's API key pair from an opened credential bundle.
///
/// # Errors
/// [`BundleError::InvalidPlaintext`] if the plaintext is not a P-256 private key.
pub(crate) fn credential_from_plaintext(plaintext: &[u8]) -> Result<P256KeyPair, BundleError> {
    P256KeyPair::from_bytes(plaintext).map_err(|_| {
        BundleError::InvalidPlaintext("the credential is not a P-256 private key".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (hostile-input property test): a 3 MB string hung base58 decoding for minutes.
    #[test]
    fn an_oversized_bundle_is_refused_at_once() {
        let receiver = P256KeyPair::generate();
        let huge = "x".repeat(3 << 20);
        let started = std::time::Instant::now();
        let err = decrypt_credential_bundle(&huge, &receiver).err();
        assert!(matches!(err, Some(BundleError::InvalidInput(_))), "{err:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let long_valid_alphabet = "2".repeat(MAX_CREDENTIAL_BUNDLE_CHARS + 1);
        assert!(matches!(
            decrypt_credential_bundle(&long_valid_alphabet, &receiver),
            Err(BundleError::InvalidInput(_))
        ));
    }
}
