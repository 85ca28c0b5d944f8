//! `X-Stamp`: an API-key stamp (PROTOCOL §1).
//!
//! The value is base64url (no padding) of the JSON
//! `{"publicKey": <compressed hex>, "scheme": "SIGNATURE_SCHEME_TK_API_P256", "signature": <DER hex>}`,
//! where the signature is RFC 6979 deterministic ECDSA P-256 over SHA-256 of the exact body bytes.

use crate::prelude::*;

use super::{Stamp, StampError, Stamper};
use crate::der::{signature_from_der, signature_to_der};
use crate::encoding::{base64url_decode, base64url_encode, hex_decode, hex_encode};
use crate::flat_json::{Object, object_of_strings};
use crate::keys::{CompressedP256, P256KeyPair};
use p256::SecretKey;
use p256::ecdsa::VerifyingKey;
use p256::ecdsa::signature::Verifier as _;

/// The header an API-key stamp travels in.
pub const HEADER_NAME: &str = "X-Stamp";
/// The only scheme Turnkey accepts for P-256 API keys.
pub const SCHEME: &str = "SIGNATURE_SCHEME_TK_API_P256";

/// Stamps bodies with a P-256 API key (the platform's key, or a session key).
/// The secret key is zeroized on drop; a stamp costs one ECDSA signature, whose `k·G` goes
/// through the precomputed generator table ([`crate::basepoint`]).
#[derive(Clone)]
pub struct ApiKeyStamper {
    secret: SecretKey,
    public_hex: String,
}

impl core::fmt::Debug for ApiKeyStamper {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ApiKeyStamper")
            .field("public_key", &self.public_hex)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

impl ApiKeyStamper {
    /// A stamper for this key pair.
    #[must_use]
    pub fn new(key: P256KeyPair) -> Self {
        Self {
            secret: key.secret_key().clone(),
            public_hex: key.public_key_compressed().to_hex(),
        }
    }

    /// A stamper from Turnkey-style hex keys, checking that they belong together.
    ///
    /// # Errors
    /// [`crate::keys::KeyError`] for malformed keys or a public key that is not the private key's.
    pub fn from_hex(public_key: &str, private_key: &str) -> Result<Self, crate::keys::KeyError> {
        let key = P256KeyPair::from_private_hex(private_key)?;
        let given = CompressedP256::from_hex(public_key).or_else(|_| {
            crate::keys::UncompressedP256::from_hex(public_key).map(|u| u.to_compressed())
        })?;
        if given != key.public_key_compressed() {
            return Err(crate::keys::KeyError::Mismatch);
        }
        Ok(Self::new(key))
    }

    /// The compressed public key, hex, as registered with Turnkey.
    #[must_use]
    pub fn public_key_hex(&self) -> &str {
        &self.public_hex
    }

    /// Stamps synchronously (the signature is deterministic, RFC 6979).
    #[must_use]
    pub fn stamp_body(&self, body: &str) -> Stamp {
        let signature = crate::basepoint::sign(&self.secret, body.as_bytes());
        // Turnkey's member order (`@turnkey/api-key-stamper`).
        let json = object_of_strings(&[
            ("publicKey", &self.public_hex),
            ("scheme", SCHEME),
            ("signature", &hex_encode(&signature_to_der(&signature))),
        ]);
        Stamp {
            header_name: HEADER_NAME.to_owned(),
            header_value: base64url_encode(json.as_bytes()),
        }
    }
}

impl Stamper for ApiKeyStamper {
    async fn stamp(&self, body: &str) -> Result<Stamp, StampError> {
        Ok(self.stamp_body(body))
    }
}

/// Verifies an `X-Stamp` value over a body, as Turnkey does, returning the signer's key.
///
/// # Errors
/// [`StampError::Malformed`] for bad base64url, JSON, hex, key or DER;
/// [`StampError::UnsupportedScheme`] for another scheme; [`StampError::BadSignature`] if it
/// does not verify.
pub fn verify_api_key_stamp(header_value: &str, body: &str) -> Result<CompressedP256, StampError> {
    let raw = base64url_decode(header_value).map_err(|e| StampError::Malformed(e.to_string()))?;
    let json = Object::parse_bytes(&raw).map_err(|e| StampError::Malformed(e.to_string()))?;
    let member = |name: &str| {
        json.string(name)
            .map_err(|e| StampError::Malformed(e.to_string()))?
            .ok_or_else(|| StampError::Malformed(format!("missing field `{name}`")))
    };
    let scheme = member("scheme")?;
    if scheme != SCHEME {
        return Err(StampError::UnsupportedScheme(scheme.to_owned()));
    }
    let public = CompressedP256::from_hex(member("publicKey")?)
        .map_err(|e| StampError::Malformed(e.to_string()))?;
    let der = hex_decode(member("signature")?).map_err(|e| StampError::Malformed(e.to_string()))?;
    let signature = signature_from_der(&der).map_err(|e| StampError::Malformed(e.to_string()))?;
    VerifyingKey::from(public.public_key())
        .verify(body.as_bytes(), &signature)
        .map_err(|_| StampError::BadSignature)?;
    Ok(public)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE: &str = "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69";
    const PUBLIC: &str = "02a1d9ee281053cf73c07678d6c1231216e8434f87662b75f08c66882c2f95ee45";
    const BODY: &str = r#"{"organizationId":"00000000-0000-0000-0000-000000000000"}"#;
    const SIGNATURE: &str = "30440220574c869da894140daef94122129544159ab81000d65dde0d9c2a6b7dc0f75a9b02204b4852a4ef738d102725afd0930df729615ad22cab6aea89908de8e8eb2a3805";

    fn decode(stamp: &Stamp) -> serde_json::Value {
        serde_json::from_slice(&base64url_decode(&stamp.header_value).unwrap()).unwrap()
    }

    #[test]
    fn protocol_vector_1() {
        let stamper = ApiKeyStamper::from_hex(PUBLIC, PRIVATE).unwrap();
        let stamp = stamper.stamp_body(BODY);
        assert_eq!(stamp.header_name, "X-Stamp");
        assert!(!stamp.header_value.contains('='));
        let json = decode(&stamp);
        assert_eq!(json["publicKey"], PUBLIC);
        assert_eq!(json["scheme"], SCHEME);
        assert_eq!(json["signature"], SIGNATURE);
        assert_eq!(
            verify_api_key_stamp(&stamp.header_value, BODY)
                .unwrap()
                .to_hex(),
            PUBLIC
        );
    }

    #[test]
    fn protocol_vector_e_verifies() {
        let body = r#"{"type":"ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION","timestampMs":"1754952030221","organizationId":"35e5c619-ba95-417c-bb48-b16f1543aea0","parameters":{"deleteWithoutExport":true}}"#;
        let stamp = serde_json::json!({
            "publicKey": "020404a8505f87edc73f7a8f7a6dca61eb1b0b3617720c7161fab7970ce31c4e12",
            "scheme": SCHEME,
            "signature": "3046022100d8188e89ef1330881fc2d951f2284467a462840acafc80115ae871847f6a1f93022100a07fcacd0614e2ea729fc7f5e7378a108a8267a18fa1551845487acabcd97403",
        });
        let value = base64url_encode(stamp.to_string().as_bytes());
        assert!(verify_api_key_stamp(&value, body).is_ok());
        assert_eq!(
            verify_api_key_stamp(&value, &body.replace("true", "false")),
            Err(StampError::BadSignature)
        );
    }

    #[test]
    fn debug_redacts_the_private_key() {
        let shown = format!("{:?}", ApiKeyStamper::from_hex(PUBLIC, PRIVATE).unwrap());
        assert!(shown.contains(PUBLIC) && shown.contains("<redacted>"));
        assert!(!shown.contains(PRIVATE));
    }

    #[test]
    fn mismatched_keys_are_refused() {
        let other = "02f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316";
        assert_eq!(
            ApiKeyStamper::from_hex(other, PRIVATE).unwrap_err(),
            crate::keys::KeyError::Mismatch
        );
    }

    #[test]
    fn malformed_stamps_are_typed() {
        assert!(matches!(
            verify_api_key_stamp("***", BODY),
            Err(StampError::Malformed(_))
        ));
        let not_json = base64url_encode(b"nope");
        assert!(matches!(
            verify_api_key_stamp(&not_json, BODY),
            Err(StampError::Malformed(_))
        ));
        let wrong_scheme = base64url_encode(
            serde_json::json!({"publicKey": PUBLIC, "scheme": "X", "signature": SIGNATURE})
                .to_string()
                .as_bytes(),
        );
        assert!(matches!(
            verify_api_key_stamp(&wrong_scheme, BODY),
            Err(StampError::UnsupportedScheme(_))
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn async_stamper_matches_sync() {
        let stamper = ApiKeyStamper::from_hex(PUBLIC, PRIVATE).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let stamp = rt.block_on(Stamper::stamp(&stamper, BODY)).unwrap();
        assert_eq!(stamp, stamper.stamp_body(BODY));
    }
}
