//! Stamps: the signature headers that authenticate every Turnkey request.
//!
//! A [`Stamper`] turns the exact body bytes of a request into a [`Stamp`], a header name and
//! value. [`api_key::ApiKeyStamper`] makes `X-Stamp` (PROTOCOL §1); [`webauthn`] holds the
//! browser-free half of `X-Stamp-WebAuthn` (PROTOCOL §2), whose ceremony lives in the browser layer.

use crate::prelude::*;

pub mod api_key;
pub mod webauthn;

pub use api_key::ApiKeyStamper;

/// A request header that authenticates one exact request body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stamp {
    /// `X-Stamp` or `X-Stamp-WebAuthn`.
    #[serde(rename = "stampHeaderName")]
    pub header_name: String,
    /// The header's value.
    #[serde(rename = "stampHeaderValue")]
    pub header_value: String,
}

/// Why a stamp could not be made or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StampError {
    /// The header value is not in the expected format.
    #[error("malformed stamp: {0}")]
    Malformed(String),
    /// The stamp names a signature scheme other than `SIGNATURE_SCHEME_TK_API_P256`.
    #[error("unsupported signature scheme {0:?}")]
    UnsupportedScheme(String),
    /// The signature does not verify over the body with the stamp's public key.
    #[error("the stamp's signature does not verify over the request body")]
    BadSignature,
    /// The signer failed (for example a passkey ceremony was cancelled).
    #[error("signing failed: {0}")]
    Signer(String),
}

/// Anything that can stamp a request body: an API key, a session key, a passkey.
///
/// The future is deliberately not `Send`: browser signers hold JavaScript values.
#[allow(async_fn_in_trait)]
pub trait Stamper {
    /// Stamps the exact body bytes that will be sent.
    ///
    /// # Errors
    /// [`StampError::Signer`] when the underlying signer fails or is cancelled.
    async fn stamp(&self, body: &str) -> Result<Stamp, StampError>;
}
