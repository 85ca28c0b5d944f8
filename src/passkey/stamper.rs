//! The passkey stamper: `X-Stamp-WebAuthn` over a request body (PROTOCOL §2).

use wasm_bindgen::JsValue;

use super::{AssertionOptions, PasskeyError, assert_with, credentials_container};
use crate::client::{ClientStamper, LocalBoxFuture, StamperError};
use crate::stamp::webauthn::challenge_for_body;
use crate::stamp::{Stamp, StampError, Stamper};

/// Stamps request bodies with a passkey: the challenge is the UTF-8 of the lowercase hex
/// SHA-256 of the body, and the header is `X-Stamp-WebAuthn`.
///
/// [`WebauthnStamper::start`] calls `navigator.credentials.get` before it returns, so a click
/// handler that awaits it keeps the person's gesture (Safari).
#[derive(Debug, Clone)]
pub struct WebauthnStamper {
    options: AssertionOptions,
    credentials: Option<JsValue>,
}

impl WebauthnStamper {
    /// A stamper with these assertion options (rpId, timeout, user verification, allowed credentials).
    #[must_use]
    pub fn new(options: AssertionOptions) -> Self {
        Self {
            options,
            credentials: None,
        }
    }

    /// Uses this credentials container instead of `navigator.credentials` (tests, iframes).
    #[must_use]
    pub fn with_credentials(mut self, credentials: JsValue) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The options used for every assertion.
    #[must_use]
    pub fn options(&self) -> &AssertionOptions {
        &self.options
    }

    /// Starts the assertion over `body` now and returns a future for the stamp.
    #[must_use]
    pub fn start(&self, body: &str) -> LocalBoxFuture<Result<Stamp, PasskeyError>> {
        let challenge = challenge_for_body(body);
        let credentials = match &self.credentials {
            Some(c) => c.clone(),
            None => match credentials_container() {
                Ok(c) => c,
                Err(e) => return Box::pin(std::future::ready(Err(e))),
            },
        };
        let pending = assert_with(&credentials, &self.options, challenge.as_bytes(), None);
        Box::pin(async move { pending.await?.to_stamp() })
    }
}

impl Stamper for WebauthnStamper {
    async fn stamp(&self, body: &str) -> Result<Stamp, StampError> {
        self.start(body)
            .await
            .map_err(|e| StampError::Signer(format!("{}: {e}", e.js_name())))
    }
}

impl ClientStamper for WebauthnStamper {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        let fut = self.start(body);
        Box::pin(async move { fut.await.map_err(StamperError::Passkey) })
    }
}
