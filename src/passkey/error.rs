//! Every way a WebAuthn ceremony can fail, named after the `DOMException` the browser throws.
//!
//! The browser reports ceremony failures as `DOMException`s whose `name` is the only stable part
//! (messages differ per browser and language). [`PasskeyError::from_js`] reads that name once, at
//! the edge, so a UI can `match` on what the person can do about it.

use wasm_bindgen::JsValue;

/// A failed passkey ceremony (registration or assertion).
///
/// Variants are named after the WebAuthn-relevant `DOMException` names; each carries the browser's
/// message for logs (never show it as the only explanation: it is not localised and differs per browser).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasskeyError {
    /// `NotAllowedError`: the person cancelled, the ceremony timed out, no matching credential was
    /// chosen, or the document is not allowed to run it (no focus, no user activation, iframe without
    /// `publickey-credentials-*` permission). Browsers deliberately do not tell these apart.
    #[error("the passkey request was cancelled, timed out, or is not allowed here: {message}")]
    NotAllowedError {
        /// The browser's message.
        message: String,
    },
    /// `InvalidStateError`: during registration, the authenticator already holds a credential from
    /// `excludeCredentials` (the passkey is already registered).
    #[error("this authenticator is already registered: {message}")]
    InvalidStateError {
        /// The browser's message.
        message: String,
    },
    /// `SecurityError`: the rpId is not a registrable suffix of the page's origin, or the origin is
    /// not secure (WebAuthn needs HTTPS or `http://localhost`).
    #[error(
        "the relying party id does not match this origin, or the origin is not secure: {message}"
    )]
    SecurityError {
        /// The browser's message.
        message: String,
    },
    /// `NotSupportedError`: no authenticator supports the requested algorithms or options.
    #[error("no authenticator supports the requested options: {message}")]
    NotSupportedError {
        /// The browser's message.
        message: String,
    },
    /// `AbortError`: the ceremony was aborted through its `AbortSignal`.
    #[error("the passkey request was aborted: {message}")]
    AbortError {
        /// The browser's message.
        message: String,
    },
    /// `ConstraintError`: the authenticator cannot satisfy `residentKey: "required"` or
    /// `userVerification: "required"`.
    #[error("the authenticator cannot satisfy the requested constraints: {message}")]
    ConstraintError {
        /// The browser's message.
        message: String,
    },
    /// `UnknownError`: the authenticator failed for a reason it did not name.
    #[error("the authenticator failed: {message}")]
    UnknownError {
        /// The browser's message.
        message: String,
    },
    /// `TypeError`: the options were malformed (a bug in the caller or this kit).
    #[error("the passkey options were rejected as malformed: {message}")]
    TypeError {
        /// The browser's message.
        message: String,
    },
    /// WebAuthn is not available here (no `navigator.credentials` or no `PublicKeyCredential`,
    /// e.g. an insecure origin or an old browser).
    #[error("WebAuthn is not available in this browser or context")]
    Unavailable,
    /// The browser answered with something that is not a well-formed public-key credential.
    #[error("the authenticator returned an unexpected response: {0}")]
    InvalidResponse(String),
    /// The caller's options are invalid before any browser call (e.g. an empty user name).
    #[error("invalid passkey options: {0}")]
    InvalidOptions(String),
    /// Any other exception, with its `name` and `message`.
    #[error("{name}: {message}")]
    Other {
        /// The exception's `name`.
        name: String,
        /// The exception's `message`.
        message: String,
    },
}

impl PasskeyError {
    /// Maps a thrown JS value (a `DOMException`, `Error` or anything else) to a typed error.
    ///
    /// Only `name` decides the variant; `message` is kept for logs.
    #[must_use]
    pub fn from_js(value: &JsValue) -> Self {
        let name = string_property(value, "name").unwrap_or_default();
        let message = string_property(value, "message").unwrap_or_else(|| {
            value
                .as_string()
                .unwrap_or_else(|| "(no message)".to_owned())
        });
        Self::from_name(&name, message)
    }

    /// Maps a `DOMException`/`Error` name and message to a typed error.
    #[must_use]
    pub fn from_name(name: &str, message: String) -> Self {
        match name {
            "NotAllowedError" => Self::NotAllowedError { message },
            "InvalidStateError" => Self::InvalidStateError { message },
            "SecurityError" => Self::SecurityError { message },
            "NotSupportedError" => Self::NotSupportedError { message },
            "AbortError" => Self::AbortError { message },
            "ConstraintError" => Self::ConstraintError { message },
            "UnknownError" => Self::UnknownError { message },
            "TypeError" => Self::TypeError { message },
            other => Self::Other {
                name: if other.is_empty() {
                    "Error".to_owned()
                } else {
                    other.to_owned()
                },
                message,
            },
        }
    }

    /// The stable `name` the JS facade gives this error (`err.name` in JS).
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::NotAllowedError { .. } => "PasskeyCancelledError",
            Self::InvalidStateError { .. } => "PasskeyAlreadyRegisteredError",
            Self::SecurityError { .. } => "PasskeySecurityError",
            Self::NotSupportedError { .. } => "PasskeyNotSupportedError",
            Self::AbortError { .. } => "PasskeyAbortedError",
            Self::ConstraintError { .. } => "PasskeyConstraintError",
            Self::Unavailable => "PasskeyUnavailableError",
            Self::InvalidResponse(_) => "PasskeyResponseError",
            Self::InvalidOptions(_) | Self::TypeError { .. } => "PasskeyOptionsError",
            Self::UnknownError { .. } | Self::Other { .. } => "PasskeyError",
        }
    }

    /// The `DOMException` name behind this error (`err.code` in JS), or a kit-specific code.
    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            Self::NotAllowedError { .. } => "NotAllowedError",
            Self::InvalidStateError { .. } => "InvalidStateError",
            Self::SecurityError { .. } => "SecurityError",
            Self::NotSupportedError { .. } => "NotSupportedError",
            Self::AbortError { .. } => "AbortError",
            Self::ConstraintError { .. } => "ConstraintError",
            Self::UnknownError { .. } => "UnknownError",
            Self::TypeError { .. } => "TypeError",
            Self::Unavailable => "Unavailable",
            Self::InvalidResponse(_) => "InvalidResponse",
            Self::InvalidOptions(_) => "InvalidOptions",
            Self::Other { name, .. } => name,
        }
    }

    /// True when the person cancelled or let the ceremony time out (or it was aborted):
    /// a UI should offer "try again" rather than show a failure.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::NotAllowedError { .. } | Self::AbortError { .. })
    }
}

fn string_property(value: &JsValue, key: &str) -> Option<String> {
    if !value.is_object() {
        return None;
    }
    js_sys::Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}
