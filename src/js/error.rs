//! Errors thrown to JavaScript: a real `Error` whose `name` a caller can switch on
//! (`InvalidInputError`, `BundleSignatureError`, `OrganizationMismatchError`, `DecryptionError`, …)
//! and whose `message` says what to do. `code` carries the same string, for frameworks that
//! overwrite `name`.

use crate::prelude::*;

use wasm_bindgen::JsValue;

/// Builds a JavaScript `Error` with a stable name.
#[must_use]
pub fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    // Setting a plain data property on a fresh Error cannot fail; ignore the impossible case.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(name));
    error.into()
}

/// An `InvalidInputError` for a malformed argument.
#[must_use]
pub fn invalid_input(message: &str) -> JsValue {
    js_error("InvalidInputError", message)
}

impl From<crate::bundle::BundleError> for JsValue {
    fn from(e: crate::bundle::BundleError) -> Self {
        js_error(e.name(), &e.to_string())
    }
}

impl From<crate::keys::KeyError> for JsValue {
    fn from(e: crate::keys::KeyError) -> Self {
        invalid_input(&e.to_string())
    }
}
