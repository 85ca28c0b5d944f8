//! The browser-free half of `X-Stamp-WebAuthn` (PROTOCOL §2): the challenge a passkey signs
//! for a body, and the header value assembled from the assertion the authenticator returns.
//! The ceremony itself (`navigator.credentials.get`) lives in the browser layer.

use crate::prelude::*;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Stamp, StampError};
use crate::encoding::{base64url_decode, base64url_encode, hex_encode};

/// The header a passkey stamp travels in (header names are case-insensitive; Turnkey's TS SDK
/// writes `X-Stamp-Webauthn`).
pub const HEADER_NAME: &str = "X-Stamp-WebAuthn";

/// The challenge string for a body: lowercase hex of SHA-256 of the exact body bytes.
/// The passkey signs its 64 ASCII bytes (not the raw 32-byte digest).
#[must_use]
pub fn challenge_for_body(body: &str) -> String {
    hex_encode(&Sha256::digest(body.as_bytes()))
}

/// What an authenticator returns from `navigator.credentials.get`, as raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// `response.authenticatorData`.
    pub authenticator_data: Vec<u8>,
    /// `response.clientDataJSON`.
    pub client_data_json: Vec<u8>,
    /// The credential's `rawId`.
    pub credential_id: Vec<u8>,
    /// `response.signature` (DER ECDSA for ES256 passkeys).
    pub signature: Vec<u8>,
}

/// The JSON carried by `X-Stamp-WebAuthn`: each field base64url without padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebauthnStampValue {
    /// base64url of the authenticator data.
    pub authenticator_data: String,
    /// base64url of the client data JSON.
    pub client_data_json: String,
    /// base64url of the credential's raw id.
    pub credential_id: String,
    /// base64url of the DER signature.
    pub signature: String,
}

impl Assertion {
    /// The `X-Stamp-WebAuthn` stamp for this assertion.
    #[must_use]
    pub fn to_stamp(&self) -> Stamp {
        let value = WebauthnStampValue {
            authenticator_data: base64url_encode(&self.authenticator_data),
            client_data_json: base64url_encode(&self.client_data_json),
            credential_id: base64url_encode(&self.credential_id),
            signature: base64url_encode(&self.signature),
        };
        Stamp {
            header_name: HEADER_NAME.to_owned(),
            // A struct of four strings always serializes.
            header_value: serde_json::to_string(&value).unwrap_or_default(),
        }
    }
}

impl WebauthnStampValue {
    /// Parses a header value (plain JSON, not base64).
    ///
    /// # Errors
    /// [`StampError::Malformed`] for anything but the four-field JSON.
    pub fn parse(header_value: &str) -> Result<Self, StampError> {
        serde_json::from_str(header_value).map_err(|e| StampError::Malformed(e.to_string()))
    }

    /// Decodes the four fields to bytes.
    ///
    /// # Errors
    /// [`StampError::Malformed`] if a field is not base64url.
    pub fn to_assertion(&self) -> Result<Assertion, StampError> {
        let decode =
            |s: &str| base64url_decode(s).map_err(|e| StampError::Malformed(e.to_string()));
        Ok(Assertion {
            authenticator_data: decode(&self.authenticator_data)?,
            client_data_json: decode(&self.client_data_json)?,
            credential_id: decode(&self.credential_id)?,
            signature: decode(&self.signature)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_hex_of_sha256_of_the_body() {
        let body = r#"{"type":"ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION","timestampMs":"1754952030221","organizationId":"35e5c619-ba95-417c-bb48-b16f1543aea0","parameters":{"deleteWithoutExport":true}}"#;
        // PROTOCOL §7 E: the fingerprint is "sha256:" + the same hex.
        assert_eq!(
            challenge_for_body(body),
            "143e777f907453d71c5a3213059d641f54b28737276c4bc6b405ef06831876cb"
        );
        assert_eq!(challenge_for_body("").len(), 64);
    }

    #[test]
    fn header_round_trips_and_is_plain_json() {
        let assertion = Assertion {
            authenticator_data: vec![1, 2, 3],
            client_data_json: br#"{"type":"webauthn.get"}"#.to_vec(),
            credential_id: vec![0xfb, 0xff],
            signature: vec![0x30, 0x06],
        };
        let stamp = assertion.to_stamp();
        assert_eq!(stamp.header_name, "X-Stamp-WebAuthn");
        let json: serde_json::Value = serde_json::from_str(&stamp.header_value).unwrap();
        assert_eq!(json["credentialId"], "-_8");
        assert_eq!(json["authenticatorData"], "AQID");
        let parsed = WebauthnStampValue::parse(&stamp.header_value).unwrap();
        assert_eq!(parsed.to_assertion().unwrap(), assertion);
        assert!(WebauthnStampValue::parse("eyJ").is_err());
    }
}
