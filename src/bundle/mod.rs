//! Bundles: what Turnkey's enclaves encrypt to a browser and what a browser encrypts to them.
//!
//! - [`export`]: v1.0.0 export bundles, verified (pinned signer, ECDSA over the data,
//!   organization) and then decrypted (PROTOCOL §5).
//! - [`credential`]: bs58check credential bundles for sessions and email auth (PROTOCOL §6).
//! - [`import`]: import bundles, verified, and a wallet encrypted to their target (PROTOCOL §5).
//! - [`enclave`]: the enclave's side of each, for the sandbox and for tests.
//!
//! All three use one HPKE suite ([`hpke_p256`]): DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
//! AES-256-GCM, base mode, info `turnkey_hpke`, AAD = encapped key ‖ receiver key (both uncompressed).

use crate::prelude::*;

pub mod credential;
pub mod enclave;
pub mod export;
pub mod hpke_p256;
pub mod import;
pub(crate) mod signed;

pub use credential::decrypt_credential_bundle;
pub use export::{
    KeyFormat, decrypt_export_bundle, export_plaintext_to_key, export_plaintext_to_mnemonic,
};
pub use import::{encrypt_wallet_to_bundle, encrypt_wallet_to_bundle_with_rng};

use crate::keys::UncompressedP256;

/// Turnkey's production signer enclave key (PROTOCOL §5), pinned by default.
pub const PRODUCTION_SIGNER_PUBLIC_KEY: &str = "04cf288fe433cc4e1aa0ce1632feac4ea26bf2f5a09dcfe5a42c398e06898710330f0572882f4dbdf0f5304b8fc8703acd69adca9a4bbf7f5d00d20a5e364b2569";
/// Turnkey's pre-production signer enclave key.
pub const PREPROD_SIGNER_PUBLIC_KEY: &str = "04f3422b8afbe425d6ece77b8d2469954715a2ff273ab7ac89f1ed70e0a9325eaa1698b4351fd1b23734e65c0b6a86b62dd49d70b37c94606aac402cbd84353212";

/// The production signer key as a parsed point.
///
/// # Errors
/// Never in practice: the constant is a valid point (a test checks it).
pub fn production_signer() -> Result<UncompressedP256, BundleError> {
    UncompressedP256::from_hex(PRODUCTION_SIGNER_PUBLIC_KEY)
        .map_err(|e| BundleError::InvalidInput(e.to_string()))
}

/// Why a bundle was refused. Each variant has a stable [`BundleError::name`] the JS facade
/// throws as the `Error`'s `name`. Decryption failures are deliberately opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Not JSON, a missing field, bad hex or base58, a bad key: the input is not a bundle.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A legacy v0 bundle (`encappedPublicSignature`), which Turnkey's current libraries refuse.
    #[error("legacy v0 bundles are not supported; ask the server for a v1.0.0 bundle")]
    LegacyBundle,
    /// A version other than `v1.0.0`.
    #[error("unsupported bundle version {0:?}; expected \"v1.0.0\"")]
    UnsupportedVersion(String),
    /// The bundle was signed by a key other than the pinned signer.
    #[error("the bundle's signer {actual} is not the expected signer {expected}")]
    UntrustedSigner {
        /// The pinned (or overriding) signer key, hex.
        expected: String,
        /// The key the bundle names, hex.
        actual: String,
    },
    /// The enclave signature does not verify over the data.
    #[error("the enclave signature does not verify over the bundle data")]
    BadSignature,
    /// The signed data names another organization.
    #[error("the bundle is for organization {actual:?}, expected {expected:?}")]
    OrganizationMismatch {
        /// The organization the caller expected.
        expected: String,
        /// The organization in the signed data.
        actual: String,
    },
    /// The signed data names another user.
    #[error("the bundle is for user {actual:?}, expected {expected:?}")]
    UserMismatch {
        /// The user the caller expected.
        expected: String,
        /// The user in the signed data.
        actual: String,
    },
    /// HPKE failed: wrong key, or the ciphertext or encapped key was altered.
    #[error("decryption failed")]
    Decryption,
    /// The plaintext is not what was asked for (not UTF-8 for a mnemonic, not 32 bytes for a key).
    #[error("unexpected plaintext: {0}")]
    InvalidPlaintext(String),
}

impl BundleError {
    /// The stable error name thrown to JavaScript.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "InvalidInputError",
            Self::LegacyBundle => "LegacyBundleError",
            Self::UnsupportedVersion(_) => "UnsupportedVersionError",
            Self::UntrustedSigner { .. } => "UntrustedSignerError",
            Self::BadSignature => "BundleSignatureError",
            Self::OrganizationMismatch { .. } => "OrganizationMismatchError",
            Self::UserMismatch { .. } => "UserMismatchError",
            Self::Decryption => "DecryptionError",
            Self::InvalidPlaintext(_) => "InvalidPlaintextError",
        }
    }
}

impl From<crate::encoding::EncodingError> for BundleError {
    fn from(e: crate::encoding::EncodingError) -> Self {
        Self::InvalidInput(e.to_string())
    }
}

impl From<crate::keys::KeyError> for BundleError {
    fn from(e: crate::keys::KeyError) -> Self {
        Self::InvalidInput(e.to_string())
    }
}
