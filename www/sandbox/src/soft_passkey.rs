//! A software passkey: real WebAuthn attestation objects (`fmt: none`) and assertions from an
//! in-memory P-256 key. For tests and scripted demos; browsers use real authenticators.

use std::sync::atomic::{AtomicU32, Ordering};

use ciborium::value::Value as Cbor;
use p256::ecdsa::Signature;
use p256::ecdsa::signature::Signer as _;
use quorum_kit::encoding::base64url_encode;
use quorum_kit::keys::P256KeyPair;
use quorum_kit::stamp::Stamp;
use quorum_kit::stamp::webauthn::{Assertion, challenge_for_body};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// A software authenticator holding one ES256 credential.
#[derive(Debug)]
pub struct SoftPasskey {
    key: P256KeyPair,
    credential_id: Vec<u8>,
    origin: String,
    rp_id: String,
    counter: AtomicU32,
}

impl SoftPasskey {
    /// A fresh credential for `origin` (e.g. `http://localhost:8787`) and `rp_id` (`localhost`).
    #[must_use]
    pub fn new(origin: &str, rp_id: &str) -> Self {
        let key = P256KeyPair::generate();
        let credential_id = Sha256::digest(key.public_key_compressed().as_bytes()).to_vec();
        Self {
            key,
            credential_id,
            origin: origin.to_owned(),
            rp_id: rp_id.to_owned(),
            counter: AtomicU32::new(0),
        }
    }

    /// Uses another origin from now on (to test the origin allow-list).
    pub fn set_origin(&mut self, origin: &str) {
        origin.clone_into(&mut self.origin);
    }

    /// Uses another relying-party id from now on (to test rpIdHash checks).
    pub fn set_rp_id(&mut self, rp_id: &str) {
        rp_id.clone_into(&mut self.rp_id);
    }

    /// base64url of the credential id.
    #[must_use]
    pub fn credential_id(&self) -> String {
        base64url_encode(&self.credential_id)
    }

    fn client_data(&self, kind: &str, challenge: &[u8]) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": base64url_encode(challenge),
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    fn auth_data_head(&self, flags: u8, count: u32) -> Vec<u8> {
        let mut ad = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        ad.push(flags);
        ad.extend_from_slice(&count.to_be_bytes());
        ad
    }

    /// Turnkey's authenticator params for a registration with `challenge`:
    /// `{authenticatorName, challenge, attestation: {credentialId, clientDataJson, attestationObject, transports}}`.
    #[must_use]
    pub fn register(&self, name: &str, challenge: &[u8]) -> Value {
        let point = self.key.public_key_uncompressed();
        let bytes = point.as_bytes();
        let cose = Cbor::Map(vec![
            (Cbor::Integer(1.into()), Cbor::Integer(2.into())),
            (Cbor::Integer(3.into()), Cbor::Integer((-7).into())),
            (Cbor::Integer((-1).into()), Cbor::Integer(1.into())),
            (
                Cbor::Integer((-2).into()),
                Cbor::Bytes(bytes.get(1..33).unwrap_or_default().to_vec()),
            ),
            (
                Cbor::Integer((-3).into()),
                Cbor::Bytes(bytes.get(33..65).unwrap_or_default().to_vec()),
            ),
        ]);
        let mut ad = self.auth_data_head(0x45, 0);
        ad.extend_from_slice(&[0u8; 16]);
        ad.extend_from_slice(
            &u16::try_from(self.credential_id.len())
                .unwrap_or(32)
                .to_be_bytes(),
        );
        ad.extend_from_slice(&self.credential_id);
        let mut cose_bytes = Vec::new();
        // Writing CBOR into a Vec cannot fail.
        let _ = ciborium::ser::into_writer(&cose, &mut cose_bytes);
        ad.extend_from_slice(&cose_bytes);
        let object = Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(vec![])),
            (Cbor::Text("authData".into()), Cbor::Bytes(ad)),
        ]);
        let mut object_bytes = Vec::new();
        let _ = ciborium::ser::into_writer(&object, &mut object_bytes);
        json!({
            "authenticatorName": name,
            "challenge": base64url_encode(challenge),
            "attestation": {
                "credentialId": self.credential_id(),
                "clientDataJson": base64url_encode(&self.client_data("webauthn.create", challenge)),
                "attestationObject": base64url_encode(&object_bytes),
                "transports": ["AUTHENTICATOR_TRANSPORT_INTERNAL"],
            }
        })
    }

    /// An assertion over `body` (challenge = UTF-8 of hex SHA-256 of the body), the counter
    /// incremented.
    #[must_use]
    pub fn assert(&self, body: &str) -> Assertion {
        let count = self
            .counter
            .fetch_add(1, Ordering::SeqCst)
            .saturating_add(1);
        let authenticator_data = self.auth_data_head(0x05, count);
        let client_data_json =
            self.client_data("webauthn.get", challenge_for_body(body).as_bytes());
        let mut message = authenticator_data.clone();
        message.extend_from_slice(&Sha256::digest(&client_data_json));
        let signature: Signature = self.key.signing_key().sign(&message);
        Assertion {
            authenticator_data,
            client_data_json,
            credential_id: self.credential_id.clone(),
            signature: signature.to_der().as_bytes().to_vec(),
        }
    }

    /// The `X-Stamp-WebAuthn` stamp for `body`.
    #[must_use]
    pub fn stamp(&self, body: &str) -> Stamp {
        self.assert(body).to_stamp()
    }
}
