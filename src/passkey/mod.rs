//! Passkey ceremonies in the browser: registration and assertion through `navigator.credentials`
//! (browser layer; PROTOCOL §2 and §3).
//!
//! - [`register`] runs `navigator.credentials.create` and returns Turnkey's authenticator
//!   parameters (`{authenticatorName, challenge, attestation}`), ready for `authenticators[]`.
//! - [`assert()`] runs `navigator.credentials.get` with a caller's challenge and returns the assertion.
//! - [`WebauthnStamper`] asserts over a request body and produces the `X-Stamp-WebAuthn` header.
//! - Failures are [`PasskeyError`]s named after the `DOMException` the browser threw.
//!
//! **Safari and user activation.** Every ceremony function does its preparation synchronously and
//! calls `create`/`get` *before* returning its future, so awaiting the returned future straight from a
//! click handler puts no asynchronous step between the gesture and the ceremony.

mod error;
mod options;
mod stamper;

use base64::Engine as _;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use rand_core::{CryptoRng, RngCore};

use crate::rng::SystemRng;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub use error::PasskeyError;
pub use options::{
    AssertionOptions, Attachment, CredentialDescriptor, DEFAULT_TIMEOUT_MS, Hint, Mediation,
    PUB_KEY_CRED_ALGS, RegistrationOptions, ResidentKey, Transport, UserVerification,
    decode_credential_id,
};
pub use stamper::WebauthnStamper;

pub use crate::activity::intents::{Attestation, AuthenticatorParams};
use crate::client::LocalBoxFuture;
use crate::stamp::Stamp;
use crate::stamp::webauthn::{HEADER_NAME as WEBAUTHN_STAMP_HEADER, WebauthnStampValue};

/// A registered passkey in Turnkey's authenticator-parameters shape
/// (`{authenticatorName, challenge, attestation}`, PROTOCOL §3), ready for `authenticators[]`.
pub type Registration = AuthenticatorParams;

/// A passkey assertion, every field base64url without padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assertion {
    /// base64url of the credential's `rawId`.
    pub credential_id: String,
    /// base64url of `response.clientDataJSON`.
    pub client_data_json: String,
    /// base64url of `response.authenticatorData`.
    pub authenticator_data: String,
    /// base64url of the authenticator's DER signature.
    pub signature: String,
    /// base64url of `response.userHandle`, when the authenticator returned one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
}

impl Assertion {
    /// The `X-Stamp-WebAuthn` stamp: plain JSON (not base64) with
    /// `authenticatorData`, `clientDataJson`, `credentialId`, `signature` (PROTOCOL §2).
    ///
    /// # Errors
    /// Never in practice (serialising four strings); typed for the lint discipline.
    pub fn to_stamp(&self) -> Result<Stamp, PasskeyError> {
        let value = WebauthnStampValue {
            authenticator_data: self.authenticator_data.clone(),
            client_data_json: self.client_data_json.clone(),
            credential_id: self.credential_id.clone(),
            signature: self.signature.clone(),
        };
        let header_value = serde_json::to_string(&value)
            .map_err(|e| PasskeyError::InvalidResponse(e.to_string()))?;
        Ok(Stamp {
            header_name: WEBAUTHN_STAMP_HEADER.to_owned(),
            header_value,
        })
    }
}

/// True when this context can run WebAuthn at all (`PublicKeyCredential` and
/// `navigator.credentials.create` exist: a secure context in a current browser).
#[must_use]
pub fn is_supported() -> bool {
    let global = js_sys::global();
    let has_pkc = Reflect::get(&global, &"PublicKeyCredential".into())
        .map(|v| v.is_function())
        .unwrap_or(false);
    has_pkc
        && credentials_container()
            .ok()
            .and_then(|c| Reflect::get(&c, &"create".into()).ok())
            .is_some_and(|f| f.is_function())
}

/// `PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable()`: whether this device
/// has a built-in authenticator that verifies the person. `false` when WebAuthn is missing.
pub async fn is_user_verifying_platform_authenticator_available() -> bool {
    static_bool_probe("isUserVerifyingPlatformAuthenticatorAvailable").await
}

/// `PublicKeyCredential.isConditionalMediationAvailable()`: whether passkey autofill
/// (`mediation: "conditional"`) works here. `false` when the browser lacks the probe.
pub async fn is_conditional_mediation_available() -> bool {
    static_bool_probe("isConditionalMediationAvailable").await
}

async fn static_bool_probe(method: &str) -> bool {
    let Ok(pkc) = Reflect::get(&js_sys::global(), &"PublicKeyCredential".into()) else {
        return false;
    };
    let Some(f) = Reflect::get(&pkc, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let Ok(p) = f.call0(&pkc).and_then(|p| p.dyn_into::<Promise>()) else {
        return false;
    };
    JsFuture::from(p)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// `navigator.credentials` of the current global.
///
/// # Errors
/// [`PasskeyError::Unavailable`] when there is none.
pub fn credentials_container() -> Result<JsValue, PasskeyError> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into())
        .map_err(|_| PasskeyError::Unavailable)?;
    if !navigator.is_object() {
        return Err(PasskeyError::Unavailable);
    }
    let creds =
        Reflect::get(&navigator, &"credentials".into()).map_err(|_| PasskeyError::Unavailable)?;
    if creds.is_object() {
        Ok(creds)
    } else {
        Err(PasskeyError::Unavailable)
    }
}

/// Registers a passkey with random challenge and user id; see [`register_with`].
#[must_use]
pub fn register(
    options: &RegistrationOptions,
    signal: Option<&JsValue>,
) -> LocalBoxFuture<Result<Registration, PasskeyError>> {
    match credentials_container() {
        Ok(c) => register_with(&c, options, signal, &mut SystemRng),
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// Registers a passkey through the given credentials container (`navigator.credentials` or a
/// stand-in with the same `create` method), drawing challenge and user id from `rng`.
///
/// `create` is called before this function returns; the future only awaits its result.
#[must_use]
pub fn register_with<R: RngCore + CryptoRng>(
    credentials: &JsValue,
    options: &RegistrationOptions,
    signal: Option<&JsValue>,
    rng: &mut R,
) -> LocalBoxFuture<Result<Registration, PasskeyError>> {
    let mut challenge = [0u8; 32];
    rng.fill_bytes(&mut challenge);
    let user_id = options.user_id.clone().unwrap_or_else(|| {
        let mut id = vec![0u8; 32];
        rng.fill_bytes(&mut id);
        id
    });
    let started = options
        .to_js(&challenge, &user_id)
        .and_then(|pk| call_ceremony(credentials, "create", &pk, None, signal));
    let authenticator_name = options.effective_authenticator_name();
    Box::pin(async move {
        let value = JsFuture::from(started?)
            .await
            .map_err(|e| PasskeyError::from_js(&e))?;
        parse_registration(&value, &challenge, authenticator_name)
    })
}

/// Asserts with a passkey over `challenge`; see [`assert_with`].
#[must_use]
pub fn assert(
    options: &AssertionOptions,
    challenge: &[u8],
    signal: Option<&JsValue>,
) -> LocalBoxFuture<Result<Assertion, PasskeyError>> {
    match credentials_container() {
        Ok(c) => assert_with(&c, options, challenge, signal),
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// Asserts through the given credentials container over `challenge`.
///
/// `get` is called before this function returns; the future only awaits its result.
#[must_use]
pub fn assert_with(
    credentials: &JsValue,
    options: &AssertionOptions,
    challenge: &[u8],
    signal: Option<&JsValue>,
) -> LocalBoxFuture<Result<Assertion, PasskeyError>> {
    let started = options
        .to_js(challenge)
        .and_then(|pk| call_ceremony(credentials, "get", &pk, options.mediation, signal));
    Box::pin(async move {
        let value = JsFuture::from(started?)
            .await
            .map_err(|e| PasskeyError::from_js(&e))?;
        parse_assertion(&value)
    })
}

fn call_ceremony(
    credentials: &JsValue,
    method: &str,
    public_key: &Object,
    mediation: Option<Mediation>,
    signal: Option<&JsValue>,
) -> Result<Promise, PasskeyError> {
    let outer = Object::new();
    options::set(&outer, "publicKey", public_key)?;
    if let Some(m) = mediation {
        options::set(&outer, "mediation", &m.as_str().into())?;
    }
    if let Some(s) = signal
        && !s.is_undefined()
        && !s.is_null()
    {
        options::set(&outer, "signal", s)?;
    }
    let f = Reflect::get(credentials, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(PasskeyError::Unavailable)?;
    let p = f
        .call1(credentials, &outer)
        .map_err(|e| PasskeyError::from_js(&e))?;
    p.dyn_into::<Promise>()
        .map_err(|_| PasskeyError::InvalidResponse("the ceremony did not return a promise".into()))
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn prop(obj: &JsValue, key: &str) -> Result<JsValue, PasskeyError> {
    Reflect::get(obj, &key.into()).map_err(|e| PasskeyError::from_js(&e))
}

/// Reads an `ArrayBuffer` (or a view on one) property as bytes.
fn bytes_prop(obj: &JsValue, key: &str) -> Result<Vec<u8>, PasskeyError> {
    let v = prop(obj, key)?;
    buffer_bytes(&v).ok_or_else(|| PasskeyError::InvalidResponse(format!("{key} is not a buffer")))
}

/// The bytes of an `ArrayBuffer`, `Uint8Array` or other `ArrayBufferView`; `None` for anything else.
#[must_use]
pub fn buffer_bytes(v: &JsValue) -> Option<Vec<u8>> {
    if let Some(buf) = v.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(buf).to_vec());
    }
    if let Some(arr) = v.dyn_ref::<Uint8Array>() {
        return Some(arr.to_vec());
    }
    if ArrayBuffer::is_view(v) {
        let buffer = Reflect::get(v, &"buffer".into()).ok()?;
        let offset = Reflect::get(v, &"byteOffset".into()).ok()?.as_f64()?;
        let len = Reflect::get(v, &"byteLength".into()).ok()?.as_f64()?;
        let buffer = buffer.dyn_into::<ArrayBuffer>().ok()?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let arr = Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, len as u32);
        return Some(arr.to_vec());
    }
    None
}

fn check_public_key(cred: &JsValue) -> Result<JsValue, PasskeyError> {
    if !cred.is_object() {
        return Err(PasskeyError::InvalidResponse(
            "no credential was returned".into(),
        ));
    }
    let ty = prop(cred, "type")?.as_string().unwrap_or_default();
    if ty != "public-key" {
        return Err(PasskeyError::InvalidResponse(format!(
            "credential type {ty:?} is not public-key"
        )));
    }
    let response = prop(cred, "response")?;
    if !response.is_object() {
        return Err(PasskeyError::InvalidResponse("no response".into()));
    }
    Ok(response)
}

fn parse_registration(
    cred: &JsValue,
    challenge: &[u8],
    authenticator_name: String,
) -> Result<Registration, PasskeyError> {
    let response = check_public_key(cred)?;
    let raw_id = bytes_prop(cred, "rawId")?;
    let client_data = bytes_prop(&response, "clientDataJSON")?;
    let attestation_object = bytes_prop(&response, "attestationObject")?;
    let mut transports = Vec::new();
    if let Some(f) = prop(&response, "getTransports")?.dyn_ref::<Function>()
        && let Ok(list) = f.call0(&response)
        && let Ok(arr) = list.dyn_into::<Array>()
    {
        for t in arr.iter() {
            if let Some(t) = t.as_string().as_deref().and_then(Transport::from_webauthn) {
                let name = t.as_turnkey().to_owned();
                if !transports.contains(&name) {
                    transports.push(name);
                }
            }
        }
    }
    Ok(Registration {
        authenticator_name,
        challenge: b64url(challenge),
        attestation: Attestation {
            credential_id: b64url(&raw_id),
            client_data_json: b64url(&client_data),
            attestation_object: b64url(&attestation_object),
            transports,
        },
    })
}

fn parse_assertion(cred: &JsValue) -> Result<Assertion, PasskeyError> {
    let response = check_public_key(cred)?;
    let raw_id = bytes_prop(cred, "rawId")?;
    let client_data = bytes_prop(&response, "clientDataJSON")?;
    let authenticator_data = bytes_prop(&response, "authenticatorData")?;
    let signature = bytes_prop(&response, "signature")?;
    let user_handle = buffer_bytes(&prop(&response, "userHandle")?).map(|b| b64url(&b));
    Ok(Assertion {
        credential_id: b64url(&raw_id),
        client_data_json: b64url(&client_data),
        authenticator_data: b64url(&authenticator_data),
        signature: b64url(&signature),
        user_handle,
    })
}
