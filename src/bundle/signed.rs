//! The signed v1.0.0 envelope shared by export and import bundles:
//! `{"version":"v1.0.0","data":<hex>,"dataSignature":<DER hex>,"enclaveQuorumPublic":<hex>}`.
//! Verification order (PROTOCOL §5): pinned signer, then ECDSA P-256/SHA-256 over the
//! hex-decoded data bytes; the caller checks the organization next, and only then decrypts.

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{DerSignature, Signature, VerifyingKey};
use serde::Deserialize;

use super::BundleError;
use crate::encoding::{hex_decode, hex_encode};
use crate::keys::{P256KeyPair, UncompressedP256};

/// The only envelope version accepted.
pub(crate) const VERSION: &str = "v1.0.0";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    data: Option<String>,
    #[serde(default)]
    data_signature: Option<String>,
    #[serde(default)]
    enclave_quorum_public: Option<String>,
    #[serde(default)]
    encapped_public_signature: Option<String>,
}

fn required(field: Option<String>, name: &str) -> Result<String, BundleError> {
    field.ok_or_else(|| BundleError::InvalidInput(format!("missing field `{name}`")))
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
    let envelope: Envelope = serde_json::from_str(bundle)
        .map_err(|e| BundleError::InvalidInput(format!("bundle is not JSON: {e}")))?;
    if envelope.version.is_none() && envelope.encapped_public_signature.is_some() {
        return Err(BundleError::LegacyBundle);
    }
    let version = required(envelope.version, "version")?;
    if version != VERSION {
        return Err(BundleError::UnsupportedVersion(version));
    }
    let quorum = UncompressedP256::from_hex(&required(
        envelope.enclave_quorum_public,
        "enclaveQuorumPublic",
    )?)?;
    if &quorum != signer {
        return Err(BundleError::UntrustedSigner {
            expected: signer.to_hex(),
            actual: quorum.to_hex(),
        });
    }
    Ok(PinnedEnvelope {
        data: hex_decode(&required(envelope.data, "data")?)?,
        signature_der: hex_decode(&required(envelope.data_signature, "dataSignature")?)?,
    })
}

/// Verifies the envelope and returns the signed data bytes.
pub(crate) fn verify(bundle: &str, signer: &UncompressedP256) -> Result<Vec<u8>, BundleError> {
    let PinnedEnvelope {
        data,
        signature_der,
    } = parse_pinned(bundle, signer)?;
    let signature =
        DerSignature::try_from(signature_der.as_slice()).map_err(|_| BundleError::BadSignature)?;
    VerifyingKey::from(signer.public_key())
        .verify(&data, &signature)
        .map_err(|_| BundleError::BadSignature)?;
    Ok(data)
}

/// Signs `data` into a v1.0.0 envelope (the enclave's side).
pub(crate) fn sign(data: &[u8], signer: &P256KeyPair) -> String {
    let signature: Signature = signer.signing_key().sign(data);
    serde_json::json!({
        "version": VERSION,
        "data": hex_encode(data),
        "dataSignature": hex_encode(signature.to_der().as_bytes()),
        "enclaveQuorumPublic": signer.public_key_uncompressed().to_hex(),
    })
    .to_string()
}

/// Parses the signed data as JSON of type `T`.
pub(crate) fn parse_data<T: serde::de::DeserializeOwned>(data: &[u8]) -> Result<T, BundleError> {
    serde_json::from_slice(data).map_err(|e| {
        BundleError::InvalidInput(format!("signed data is not the expected JSON: {e}"))
    })
}
