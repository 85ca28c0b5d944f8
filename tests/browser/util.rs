//! Helpers: JS functions from source, property access.

use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;

/// `new Function(args, body)`.
pub fn js_fn(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

/// Evaluates an expression.
pub fn js_eval(expr: &str) -> JsValue {
    js_fn("", &format!("return ({expr});"))
        .call0(&JsValue::UNDEFINED)
        .unwrap()
}

/// `obj[key]`.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

/// `obj[key]` as a string.
pub fn get_str(obj: &JsValue, key: &str) -> String {
    get(obj, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// `obj[key]` as bytes (Uint8Array / ArrayBuffer).
pub fn get_bytes(obj: &JsValue, key: &str) -> Vec<u8> {
    quorum_kit::passkey::buffer_bytes(&get(obj, key)).unwrap()
}

/// A DOMException with this name.
pub fn dom_exception(name: &str, message: &str) -> JsValue {
    js_fn("n, m", "return new DOMException(m, n);")
        .call2(&JsValue::UNDEFINED, &name.into(), &message.into())
        .unwrap()
}
