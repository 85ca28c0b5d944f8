//! Import bundles (PROTOCOL §5, the mirror of export): verify the enclave's `importBundle`
//! (same v1.0.0 envelope; data `{targetPublic, organizationId, userId}`), then HPKE-encrypt
//! the wallet's mnemonic to `targetPublic` as `{"encappedPublic":<hex>,"ciphertext":<hex>}`.

use crate::prelude::*;

use rand_core::{CryptoRng, RngCore};

use crate::rng::SystemRng;

use super::{BundleError, hpke_p256, signed};
use crate::encoding::hex_encode;
use crate::flat_json::object_of_strings;
use crate::keys::UncompressedP256;

/// Encrypts `mnemonic` to a verified import bundle, with the system RNG.
///
/// # Errors
/// As [`encrypt_wallet_to_bundle_with_rng`].
pub fn encrypt_wallet_to_bundle(
    mnemonic: &str,
    import_bundle: &str,
    user_id: &str,
    organization_id: &str,
    signer: &UncompressedP256,
) -> Result<String, BundleError> {
    encrypt_wallet_to_bundle_with_rng(
        mnemonic,
        import_bundle,
        user_id,
        organization_id,
        signer,
        &mut SystemRng,
    )
}

/// Encrypts `mnemonic` to a verified import bundle.
///
/// # Errors
/// The envelope errors of [`super::decrypt_export_bundle`], [`BundleError::OrganizationMismatch`],
/// [`BundleError::UserMismatch`], and [`BundleError::InvalidInput`] for a bad target key.
pub fn encrypt_wallet_to_bundle_with_rng<R: RngCore + CryptoRng>(
    mnemonic: &str,
    import_bundle: &str,
    user_id: &str,
    organization_id: &str,
    signer: &UncompressedP256,
    rng: &mut R,
) -> Result<String, BundleError> {
    let data = signed::parse_data(&signed::verify(import_bundle, signer)?)?;
    let actual = data.optional("organizationId")?.unwrap_or_default();
    if actual != organization_id {
        return Err(BundleError::OrganizationMismatch {
            expected: organization_id.to_owned(),
            actual: actual.to_owned(),
        });
    }
    let actual = data.optional("userId")?.unwrap_or_default();
    if actual != user_id {
        return Err(BundleError::UserMismatch {
            expected: user_id.to_owned(),
            actual: actual.to_owned(),
        });
    }
    let target = UncompressedP256::from_hex(data.optional("targetPublic")?.ok_or_else(|| {
        BundleError::InvalidInput("missing `targetPublic` in signed data".into())
    })?)?;
    let (encapped, ciphertext) = hpke_p256::seal_with_rng(mnemonic.as_bytes(), &target, rng)?;
    // Turnkey's member order (`@turnkey/crypto`'s `encryptToEnclave`).
    Ok(object_of_strings(&[
        ("encappedPublic", &encapped.to_hex()),
        ("ciphertext", &hex_encode(&ciphertext)),
    ]))
}
