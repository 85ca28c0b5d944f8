//! What the client stamps with: anything implementing [`ClientStamper`], which starts the stamp
//! synchronously (so a passkey prompt keeps the person's gesture) and reports typed errors.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::LocalBoxFuture;
use crate::passkey::PasskeyError;
use crate::stamp::{Stamp, StampError, Stamper};

/// Why a stamper could not stamp.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StamperError {
    /// A passkey ceremony failed (cancelled, timed out, wrong origin, …).
    #[error(transparent)]
    Passkey(PasskeyError),
    /// A core stamper failed.
    #[error(transparent)]
    Stamp(StampError),
    /// WebCrypto refused to sign or import.
    #[error("WebCrypto failed: {0}")]
    Crypto(String),
    /// A JavaScript stamper threw or returned something else than `{stampHeaderName, stampHeaderValue}`.
    #[error("{name}: {message}")]
    Js {
        /// The thrown error's `name`.
        name: String,
        /// The thrown error's `message`.
        message: String,
        /// The thrown value itself, rethrown unchanged by the JS facade.
        value: JsValue,
    },
}

/// A stamper the client can use: [`ClientStamper::start_stamp`] must begin its work (for a passkey,
/// call `navigator.credentials.get`) before it returns.
pub trait ClientStamper {
    /// Starts stamping the exact `body` and returns a future for the stamp.
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>>;
}

impl<S: ClientStamper + ?Sized> ClientStamper for Rc<S> {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        (**self).start_stamp(body)
    }
}

/// Adapts a core [`Stamper`] (such as [`crate::stamp::ApiKeyStamper`]) to the client.
#[derive(Debug, Clone)]
pub struct CoreStamper<S>(pub Rc<S>);

impl<S: Stamper + 'static> ClientStamper for CoreStamper<S> {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        let stamper = Rc::clone(&self.0);
        let body = body.to_owned();
        Box::pin(async move { stamper.stamp(&body).await.map_err(StamperError::Stamp) })
    }
}

/// Any JavaScript object with Turnkey's stamper shape:
/// `stamp(payload: string) → Promise<{stampHeaderName, stampHeaderValue}>` (the kit's stampers,
/// `@turnkey/api-key-stamper`, `@turnkey/webauthn-stamper`, or your own).
#[derive(Debug, Clone)]
pub struct JsStamper {
    object: JsValue,
    stamp: Function,
}

impl JsStamper {
    /// Wraps a JS stamper object.
    ///
    /// # Errors
    /// [`StamperError::Js`] with name `TypeError` when the object has no `stamp` method.
    pub fn new(object: JsValue) -> Result<Self, StamperError> {
        let stamp = if object.is_object() {
            Reflect::get(&object, &"stamp".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
        } else {
            None
        };
        match stamp {
            Some(stamp) => Ok(Self { object, stamp }),
            None => Err(StamperError::Js {
                name: "TypeError".into(),
                message: "the stamper has no stamp(payload) method".into(),
                value: JsValue::UNDEFINED,
            }),
        }
    }

    /// The wrapped object.
    #[must_use]
    pub fn object(&self) -> &JsValue {
        &self.object
    }
}

/// Turns a value thrown by a JS stamper into a typed error: WebAuthn `DOMException`s (from
/// `@turnkey/webauthn-stamper` or a bare `navigator.credentials.get`) become [`StamperError::Passkey`].
#[must_use]
pub fn stamper_error_from_js(value: JsValue) -> StamperError {
    let get = |k: &str| {
        if value.is_object() {
            Reflect::get(&value, &k.into())
                .ok()
                .and_then(|v| v.as_string())
        } else {
            None
        }
    };
    let name = get("name").unwrap_or_else(|| "Error".into());
    let message = get("message")
        .or_else(|| value.as_string())
        .unwrap_or_default();
    let is_dom_exception = value.has_type::<web_sys::DomException>();
    if is_dom_exception {
        return StamperError::Passkey(PasskeyError::from_name(&name, message));
    }
    StamperError::Js {
        name,
        message,
        value,
    }
}

/// Parses `{stampHeaderName, stampHeaderValue}`.
///
/// # Errors
/// [`StamperError::Js`] (`TypeError`) when either field is missing or not a string.
pub fn stamp_from_js(value: &JsValue) -> Result<Stamp, StamperError> {
    let field = |k: &str| {
        Reflect::get(value, &k.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    match (field("stampHeaderName"), field("stampHeaderValue")) {
        (Some(header_name), Some(header_value)) => Ok(Stamp {
            header_name,
            header_value,
        }),
        _ => Err(StamperError::Js {
            name: "TypeError".into(),
            message: "stamp() must resolve to {stampHeaderName, stampHeaderValue}".into(),
            value: value.clone(),
        }),
    }
}

impl ClientStamper for JsStamper {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        let started = self
            .stamp
            .call1(&self.object, &JsValue::from_str(body))
            .map_err(stamper_error_from_js);
        Box::pin(async move {
            // `Promise.resolve` accepts a promise, any thenable, or a plain value.
            let value = JsFuture::from(Promise::resolve(&started?))
                .await
                .map_err(stamper_error_from_js)?;
            stamp_from_js(&value)
        })
    }
}
