//! Export bundles (PROTOCOL §5): verify the enclave's signature and the organization, then
//! HPKE-decrypt to the embedded key; format the plaintext as a mnemonic, hex, or a Solana key.

use crate::prelude::*;

use zeroize::Zeroizing;

use super::{BundleError, hpke_p256, signed};
use crate::encoding::{bs58_encode, hex_decode, hex_encode};
use crate::keys::{P256KeyPair, UncompressedP256};

/// How a decrypted private key is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyFormat {
    /// Lowercase hex of the 32 bytes.
    #[default]
    Hexadecimal,
    /// base58 of private key (32 B) ‖ Ed25519 public key (32 B), as Solana wallets import it.
    Solana,
}

impl KeyFormat {
    /// Parses Turnkey's `keyFormat` option (`"HEXADECIMAL"` or `"SOLANA"`).
    ///
    /// # Errors
    /// [`BundleError::InvalidInput`] for any other value.
    pub fn parse(s: &str) -> Result<Self, BundleError> {
        match s {
            "HEXADECIMAL" => Ok(Self::Hexadecimal),
            "SOLANA" => Ok(Self::Solana),
            other => Err(BundleError::InvalidInput(format!(
                "unknown keyFormat {other:?}; expected \"HEXADECIMAL\" or \"SOLANA\""
            ))),
        }
    }
}

/// Verifies an export bundle and decrypts it with `receiver`, returning the raw plaintext.
///
/// Checks, in order: version, `enclaveQuorumPublic == signer`, the signature over the data,
/// `organizationId == organization_id`; only then decrypts.
///
/// # Errors
/// Every [`BundleError`] but `UserMismatch`, each for the check that failed.
pub fn decrypt_export_bundle(
    bundle: &str,
    receiver: &P256KeyPair,
    organization_id: &str,
    signer: &UncompressedP256,
) -> Result<Zeroizing<Vec<u8>>, BundleError> {
    let sealed = sealed_from_signed_data(&signed::verify(bundle, signer)?, organization_id)?;
    hpke_p256::open(&sealed.encapped, &sealed.ciphertext, receiver)
}

/// An HPKE message for its receiver: the encapsulated key and the ciphertext. A verified export
/// bundle carries one (PROTOCOL §5), and so does a credential bundle (§6).
pub(crate) struct Sealed {
    /// The sender's ephemeral key, 65 bytes uncompressed (an export bundle's compressed key is
    /// refused; a credential bundle's, always compressed, is decompressed).
    pub(crate) encapped: UncompressedP256,
    /// AES-256-GCM ciphertext and tag.
    pub(crate) ciphertext: Vec<u8>,
}

/// The last checks on signed data whose signature **has been verified**: parses it, checks the
/// organization, then the encapped key (opaquely: a bad one is [`BundleError::Decryption`]) and
/// the ciphertext.
pub(crate) fn sealed_from_signed_data(
    verified_data: &[u8],
    organization_id: &str,
) -> Result<Sealed, BundleError> {
    let data = signed::parse_data(verified_data)?;
    let actual = data.optional("organizationId")?.unwrap_or_default();
    if actual != organization_id {
        return Err(BundleError::OrganizationMismatch {
            expected: organization_id.to_owned(),
            actual: actual.to_owned(),
        });
    }
    let encapped = data.optional("encappedPublic")?.ok_or_else(|| {
        BundleError::InvalidInput("missing `encappedPublic` in signed data".into())
    })?;
    let encapped = UncompressedP256::from_hex(encapped).map_err(|_| BundleError::Decryption)?;
    let ciphertext =
        hex_decode(data.optional("ciphertext")?.ok_or_else(|| {
            BundleError::InvalidInput("missing `ciphertext` in signed data".into())
        })?)?;
    Ok(Sealed {
        encapped,
        ciphertext,
    })
}

/// The plaintext of a wallet export as its mnemonic (UTF-8).
///
/// # Errors
/// [`BundleError::InvalidPlaintext`] if it is not UTF-8.
pub fn export_plaintext_to_mnemonic(plaintext: &[u8]) -> Result<Zeroizing<String>, BundleError> {
    core::str::from_utf8(plaintext)
        .map(|s| Zeroizing::new(s.to_owned()))
        .map_err(|_| BundleError::InvalidPlaintext("a wallet export is not UTF-8 text".into()))
}

/// The plaintext of a key or account export, written in `format`.
///
/// # Errors
/// [`BundleError::InvalidPlaintext`] if a Solana key is not 32 bytes.
pub fn export_plaintext_to_key(
    plaintext: &[u8],
    format: KeyFormat,
) -> Result<Zeroizing<String>, BundleError> {
    match format {
        KeyFormat::Hexadecimal => Ok(Zeroizing::new(hex_encode(plaintext))),
        KeyFormat::Solana => {
            let secret: Zeroizing<[u8; 32]> =
                Zeroizing::new(plaintext.try_into().map_err(|_| {
                    BundleError::InvalidPlaintext(format!(
                        "a Solana private key is 32 bytes, got {}",
                        plaintext.len()
                    ))
                })?);
            let public = ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key();
            let mut keypair = Zeroizing::new([0u8; 64]);
            let (left, right) = keypair.split_at_mut(32);
            left.copy_from_slice(secret.as_ref());
            right.copy_from_slice(public.as_bytes());
            Ok(Zeroizing::new(bs58_encode(keypair.as_ref())))
        }
    }
}

/// Parses the embedded key as Turnkey's clients pass it: hex of the 32 private bytes.
///
/// # Errors
/// [`BundleError::InvalidInput`] for anything else.
pub fn embedded_key_from_hex(embedded_key: &str) -> Result<P256KeyPair, BundleError> {
    let bytes = Zeroizing::new(hex_decode(embedded_key)?);
    P256KeyPair::from_bytes(&bytes).map_err(BundleError::from)
}
