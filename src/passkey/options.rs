//! Ceremony options: what a caller controls, with Turnkey's defaults (PROTOCOL §2 and §3).
//!
//! Options are plain Rust values, turned into the `publicKey` dictionary of
//! `navigator.credentials.create`/`get` by [`RegistrationOptions::to_js`] and
//! [`AssertionOptions::to_js`]. Building is synchronous and done before the person's click
//! reaches the ceremony call, so no `await` sits between the gesture and `create`/`get` (Safari).

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::PasskeyError;

/// Turnkey's default ceremony timeout: five minutes.
pub const DEFAULT_TIMEOUT_MS: u32 = 300_000;

/// COSE algorithm identifiers offered at registration: ES256 (-7), then RS256 (-257).
pub const PUB_KEY_CRED_ALGS: [i32; 2] = [-7, -257];

/// `userVerification`: whether the authenticator must verify the person (PIN, biometrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserVerification {
    /// Must verify; the ceremony fails otherwise.
    Required,
    /// Verify when possible (Turnkey's default).
    #[default]
    Preferred,
    /// Prefer not to verify.
    Discouraged,
}

impl UserVerification {
    /// The WebAuthn string.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Preferred => "preferred",
            Self::Discouraged => "discouraged",
        }
    }
}

/// `residentKey`: whether the credential must be discoverable (a passkey).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResidentKey {
    /// Must be discoverable (Turnkey's default; also sets `requireResidentKey: true`).
    #[default]
    Required,
    /// Discoverable when possible.
    Preferred,
    /// Server-side credential preferred.
    Discouraged,
}

impl ResidentKey {
    /// The WebAuthn string.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Preferred => "preferred",
            Self::Discouraged => "discouraged",
        }
    }
}

/// `authenticatorAttachment`: built into this device or roaming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attachment {
    /// The device's own authenticator (Touch ID, Windows Hello, Android screen lock).
    Platform,
    /// A roaming authenticator (security key, phone over hybrid).
    CrossPlatform,
}

impl Attachment {
    /// The WebAuthn string.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Platform => "platform",
            Self::CrossPlatform => "cross-platform",
        }
    }
}

/// `hints` (WebAuthn L3): which authenticator UI the browser should lead with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hint {
    /// A physical security key.
    SecurityKey,
    /// This device's platform authenticator.
    ClientDevice,
    /// A phone over the hybrid (QR code) transport.
    Hybrid,
}

impl Hint {
    /// The WebAuthn string.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SecurityKey => "security-key",
            Self::ClientDevice => "client-device",
            Self::Hybrid => "hybrid",
        }
    }
}

/// `mediation` for assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mediation {
    /// Passkey autofill: the request waits for the person to pick a passkey in a form field.
    Conditional,
    /// Always show the browser's dialog.
    Required,
    /// The browser decides (the default when unset).
    Optional,
}

impl Mediation {
    /// The WebAuthn string.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Conditional => "conditional",
            Self::Required => "required",
            Self::Optional => "optional",
        }
    }
}

/// An authenticator transport, in WebAuthn's spelling and Turnkey's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// `internal` / `AUTHENTICATOR_TRANSPORT_INTERNAL`.
    Internal,
    /// `usb` / `AUTHENTICATOR_TRANSPORT_USB`.
    Usb,
    /// `nfc` / `AUTHENTICATOR_TRANSPORT_NFC`.
    Nfc,
    /// `ble` / `AUTHENTICATOR_TRANSPORT_BLE`.
    Ble,
    /// `hybrid` / `AUTHENTICATOR_TRANSPORT_HYBRID`.
    Hybrid,
}

impl Transport {
    /// Parses WebAuthn's spelling (`getTransports()`); `None` for transports Turnkey does not list.
    #[must_use]
    pub fn from_webauthn(s: &str) -> Option<Self> {
        match s {
            "internal" => Some(Self::Internal),
            "usb" => Some(Self::Usb),
            "nfc" => Some(Self::Nfc),
            "ble" => Some(Self::Ble),
            "hybrid" | "cable" => Some(Self::Hybrid),
            _ => None,
        }
    }

    /// WebAuthn's spelling.
    #[must_use]
    pub fn as_webauthn(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::Usb => "usb",
            Self::Nfc => "nfc",
            Self::Ble => "ble",
            Self::Hybrid => "hybrid",
        }
    }

    /// Turnkey's spelling (`attestation.transports[]`, PROTOCOL §3).
    #[must_use]
    pub fn as_turnkey(self) -> &'static str {
        match self {
            Self::Internal => "AUTHENTICATOR_TRANSPORT_INTERNAL",
            Self::Usb => "AUTHENTICATOR_TRANSPORT_USB",
            Self::Nfc => "AUTHENTICATOR_TRANSPORT_NFC",
            Self::Ble => "AUTHENTICATOR_TRANSPORT_BLE",
            Self::Hybrid => "AUTHENTICATOR_TRANSPORT_HYBRID",
        }
    }
}

/// A credential named in `allowCredentials` or `excludeCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialDescriptor {
    /// The credential id, base64url without padding (as Turnkey stores it).
    pub id: String,
    /// Transports the authenticator was reached over, if known.
    #[serde(default)]
    pub transports: Vec<Transport>,
}

/// Options for registering a passkey (`navigator.credentials.create`).
///
/// Consuming builder: setters cannot fail; [`RegistrationOptions::validate`] (called by the
/// ceremony) reports bad values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationOptions {
    /// Relying-party id; `None` lets the browser use the page's effective domain.
    pub rp_id: Option<String>,
    /// Relying-party display name.
    pub rp_name: String,
    /// The account's user name (shown by the passkey manager).
    pub user_name: String,
    /// The account's display name; defaults to the user name.
    pub user_display_name: Option<String>,
    /// `user.id` bytes; 32 random bytes when `None`.
    pub user_id: Option<Vec<u8>>,
    /// Ceremony timeout in milliseconds.
    pub timeout_ms: u32,
    /// `authenticatorSelection.userVerification`.
    pub user_verification: UserVerification,
    /// `authenticatorSelection.residentKey`.
    pub resident_key: ResidentKey,
    /// `authenticatorSelection.authenticatorAttachment`.
    pub attachment: Option<Attachment>,
    /// `hints`.
    pub hints: Vec<Hint>,
    /// `excludeCredentials`: credentials already registered for this account.
    pub exclude_credentials: Vec<CredentialDescriptor>,
    /// The name Turnkey stores for the authenticator; defaults to `"<user name> passkey"`.
    pub authenticator_name: Option<String>,
}

impl RegistrationOptions {
    /// Options with Turnkey's defaults for a relying party and user name.
    #[must_use]
    pub fn new(rp_name: impl Into<String>, user_name: impl Into<String>) -> Self {
        Self {
            rp_id: None,
            rp_name: rp_name.into(),
            user_name: user_name.into(),
            user_display_name: None,
            user_id: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            user_verification: UserVerification::default(),
            resident_key: ResidentKey::default(),
            attachment: None,
            hints: Vec::new(),
            exclude_credentials: Vec::new(),
            authenticator_name: None,
        }
    }

    /// Sets the relying-party id.
    #[must_use]
    pub fn rp_id(mut self, rp_id: impl Into<String>) -> Self {
        self.rp_id = Some(rp_id.into());
        self
    }

    /// Sets the display name.
    #[must_use]
    pub fn user_display_name(mut self, name: impl Into<String>) -> Self {
        self.user_display_name = Some(name.into());
        self
    }

    /// Sets the timeout in milliseconds.
    #[must_use]
    pub fn timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// Sets user verification.
    #[must_use]
    pub fn user_verification(mut self, uv: UserVerification) -> Self {
        self.user_verification = uv;
        self
    }

    /// Sets the resident-key requirement.
    #[must_use]
    pub fn resident_key(mut self, rk: ResidentKey) -> Self {
        self.resident_key = rk;
        self
    }

    /// Sets the authenticator attachment.
    #[must_use]
    pub fn attachment(mut self, attachment: Attachment) -> Self {
        self.attachment = Some(attachment);
        self
    }

    /// Sets the hints.
    #[must_use]
    pub fn hints(mut self, hints: Vec<Hint>) -> Self {
        self.hints = hints;
        self
    }

    /// Sets the credentials to exclude.
    #[must_use]
    pub fn exclude_credentials(mut self, creds: Vec<CredentialDescriptor>) -> Self {
        self.exclude_credentials = creds;
        self
    }

    /// Sets the authenticator name sent to Turnkey.
    #[must_use]
    pub fn authenticator_name(mut self, name: impl Into<String>) -> Self {
        self.authenticator_name = Some(name.into());
        self
    }

    /// The authenticator name Turnkey will store.
    #[must_use]
    pub fn effective_authenticator_name(&self) -> String {
        self.authenticator_name
            .clone()
            .unwrap_or_else(|| format!("{} passkey", self.user_name))
    }

    /// Checks the values a browser would reject with an unhelpful `TypeError`.
    ///
    /// # Errors
    /// [`PasskeyError::InvalidOptions`] for an empty rp name or user name, a zero timeout,
    /// a `user.id` outside 1..=64 bytes, or an excluded credential id that is not base64url.
    pub fn validate(&self) -> Result<(), PasskeyError> {
        if self.rp_name.trim().is_empty() {
            return Err(PasskeyError::InvalidOptions("rpName is empty".into()));
        }
        if self.user_name.trim().is_empty() {
            return Err(PasskeyError::InvalidOptions("userName is empty".into()));
        }
        if self.timeout_ms == 0 {
            return Err(PasskeyError::InvalidOptions(
                "timeout must be positive".into(),
            ));
        }
        if let Some(id) = &self.user_id
            && (id.is_empty() || id.len() > 64)
        {
            return Err(PasskeyError::InvalidOptions(
                "user id must be 1 to 64 bytes".into(),
            ));
        }
        for c in &self.exclude_credentials {
            decode_credential_id(&c.id)?;
        }
        Ok(())
    }

    /// The `publicKey` dictionary for `navigator.credentials.create`, with the given challenge
    /// and user id (the ceremony draws both at random).
    ///
    /// # Errors
    /// [`PasskeyError::InvalidOptions`] when [`Self::validate`] fails.
    pub fn to_js(&self, challenge: &[u8], user_id: &[u8]) -> Result<Object, PasskeyError> {
        self.validate()?;
        let rp = Object::new();
        set(&rp, "name", &self.rp_name.as_str().into())?;
        if let Some(id) = &self.rp_id {
            set(&rp, "id", &id.as_str().into())?;
        }
        let user = Object::new();
        set(&user, "id", &Uint8Array::from(user_id).into())?;
        set(&user, "name", &self.user_name.as_str().into())?;
        let display = self.user_display_name.as_deref().unwrap_or(&self.user_name);
        set(&user, "displayName", &display.into())?;

        let params = Array::new();
        for alg in PUB_KEY_CRED_ALGS {
            let p = Object::new();
            set(&p, "type", &"public-key".into())?;
            set(&p, "alg", &alg.into())?;
            params.push(&p);
        }

        let selection = Object::new();
        set(
            &selection,
            "residentKey",
            &self.resident_key.as_str().into(),
        )?;
        set(
            &selection,
            "requireResidentKey",
            &(self.resident_key == ResidentKey::Required).into(),
        )?;
        set(
            &selection,
            "userVerification",
            &self.user_verification.as_str().into(),
        )?;
        if let Some(a) = self.attachment {
            set(&selection, "authenticatorAttachment", &a.as_str().into())?;
        }

        let pk = Object::new();
        set(&pk, "rp", &rp)?;
        set(&pk, "user", &user)?;
        set(&pk, "challenge", &Uint8Array::from(challenge).into())?;
        set(&pk, "pubKeyCredParams", &params)?;
        set(&pk, "timeout", &self.timeout_ms.into())?;
        set(&pk, "authenticatorSelection", &selection)?;
        set(&pk, "attestation", &"none".into())?;
        set(
            &pk,
            "excludeCredentials",
            &descriptors(&self.exclude_credentials)?.into(),
        )?;
        if !self.hints.is_empty() {
            set(&pk, "hints", &hints(&self.hints))?;
        }
        Ok(pk)
    }
}

/// Options for asserting with a passkey (`navigator.credentials.get`), also used by the stamper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertionOptions {
    /// Relying-party id; `None` lets the browser use the page's effective domain.
    pub rp_id: Option<String>,
    /// Ceremony timeout in milliseconds.
    pub timeout_ms: u32,
    /// `userVerification`.
    pub user_verification: UserVerification,
    /// `allowCredentials`; empty lets the person pick any discoverable passkey for the rpId.
    pub allow_credentials: Vec<CredentialDescriptor>,
    /// `hints`.
    pub hints: Vec<Hint>,
    /// `mediation` (outside `publicKey`).
    pub mediation: Option<Mediation>,
}

impl Default for AssertionOptions {
    fn default() -> Self {
        Self {
            rp_id: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            user_verification: UserVerification::default(),
            allow_credentials: Vec::new(),
            hints: Vec::new(),
            mediation: None,
        }
    }
}

impl AssertionOptions {
    /// Turnkey's defaults (5 min, `preferred`, any credential) for an rpId.
    #[must_use]
    pub fn new(rp_id: impl Into<String>) -> Self {
        Self {
            rp_id: Some(rp_id.into()),
            ..Self::default()
        }
    }

    /// Sets the timeout in milliseconds.
    #[must_use]
    pub fn timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// Sets user verification.
    #[must_use]
    pub fn user_verification(mut self, uv: UserVerification) -> Self {
        self.user_verification = uv;
        self
    }

    /// Sets the allowed credentials.
    #[must_use]
    pub fn allow_credentials(mut self, creds: Vec<CredentialDescriptor>) -> Self {
        self.allow_credentials = creds;
        self
    }

    /// Sets the mediation.
    #[must_use]
    pub fn mediation(mut self, mediation: Mediation) -> Self {
        self.mediation = Some(mediation);
        self
    }

    /// Checks the values a browser would reject with an unhelpful `TypeError`.
    ///
    /// # Errors
    /// [`PasskeyError::InvalidOptions`] for a zero timeout or a credential id that is not base64url.
    pub fn validate(&self) -> Result<(), PasskeyError> {
        if self.timeout_ms == 0 {
            return Err(PasskeyError::InvalidOptions(
                "timeout must be positive".into(),
            ));
        }
        for c in &self.allow_credentials {
            decode_credential_id(&c.id)?;
        }
        Ok(())
    }

    /// The `publicKey` dictionary for `navigator.credentials.get` with the given challenge.
    ///
    /// # Errors
    /// [`PasskeyError::InvalidOptions`] when [`Self::validate`] fails.
    pub fn to_js(&self, challenge: &[u8]) -> Result<Object, PasskeyError> {
        self.validate()?;
        let pk = Object::new();
        set(&pk, "challenge", &Uint8Array::from(challenge).into())?;
        if let Some(id) = &self.rp_id {
            set(&pk, "rpId", &id.as_str().into())?;
        }
        set(&pk, "timeout", &self.timeout_ms.into())?;
        set(
            &pk,
            "userVerification",
            &self.user_verification.as_str().into(),
        )?;
        set(
            &pk,
            "allowCredentials",
            &descriptors(&self.allow_credentials)?.into(),
        )?;
        if !self.hints.is_empty() {
            set(&pk, "hints", &hints(&self.hints))?;
        }
        Ok(pk)
    }
}

/// Decodes a base64url (padded or not) credential id.
///
/// # Errors
/// [`PasskeyError::InvalidOptions`] when the id is empty or not base64url.
pub fn decode_credential_id(id: &str) -> Result<Vec<u8>, PasskeyError> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.trim_end_matches('='))
        .map_err(|e| PasskeyError::InvalidOptions(format!("credential id {id:?}: {e}")))?;
    if bytes.is_empty() {
        return Err(PasskeyError::InvalidOptions(
            "credential id is empty".into(),
        ));
    }
    Ok(bytes)
}

fn descriptors(creds: &[CredentialDescriptor]) -> Result<Array, PasskeyError> {
    let out = Array::new();
    for c in creds {
        let d = Object::new();
        set(&d, "type", &"public-key".into())?;
        set(
            &d,
            "id",
            &Uint8Array::from(decode_credential_id(&c.id)?.as_slice()).into(),
        )?;
        if !c.transports.is_empty() {
            let t: Array = c
                .transports
                .iter()
                .map(|t| JsValue::from_str(t.as_webauthn()))
                .collect();
            set(&d, "transports", &t)?;
        }
        out.push(&d);
    }
    Ok(out)
}

fn hints(hints: &[Hint]) -> Array {
    hints
        .iter()
        .map(|h| JsValue::from_str(h.as_str()))
        .collect()
}

pub(crate) fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), PasskeyError> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| PasskeyError::from_js(&e))
}
