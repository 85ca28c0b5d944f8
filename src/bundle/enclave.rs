//! The enclave's side of each bundle: what Turnkey's signer enclave produces, implemented for
//! the local sandbox and for round-trip tests. (Interop is proved separately against Turnkey's
//! own `turnkey_enclave_encrypt` and `@turnkey/crypto`.)

use crate::prelude::*;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{BundleError, hpke_p256, signed};
use crate::encoding::{bs58check_encode, hex_decode, hex_encode};
use crate::flat_json::{Object, object_of_strings};
use crate::keys::{P256KeyPair, UncompressedP256};

/// Seals `plaintext` to `target` as a v1.0.0 export bundle for `organization_id`, signed by `signer`.
///
/// # Errors
/// [`BundleError::InvalidInput`] if HPKE refuses the target key.
pub fn seal_export_bundle_with_rng<R: RngCore + CryptoRng>(
    plaintext: &[u8],
    target: &UncompressedP256,
    organization_id: &str,
    signer: &P256KeyPair,
    rng: &mut R,
) -> Result<String, BundleError> {
    let (encapped, ciphertext) = hpke_p256::seal_with_rng(plaintext, target, rng)?;
    let data = object_of_strings(&[
        ("encappedPublic", &encapped.to_hex()),
        ("ciphertext", &hex_encode(&ciphertext)),
        ("organizationId", organization_id),
    ]);
    Ok(signed::sign(data.as_bytes(), signer))
}

/// Seals a 32-byte credential to `target` as a bs58check credential bundle.
///
/// # Errors
/// [`BundleError::InvalidInput`] if HPKE refuses the target key.
pub fn seal_credential_bundle_with_rng<R: RngCore + CryptoRng>(
    plaintext: &[u8],
    target: &UncompressedP256,
    rng: &mut R,
) -> Result<String, BundleError> {
    let (encapped, ciphertext) = hpke_p256::seal_with_rng(plaintext, target, rng)?;
    let mut bytes = encapped.to_compressed().as_bytes().to_vec();
    bytes.extend_from_slice(&ciphertext);
    Ok(bs58check_encode(&bytes))
}

/// Makes an import bundle: the enclave's signed `{targetPublic, organizationId, userId}`.
#[must_use]
pub fn import_bundle(
    target: &UncompressedP256,
    organization_id: &str,
    user_id: &str,
    signer: &P256KeyPair,
) -> String {
    let data = object_of_strings(&[
        ("targetPublic", &target.to_hex()),
        ("organizationId", organization_id),
        ("userId", user_id),
    ]);
    signed::sign(data.as_bytes(), signer)
}

/// Opens an `encryptedBundle` (`{"encappedPublic","ciphertext"}`) made for an import bundle.
///
/// # Errors
/// [`BundleError::InvalidInput`] for bad JSON or hex, [`BundleError::Decryption`] otherwise.
pub fn open_import(
    encrypted_bundle: &str,
    target: &P256KeyPair,
) -> Result<Zeroizing<Vec<u8>>, BundleError> {
    let parsed =
        Object::parse(encrypted_bundle).map_err(|e| BundleError::InvalidInput(e.to_string()))?;
    let member = |name: &str| {
        parsed
            .string(name)
            .map_err(|e| BundleError::InvalidInput(e.to_string()))?
            .ok_or_else(|| BundleError::InvalidInput(format!("missing field `{name}`")))
    };
    let encapped = UncompressedP256::from_hex(member("encappedPublic")?)
        .map_err(|_| BundleError::Decryption)?;
    hpke_p256::open(&encapped, &hex_decode(member("ciphertext")?)?, target)
}
