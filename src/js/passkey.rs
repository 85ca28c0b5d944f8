//! Passkeys for JavaScript: `registerPasskey`, `assertPasskey`, feature detection, and
//! `WebauthnStamper` with `@turnkey/webauthn-stamper`'s shape.
//!
//! Every ceremony function calls `navigator.credentials.create`/`get` before it returns its
//! promise, so calling it straight from a click handler keeps the person's gesture (Safari).

use js_sys::{Array, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::js_error;
use super::input;
use crate::passkey::{
    self, AssertionOptions, Attachment, CredentialDescriptor, DEFAULT_TIMEOUT_MS, Hint, Mediation,
    PasskeyError, RegistrationOptions, ResidentKey, UserVerification,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_PASSKEY: &'static str = r#"
/** WebAuthn `userVerification`. */
export type UserVerificationRequirement = "required" | "preferred" | "discouraged";
/** WebAuthn transports (as `getTransports()` spells them). */
export type PasskeyTransport = "internal" | "usb" | "nfc" | "ble" | "hybrid";
/** A credential for `allowCredentials`/`excludeCredentials`: the id as base64url (as Turnkey stores it) or bytes. */
export interface PasskeyCredentialDescriptor {
  id: string | BufferSource;
  type?: "public-key";
  transports?: PasskeyTransport[];
}
/** Options of `registerPasskey`. Defaults follow Turnkey: 5 min, resident key required, UV preferred, ES256 + RS256. */
export interface RegisterPasskeyOptions {
  /** Relying-party display name. */
  rpName: string;
  /** Relying-party id (defaults to the page's host). */
  rpId?: string;
  userName: string;
  userDisplayName?: string;
  /** Milliseconds (default 300000). */
  timeout?: number;
  userVerification?: UserVerificationRequirement;
  residentKey?: "required" | "preferred" | "discouraged";
  authenticatorAttachment?: "platform" | "cross-platform";
  hints?: Array<"security-key" | "client-device" | "hybrid">;
  excludeCredentials?: PasskeyCredentialDescriptor[];
  /** The name Turnkey stores (default "<userName> passkey"). */
  authenticatorName?: string;
  signal?: AbortSignal;
}
/** Turnkey's `attestation` object (PROTOCOL §3), every field base64url without padding. */
export interface TurnkeyAttestation {
  credentialId: string;
  clientDataJson: string;
  attestationObject: string;
  transports: Array<"AUTHENTICATOR_TRANSPORT_INTERNAL" | "AUTHENTICATOR_TRANSPORT_USB" | "AUTHENTICATOR_TRANSPORT_NFC" | "AUTHENTICATOR_TRANSPORT_BLE" | "AUTHENTICATOR_TRANSPORT_HYBRID">;
}
/** A registered passkey, ready for `rootUsers[].authenticators[]`. */
export interface PasskeyRegistration {
  authenticatorName: string;
  /** base64url of the random challenge. */
  challenge: string;
  attestation: TurnkeyAttestation;
}
/** Options of `assertPasskey`. */
export interface AssertPasskeyOptions {
  /** The challenge: a string is signed as its UTF-8 bytes (Turnkey signs the hex SHA-256 of the body this way). */
  challenge: string | BufferSource;
  rpId?: string;
  timeout?: number;
  userVerification?: UserVerificationRequirement;
  allowCredentials?: PasskeyCredentialDescriptor[];
  hints?: Array<"security-key" | "client-device" | "hybrid">;
  mediation?: "conditional" | "required" | "optional";
  signal?: AbortSignal;
}
/** A passkey assertion, every field base64url without padding. */
export interface PasskeyAssertion {
  credentialId: string;
  clientDataJson: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string;
}
/** Options of `new WebauthnStamper(...)`, as in `@turnkey/webauthn-stamper`. */
export interface WebauthnStamperConfig {
  rpId: string;
  /** Milliseconds (default 300000). */
  timeout?: number;
  userVerification?: UserVerificationRequirement;
  allowCredentials?: PasskeyCredentialDescriptor[];
}
/**
 * Names of the errors passkey functions throw (`err.name`); `err.code` holds the DOMException name
 * (`NotAllowedError`, `InvalidStateError`, `SecurityError`, …).
 */
export type PasskeyErrorName =
  | "PasskeyCancelledError"
  | "PasskeyAlreadyRegisteredError"
  | "PasskeySecurityError"
  | "PasskeyNotSupportedError"
  | "PasskeyAbortedError"
  | "PasskeyConstraintError"
  | "PasskeyUnavailableError"
  | "PasskeyResponseError"
  | "PasskeyOptionsError"
  | "PasskeyError";
"#;

/// Throws a [`PasskeyError`] as a JS `Error` (`name` from [`PasskeyError::js_name`], `code` the
/// DOMException name, `cancelled` a boolean).
#[must_use]
pub fn passkey_error(e: &PasskeyError) -> JsValue {
    let err = js_error(e.js_name(), &e.to_string());
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    let _ = Reflect::set(&err, &"cancelled".into(), &e.is_cancelled().into());
    err
}

fn b64url(bytes: &[u8]) -> String {
    crate::encoding::base64url_encode(bytes)
}

/// Rewrites `allowCredentials`/`excludeCredentials` ids given as bytes into base64url strings,
/// in `value`, a copy made by [`input::plain`].
fn normalize_descriptors(value: &JsValue, key: &str) -> Result<(), JsValue> {
    let list = Reflect::get(value, &key.into())?;
    if input::is_absent(&list) {
        return Ok(());
    }
    let Ok(arr) = list.dyn_into::<Array>() else {
        return Err(options_error(&format!("{key} must be an array")));
    };
    let out = Array::new();
    for d in arr.iter() {
        if !d.is_object() {
            return Err(options_error(&format!("{key}[] must be objects")));
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), &d.clone().unchecked_into());
        let id = Reflect::get(&d, &"id".into())?;
        if !id.is_string() {
            match passkey::buffer_bytes(&id) {
                Some(b) => {
                    Reflect::set(&copy, &"id".into(), &b64url(&b).into())?;
                }
                None => {
                    return Err(options_error(&format!(
                        "{key}[].id must be a base64url string or bytes"
                    )));
                }
            }
        }
        out.push(&copy);
    }
    Reflect::set(value, &key.into(), &out)?;
    Ok(())
}

fn options_error(message: &str) -> JsValue {
    passkey_error(&PasskeyError::InvalidOptions(message.to_owned()))
}

/// Copies an options object (`undefined`/`null` options are absent), throwing
/// `PasskeyOptionsError` when it is not an object or reading it throws.
fn copy_options(value: &JsValue, function: &str) -> Result<JsValue, JsValue> {
    input::object(value, &format!("{function}: options")).map_err(|e| rename_options_error(&e))
}

/// Refuses option names the function does not know (serde-wasm-bindgen only reads known fields,
/// so a typo such as `userVerfication` would otherwise be ignored silently).
fn check_known(value: &JsValue, known: &[&str], function: &str) -> Result<(), JsValue> {
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            return Err(passkey_error(&PasskeyError::InvalidOptions(format!(
                "{function}: unknown option `{key}` (expected one of {})",
                known.join(", ")
            ))));
        }
    }
    Ok(())
}

const REGISTER_KEYS: [&str; 12] = [
    "rpName",
    "rpId",
    "userName",
    "userDisplayName",
    "timeout",
    "userVerification",
    "residentKey",
    "authenticatorAttachment",
    "hints",
    "excludeCredentials",
    "authenticatorName",
    "signal",
];

const ASSERT_KEYS: [&str; 8] = [
    "challenge",
    "rpId",
    "timeout",
    "userVerification",
    "allowCredentials",
    "hints",
    "mediation",
    "signal",
];

fn take_signal(value: &JsValue, function: &str) -> Result<Option<JsValue>, JsValue> {
    let s = Reflect::get(value, &"signal".into())?;
    let _ = Reflect::delete_property(value.unchecked_ref::<js_sys::Object>(), &"signal".into());
    input::optional_abort_signal(&s, &format!("{function}: options.signal"))
        .map_err(|e| rename_options_error(&e))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegisterOpts {
    rp_name: String,
    #[serde(default)]
    rp_id: Option<String>,
    user_name: String,
    #[serde(default)]
    user_display_name: Option<String>,
    #[serde(default)]
    timeout: Option<u32>,
    #[serde(default)]
    user_verification: Option<UserVerification>,
    #[serde(default)]
    resident_key: Option<ResidentKey>,
    #[serde(default)]
    authenticator_attachment: Option<Attachment>,
    #[serde(default)]
    hints: Vec<Hint>,
    #[serde(default)]
    exclude_credentials: Vec<Descriptor>,
    #[serde(default)]
    authenticator_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    #[serde(default, rename = "type")]
    _type: Option<String>,
    #[serde(default)]
    transports: Vec<String>,
}

impl From<Descriptor> for CredentialDescriptor {
    fn from(d: Descriptor) -> Self {
        Self {
            id: d.id,
            transports: d
                .transports
                .iter()
                .filter_map(|t| passkey::Transport::from_webauthn(t))
                .collect(),
        }
    }
}

/// Parses `registerPasskey`'s options into [`RegistrationOptions`] and the abort signal.
///
/// # Errors
/// A `PasskeyOptionsError` for a missing or mistyped field.
pub fn registration_options(
    value: &JsValue,
) -> Result<(RegistrationOptions, Option<JsValue>), JsValue> {
    let value = copy_options(value, "registerPasskey")?;
    check_known(&value, &REGISTER_KEYS, "registerPasskey")?;
    let signal = take_signal(&value, "registerPasskey")?;
    normalize_descriptors(&value, "excludeCredentials")?;
    let o: RegisterOpts = input::options(&value, "registerPasskey", "options")
        .map_err(|e| rename_options_error(&e))?;
    let mut r = RegistrationOptions::new(o.rp_name, o.user_name);
    r.rp_id = o.rp_id;
    r.user_display_name = o.user_display_name;
    r.timeout_ms = o.timeout.unwrap_or(DEFAULT_TIMEOUT_MS);
    r.user_verification = o.user_verification.unwrap_or_default();
    r.resident_key = o.resident_key.unwrap_or_default();
    r.attachment = o.authenticator_attachment;
    r.hints = o.hints;
    r.exclude_credentials = o.exclude_credentials.into_iter().map(Into::into).collect();
    r.authenticator_name = o.authenticator_name;
    Ok((r, signal))
}

fn rename_options_error(e: &JsValue) -> JsValue {
    let message = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    passkey_error(&PasskeyError::InvalidOptions(message))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssertOpts {
    #[serde(default)]
    rp_id: Option<String>,
    #[serde(default)]
    timeout: Option<u32>,
    #[serde(default)]
    user_verification: Option<UserVerification>,
    #[serde(default)]
    allow_credentials: Vec<Descriptor>,
    #[serde(default)]
    hints: Vec<Hint>,
    #[serde(default)]
    mediation: Option<Mediation>,
}

/// Parses assertion options (`assertPasskey`, `WebauthnStamper`) into [`AssertionOptions`].
///
/// # Errors
/// A `PasskeyOptionsError` for a missing or mistyped field.
pub fn assertion_options(
    value: &JsValue,
    function: &str,
) -> Result<(AssertionOptions, Option<JsValue>), JsValue> {
    let value = copy_options(value, function)?;
    check_known(&value, &ASSERT_KEYS, function)?;
    let signal = take_signal(&value, function)?;
    let _ = Reflect::delete_property(value.unchecked_ref::<js_sys::Object>(), &"challenge".into());
    normalize_descriptors(&value, "allowCredentials")?;
    let o: AssertOpts =
        input::options(&value, function, "options").map_err(|e| rename_options_error(&e))?;
    let a = AssertionOptions {
        rp_id: o.rp_id,
        timeout_ms: o.timeout.unwrap_or(DEFAULT_TIMEOUT_MS),
        user_verification: o.user_verification.unwrap_or_default(),
        allow_credentials: o.allow_credentials.into_iter().map(Into::into).collect(),
        hints: o.hints,
        mediation: o.mediation,
    };
    Ok((a, signal))
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("PasskeyResponseError", &e.to_string()))
}

/// Registers a passkey (`navigator.credentials.create`, called before this returns) and resolves
/// to Turnkey's authenticator parameters. Rejects with a `Passkey…Error` (see `PasskeyErrorName`).
#[wasm_bindgen(js_name = registerPasskey, unchecked_return_type = "Promise<PasskeyRegistration>")]
pub fn register_passkey(
    #[wasm_bindgen(unchecked_param_type = "RegisterPasskeyOptions")] options: JsValue,
) -> Promise {
    let pending =
        registration_options(&options).map(|(o, signal)| passkey::register(&o, signal.as_ref()));
    future_to_promise(async move {
        let reg = pending?.await.map_err(|e| passkey_error(&e))?;
        to_js(&reg)
    })
}

/// Asserts with a passkey over `options.challenge` (`navigator.credentials.get`, called before
/// this returns). Rejects with a `Passkey…Error`.
#[wasm_bindgen(js_name = assertPasskey, unchecked_return_type = "Promise<PasskeyAssertion>")]
pub fn assert_passkey(
    #[wasm_bindgen(unchecked_param_type = "AssertPasskeyOptions")] options: JsValue,
) -> Promise {
    let pending = copy_options(&options, "assertPasskey").and_then(|copy| {
        let challenge = Reflect::get(&copy, &"challenge".into())?;
        let challenge: Option<Vec<u8>> = challenge
            .as_string()
            .map(String::into_bytes)
            .or_else(|| passkey::buffer_bytes(&challenge));
        match challenge {
            Some(c) if !c.is_empty() => assertion_options(&copy, "assertPasskey")
                .map(|(o, signal)| passkey::assert(&o, &c, signal.as_ref())),
            _ => Err(options_error(
                "assertPasskey: options.challenge must be a non-empty string or Uint8Array",
            )),
        }
    });
    future_to_promise(async move {
        let a = pending?.await.map_err(|e| passkey_error(&e))?;
        to_js(&a)
    })
}

/// Whether WebAuthn is available in this context (secure origin, current browser).
#[wasm_bindgen(js_name = isPasskeySupported)]
#[must_use]
pub fn is_passkey_supported() -> bool {
    passkey::is_supported()
}

/// Whether this device has a user-verifying platform authenticator (Touch ID, Windows Hello, …).
#[wasm_bindgen(js_name = isPlatformAuthenticatorAvailable, unchecked_return_type = "Promise<boolean>")]
pub fn is_platform_authenticator_available() -> Promise {
    future_to_promise(async {
        Ok(
            passkey::is_user_verifying_platform_authenticator_available()
                .await
                .into(),
        )
    })
}

/// Whether passkey autofill (`mediation: "conditional"`) is available.
#[wasm_bindgen(js_name = isConditionalMediationAvailable, unchecked_return_type = "Promise<boolean>")]
pub fn is_conditional_mediation_available() -> Promise {
    future_to_promise(async { Ok(passkey::is_conditional_mediation_available().await.into()) })
}

/// Stamps Turnkey requests with a passkey (`X-Stamp-WebAuthn`), with `@turnkey/webauthn-stamper`'s
/// shape so it plugs into `@turnkey/http`'s `TurnkeyClient` and the kit's `Client`.
#[wasm_bindgen(js_name = WebauthnStamper)]
pub struct JsWebauthnStamper {
    inner: passkey::WebauthnStamper,
}

#[wasm_bindgen(js_class = WebauthnStamper)]
impl JsWebauthnStamper {
    /// `new WebauthnStamper({rpId, timeout?, userVerification?, allowCredentials?})`.
    ///
    /// # Errors
    /// A `PasskeyOptionsError` for malformed options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "WebauthnStamperConfig")] config: JsValue,
    ) -> Result<JsWebauthnStamper, JsValue> {
        let (options, _) = assertion_options(&config, "WebauthnStamper")?;
        options.validate().map_err(|e| passkey_error(&e))?;
        Ok(Self {
            inner: passkey::WebauthnStamper::new(options),
        })
    }

    /// The relying-party id.
    #[wasm_bindgen(getter, js_name = rpId)]
    #[must_use]
    pub fn rp_id(&self) -> Option<String> {
        self.inner.options().rp_id.clone()
    }

    /// Asserts over `payload` (the exact request body) and resolves to
    /// `{stampHeaderName: "X-Stamp-WebAuthn", stampHeaderValue}`. The ceremony starts before this returns.
    #[wasm_bindgen(unchecked_return_type = "Promise<TStamp>")]
    pub fn stamp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] payload: JsValue,
    ) -> Promise {
        let payload = match input::string(&payload, "WebauthnStamper.stamp: payload") {
            Ok(p) => p,
            Err(e) => return Promise::reject(&e),
        };
        let pending = self.inner.start(&payload);
        future_to_promise(async move {
            let stamp = pending.await.map_err(|e| passkey_error(&e))?;
            to_js(&stamp)
        })
    }
}
