//! WebAuthn as the sandbox's relying party: registration (attestation object → credential id
//! and COSE P-256 key) and assertion verification for `X-Stamp-WebAuthn` (PROTOCOL §2, §3).

use ciborium::value::Value as Cbor;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{DerSignature, VerifyingKey};
use quorum_kit::encoding::{base64url_decode, base64url_encode, hex_encode};
use quorum_kit::keys::UncompressedP256;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

/// Why a registration or an assertion was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebauthnError {
    /// A field is not valid base64url / CBOR / JSON, or is too short.
    #[error("malformed WebAuthn data: {0}")]
    Malformed(String),
    /// `clientDataJSON.type` is not what the ceremony requires.
    #[error("clientDataJSON type is {0:?}")]
    WrongType(String),
    /// The challenge signed is not the expected one.
    #[error("the WebAuthn challenge does not match")]
    WrongChallenge,
    /// The origin is not on the allow-list.
    #[error("origin {0:?} is not allowed")]
    WrongOrigin(String),
    /// `rpIdHash` is not SHA-256 of the relying-party id.
    #[error("rpIdHash does not match the relying party id")]
    WrongRpId,
    /// The user-present flag is not set.
    #[error("the user-present flag is not set")]
    UserNotPresent,
    /// The signature counter did not increase.
    #[error("the signature counter did not increase (possible cloned authenticator)")]
    CounterNotIncreasing,
    /// The signature does not verify.
    #[error("the WebAuthn signature does not verify")]
    BadSignature,
    /// Only ES256 (COSE alg -7, P-256) credentials and `none`/`packed` attestation are supported.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// The relying party: allowed origins and id.
#[derive(Debug, Clone)]
pub struct RelyingParty {
    /// Allowed origins, e.g. `http://localhost:8787`.
    pub origins: Vec<String>,
    /// The RP id, e.g. `localhost`.
    pub rp_id: String,
}

/// The `attestation` object of Turnkey's authenticator params (all base64url).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationParams {
    /// base64url of the credential's raw id.
    pub credential_id: String,
    /// base64url of `clientDataJSON`.
    pub client_data_json: String,
    /// base64url of the CBOR attestation object.
    pub attestation_object: String,
    /// `AUTHENTICATOR_TRANSPORT_…` names.
    #[serde(default)]
    pub transports: Vec<String>,
}

/// A credential accepted at registration.
#[derive(Debug, Clone)]
pub struct RegisteredCredential {
    /// base64url of the credential id.
    pub credential_id: String,
    /// Its public key.
    pub public_key: UncompressedP256,
    /// Its initial signature counter.
    pub sign_count: u32,
    /// AAGUID, hex.
    pub aaguid: String,
    /// The attestation format.
    pub format: String,
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
}

struct AuthData<'a> {
    rp_id_hash: &'a [u8],
    flags: u8,
    sign_count: u32,
    rest: &'a [u8],
}

const FLAG_UP: u8 = 0x01;
const FLAG_AT: u8 = 0x40;

fn malformed(e: impl std::fmt::Display) -> WebauthnError {
    WebauthnError::Malformed(e.to_string())
}

fn parse_auth_data(bytes: &[u8]) -> Result<AuthData<'_>, WebauthnError> {
    let too_short = || malformed("authenticatorData is shorter than 37 bytes");
    let rp_id_hash = bytes.get(..32).ok_or_else(too_short)?;
    let flags = *bytes.get(32).ok_or_else(too_short)?;
    let count: [u8; 4] = bytes
        .get(33..37)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(too_short)?;
    Ok(AuthData {
        rp_id_hash,
        flags,
        sign_count: u32::from_be_bytes(count),
        rest: bytes.get(37..).unwrap_or_default(),
    })
}

fn check_client_data(
    raw: &[u8],
    kind: &str,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<(), WebauthnError> {
    let cd: ClientData = serde_json::from_slice(raw).map_err(malformed)?;
    if cd.kind != kind {
        return Err(WebauthnError::WrongType(cd.kind));
    }
    let signed = base64url_decode(cd.challenge.trim_end_matches('=')).map_err(malformed)?;
    if signed != challenge {
        return Err(WebauthnError::WrongChallenge);
    }
    if !rp.origins.iter().any(|o| o == &cd.origin) {
        return Err(WebauthnError::WrongOrigin(cd.origin));
    }
    Ok(())
}

fn check_rp_and_presence(ad: &AuthData<'_>, rp: &RelyingParty) -> Result<(), WebauthnError> {
    if ad.rp_id_hash != Sha256::digest(rp.rp_id.as_bytes()).as_slice() {
        return Err(WebauthnError::WrongRpId);
    }
    if ad.flags & FLAG_UP == 0 {
        return Err(WebauthnError::UserNotPresent);
    }
    Ok(())
}

fn map_get<'a>(map: &'a [(Cbor, Cbor)], key: &Cbor) -> Option<&'a Cbor> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn int(i: i64) -> Cbor {
    Cbor::Integer(i.into())
}

/// Extracts an ES256 P-256 key from a COSE_Key map.
fn cose_p256(key: &Cbor) -> Result<UncompressedP256, WebauthnError> {
    let map = key
        .as_map()
        .ok_or_else(|| malformed("COSE key is not a map"))?;
    let kty = map_get(map, &int(1))
        .and_then(Cbor::as_integer)
        .map(i128::from);
    let alg = map_get(map, &int(3))
        .and_then(Cbor::as_integer)
        .map(i128::from);
    let crv = map_get(map, &int(-1))
        .and_then(Cbor::as_integer)
        .map(i128::from);
    if kty != Some(2) || alg != Some(-7) || crv != Some(1) {
        return Err(WebauthnError::Unsupported(format!(
            "COSE key kty={kty:?} alg={alg:?} crv={crv:?}; only EC2 / ES256 / P-256"
        )));
    }
    let x = map_get(map, &int(-2))
        .and_then(Cbor::as_bytes)
        .ok_or_else(|| malformed("COSE x"))?;
    let y = map_get(map, &int(-3))
        .and_then(Cbor::as_bytes)
        .ok_or_else(|| malformed("COSE y"))?;
    if x.len() != 32 || y.len() != 32 {
        return Err(malformed("COSE coordinates are not 32 bytes"));
    }
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(0x04);
    sec1.extend_from_slice(x);
    sec1.extend_from_slice(y);
    UncompressedP256::from_bytes(&sec1).map_err(malformed)
}

/// Verifies a registration (`navigator.credentials.create` output) against the challenge the
/// caller says it used (base64url), and returns the credential.
///
/// Attestation statements are not verified: `none` is accepted, and `packed` is accepted
/// without checking its statement (self or full attestation alike); the sandbox, like many
/// relying parties, does not restrict authenticator models. Other formats are refused.
///
/// # Errors
/// [`WebauthnError`] for anything malformed or mismatched.
pub fn verify_registration(
    att: &AttestationParams,
    challenge_b64: &str,
    rp: &RelyingParty,
) -> Result<RegisteredCredential, WebauthnError> {
    let challenge = base64url_decode(challenge_b64.trim_end_matches('=')).map_err(malformed)?;
    let client_data = base64url_decode(&att.client_data_json).map_err(malformed)?;
    check_client_data(&client_data, "webauthn.create", &challenge, rp)?;
    let object = base64url_decode(&att.attestation_object).map_err(malformed)?;
    let cbor: Cbor = ciborium::de::from_reader(object.as_slice()).map_err(malformed)?;
    let map = cbor
        .as_map()
        .ok_or_else(|| malformed("attestationObject is not a map"))?;
    let fmt = map_get(map, &Cbor::Text("fmt".into()))
        .and_then(Cbor::as_text)
        .ok_or_else(|| malformed("attestationObject.fmt"))?
        .to_owned();
    let att_stmt = map_get(map, &Cbor::Text("attStmt".into()))
        .and_then(Cbor::as_map)
        .ok_or_else(|| malformed("attestationObject.attStmt"))?;
    match fmt.as_str() {
        "none" if att_stmt.is_empty() => {}
        "none" => return Err(malformed("attStmt must be empty for fmt none")),
        "packed" => {}
        other => {
            return Err(WebauthnError::Unsupported(format!(
                "attestation format {other:?}"
            )));
        }
    }
    let auth_data = map_get(map, &Cbor::Text("authData".into()))
        .and_then(Cbor::as_bytes)
        .ok_or_else(|| malformed("attestationObject.authData"))?;
    let ad = parse_auth_data(auth_data)?;
    check_rp_and_presence(&ad, rp)?;
    if ad.flags & FLAG_AT == 0 {
        return Err(malformed(
            "authenticatorData has no attested credential data",
        ));
    }
    let aaguid = ad.rest.get(..16).ok_or_else(|| malformed("aaguid"))?;
    let len_bytes: [u8; 2] = ad
        .rest
        .get(16..18)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| malformed("credential id length"))?;
    let len = usize::from(u16::from_be_bytes(len_bytes));
    let cred_id = ad
        .rest
        .get(18..18 + len)
        .ok_or_else(|| malformed("credential id"))?;
    let mut cose_bytes = ad.rest.get(18 + len..).unwrap_or_default();
    let cose: Cbor = ciborium::de::from_reader(&mut cose_bytes).map_err(malformed)?;
    let public_key = cose_p256(&cose)?;
    let given = base64url_decode(att.credential_id.trim_end_matches('=')).map_err(malformed)?;
    if given != cred_id {
        return Err(malformed(
            "credentialId does not match the attested credential",
        ));
    }
    Ok(RegisteredCredential {
        credential_id: base64url_encode(cred_id),
        public_key,
        sign_count: ad.sign_count,
        aaguid: hex_encode(aaguid),
        format: fmt,
    })
}

/// Verifies an assertion stamping `body` (challenge = UTF-8 of hex SHA-256 of the body) with
/// the registered key; returns the new signature counter to store.
///
/// # Errors
/// [`WebauthnError`] for any failed check.
pub fn verify_assertion(
    assertion: &quorum_kit::stamp::webauthn::Assertion,
    body: &str,
    public_key: &UncompressedP256,
    stored_count: u32,
    rp: &RelyingParty,
) -> Result<u32, WebauthnError> {
    let challenge = quorum_kit::stamp::webauthn::challenge_for_body(body);
    check_client_data(
        &assertion.client_data_json,
        "webauthn.get",
        challenge.as_bytes(),
        rp,
    )?;
    let ad = parse_auth_data(&assertion.authenticator_data)?;
    check_rp_and_presence(&ad, rp)?;
    let mut message = assertion.authenticator_data.clone();
    message.extend_from_slice(&Sha256::digest(&assertion.client_data_json));
    let signature = DerSignature::try_from(assertion.signature.as_slice())
        .map_err(|_| WebauthnError::BadSignature)?;
    VerifyingKey::from(public_key.public_key())
        .verify(&message, &signature)
        .map_err(|_| WebauthnError::BadSignature)?;
    if (ad.sign_count != 0 || stored_count != 0) && ad.sign_count <= stored_count {
        return Err(WebauthnError::CounterNotIncreasing);
    }
    Ok(ad.sign_count)
}
