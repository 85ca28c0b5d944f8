//! The signed v1.0.0 envelope shared by export and import bundles:
//! `{"version":"v1.0.0","data":<hex>,"dataSignature":<DER hex>,"enclaveQuorumPublic":<hex>}`.
//! Verification order (PROTOCOL §5): pinned signer, then ECDSA P-256/SHA-256 over the
//! hex-decoded data bytes; the caller checks the organization next, and only then decrypts.

use crate::prelude::*;

use super::BundleError;
use crate::der::{signature_from_der, signature_to_der};
use crate::encoding::{hex_decode, hex_encode};
use crate::flat_json::{JsonError, Object, object_of_strings};
use crate::keys::{P256KeyPair, UncompressedP256};
use p256::ecdsa::VerifyingKey;
use p256::ecdsa::signature::Verifier as _;

/// The only envelope version accepted.
pub(crate) const VERSION: &str = "v1.0.0";

/// Turnkey's parsed JSON, with the context its errors are reported in (`bundle is not JSON`,
/// `signed data is not the expected JSON`).
pub(crate) struct Fields {
    object: Object,
    context: &'static str,
}

impl Fields {
    fn parse(bytes: &[u8], context: &'static str) -> Result<Self, BundleError> {
        Object::parse_bytes(bytes)
            .map(|object| Self { object, context })
            .map_err(|e| invalid(context, &e))
    }

    /// The string member `name`, `None` when absent or `null`.
    pub(crate) fn optional(&self, name: &str) -> Result<Option<&str>, BundleError> {
        self.object
            .string(name)
            .map_err(|e| invalid(self.context, &e))
    }

    /// The string member `name`, which must be present.
    pub(crate) fn required(&self, name: &str) -> Result<&str, BundleError> {
        self.optional(name)?
            .ok_or_else(|| BundleError::InvalidInput(format!("missing field `{name}`")))
    }
}

fn invalid(context: &str, e: &JsonError) -> BundleError {
    BundleError::InvalidInput(format!("{context}: {e}"))
}

/// A parsed envelope whose `enclaveQuorumPublic` is the expected signer; its signature is
/// **not yet verified** (the core verifies it with `p256`, the browser layer with WebCrypto).
pub(crate) struct PinnedEnvelope {
    /// The hex-decoded `data` bytes, over which the signature is made.
    pub(crate) data: Vec<u8>,
    /// The hex-decoded DER `dataSignature`.
    pub(crate) signature_der: Vec<u8>,
}

/// Parses the envelope, checks its version and pins its signer (PROTOCOL §5, first check).
pub(crate) fn parse_pinned(
    bundle: &str,
    signer: &UncompressedP256,
) -> Result<PinnedEnvelope, BundleError> {
    let envelope = Fields::parse(bundle.as_bytes(), "bundle is not JSON")?;
    let version = envelope.optional("version")?;
    if version.is_none() && envelope.optional("encappedPublicSignature")?.is_some() {
        return Err(BundleError::LegacyBundle);
    }
    let version = envelope.required("version")?;
    if version != VERSION {
        return Err(BundleError::UnsupportedVersion(version.to_owned()));
    }
    let quorum = UncompressedP256::from_hex(envelope.required("enclaveQuorumPublic")?)?;
    if &quorum != signer {
        return Err(BundleError::UntrustedSigner {
            expected: signer.to_hex(),
            actual: quorum.to_hex(),
        });
    }
    Ok(PinnedEnvelope {
        data: hex_decode(envelope.required("data")?)?,
        signature_der: hex_decode(envelope.required("dataSignature")?)?,
    })
}

/// Verifies the envelope and returns the signed data bytes.
pub(crate) fn verify(bundle: &str, signer: &UncompressedP256) -> Result<Vec<u8>, BundleError> {
    let PinnedEnvelope {
        data,
        signature_der,
    } = parse_pinned(bundle, signer)?;
    let signature = signature_from_der(&signature_der).map_err(|_| BundleError::BadSignature)?;
    VerifyingKey::from(signer.public_key())
        .verify(&data, &signature)
        .map_err(|_| BundleError::BadSignature)?;
    Ok(data)
}

/// Signs `data` into a v1.0.0 envelope (the enclave's side).
pub(crate) fn sign(data: &[u8], signer: &P256KeyPair) -> String {
    let signature = crate::basepoint::sign(signer.secret_key(), data);
    object_of_strings(&[
        ("version", VERSION),
        ("data", &hex_encode(data)),
        ("dataSignature", &hex_encode(&signature_to_der(&signature))),
        (
            "enclaveQuorumPublic",
            &signer.public_key_uncompressed().to_hex(),
        ),
    ])
}

/// Parses the signed data, a JSON object of strings.
pub(crate) fn parse_data(data: &[u8]) -> Result<Fields, BundleError> {
    Fields::parse(data, "signed data is not the expected JSON")
}
