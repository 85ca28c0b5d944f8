//! Type checks at the edge. Every value JavaScript hands the kit is checked here before Rust reads
//! it, so a wrong type is an `InvalidInputError` naming the parameter (`fingerprint: body must be
//! a string`), never a WebAssembly trap (wasm-bindgen's glue for a `&str` parameter does not
//! check its argument) and never a silent coercion.
//!
//! Option objects are copied once into plain data ([`plain`]) before anything reads them:
//! getters run once, a getter or proxy that throws becomes an `InvalidInputError` (with the
//! thrown value as `cause`) instead of a JavaScript exception unwinding through Rust frames, and
//! an own property whose value is `undefined` or `null` is absent, as in Turnkey's packages
//! (`config.allowCredentials || []`). The copy keeps own string-keyed properties; functions,
//! binary data (`ArrayBuffer`, typed arrays, `DataView`) and `AbortSignal`s are passed through as
//! they are.

use crate::prelude::*;

use js_sys::{Array, Function, Object, Reflect};
#[cfg(feature = "browser")]
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::error::invalid_input;

/// Nesting deeper than this is refused (a cyclic object would otherwise recurse forever).
const MAX_DEPTH: usize = 32;
/// Options with more values than this in all are refused: a sparse `new Array(2 ** 32 - 1)`, or
/// an object that refers to itself twice per level (2^32 paths to 32 levels), would otherwise take
/// minutes to walk.
const MAX_ITEMS: u32 = 10_000;

// `instanceof` runs a proxy's `getPrototypeOf` trap, and wasm-bindgen's own checks do not catch
// what it throws: these never throw.
#[wasm_bindgen(inline_js = r#"
export function is_abort_signal(v) {
  try { return typeof AbortSignal === "function" && v instanceof AbortSignal; } catch { return false; }
}
export function is_binary(v) {
  try { return ArrayBuffer.isView(v) || v instanceof ArrayBuffer; } catch { return false; }
}
"#)]
extern "C" {
    fn is_abort_signal(value: &JsValue) -> bool;
    fn is_binary(value: &JsValue) -> bool;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

fn threw(what: &str, action: &str, cause: &JsValue) -> JsValue {
    let error = invalid_input(&format!("{what}: {action} threw"));
    let _ = Reflect::set(&error, &"cause".into(), cause);
    error
}

/// `undefined` and `null`: an absent optional argument or option.
#[must_use]
pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// A string argument.
///
/// # Errors
/// `InvalidInputError`: "`{what}` must be a string".
pub fn string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| invalid_input(&format!("{what} must be a string")))
}

/// An optional string argument: `undefined` and `null` are absent.
///
/// # Errors
/// `InvalidInputError` for anything else that is not a string.
pub fn optional_string(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid_input(&format!("{what} must be a string when given")))
}

/// A function argument.
///
/// # Errors
/// `InvalidInputError`: "`{what}` must be a function".
pub fn function(value: JsValue, what: &str) -> Result<Function, JsValue> {
    value
        .dyn_into::<Function>()
        .map_err(|_| invalid_input(&format!("{what} must be a function")))
}

/// Whether `value` is passed through [`plain`] untouched (callables, binary data, signals).
fn opaque(value: &JsValue) -> bool {
    value.is_function() || is_binary(value) || is_abort_signal(value)
}

/// A deep copy of an options value into plain objects and arrays, dropping own properties whose
/// value is `undefined` or `null` (array items are kept as they are). Primitives and
/// opaque (`opaque`) objects are returned unchanged.
///
/// # Errors
/// `InvalidInputError` when reading the value throws (a getter, a proxy trap), when it nests
/// deeper than 32 levels, or when it holds more than 10,000 values in all.
pub fn plain(value: &JsValue, what: &str) -> Result<JsValue, JsValue> {
    let mut budget = MAX_ITEMS;
    copy(value, what, 0, &mut budget, false)
}

fn too_large(what: &str) -> JsValue {
    invalid_input(&format!("{what} holds more than {MAX_ITEMS} values"))
}

/// `for_serde`: functions become a symbol. serde-wasm-bindgen formats a mistyped value for its
/// message with wasm-bindgen's `debugString`, which reads a function's `name`: on a proxy that read
/// can throw through Rust frames. No option that serde reads is a function.
fn copy(
    value: &JsValue,
    what: &str,
    depth: usize,
    budget: &mut u32,
    for_serde: bool,
) -> Result<JsValue, JsValue> {
    if for_serde && value.is_function() {
        return Ok(JsValue::symbol(Some("function")));
    }
    if !value.is_object() || opaque(value) {
        return Ok(value.clone());
    }
    *budget = budget.checked_sub(1).ok_or_else(|| too_large(what))?;
    if depth >= MAX_DEPTH {
        return Err(invalid_input(&format!(
            "{what} is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if is_array(value).map_err(|e| threw(what, "reading it", &e))? {
        let length = Reflect::get(value, &"length".into())
            .map_err(|e| threw(what, "reading its length", &e))?
            .as_f64()
            .unwrap_or(0.0);
        if !(0.0..=f64::from(*budget)).contains(&length) {
            return Err(too_large(what));
        }
        let out = Array::new();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        for i in 0..length as u32 {
            let item_what = format!("{what}[{i}]");
            let item =
                Reflect::get_u32(value, i).map_err(|e| threw(&item_what, "reading it", &e))?;
            out.push(&copy(&item, &item_what, depth + 1, budget, for_serde)?);
        }
        return Ok(out.into());
    }
    let keys = Reflect::own_keys(value).map_err(|e| threw(what, "listing its keys", &e))?;
    *budget = budget
        .checked_sub(keys.length())
        .ok_or_else(|| too_large(what))?;
    let out = Object::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue; // symbol keys are not options
        };
        let field_what = format!("{what}.{name}");
        let field = Reflect::get(value, &key).map_err(|e| threw(&field_what, "reading it", &e))?;
        if is_absent(&field) {
            continue;
        }
        let field = copy(&field, &field_what, depth + 1, budget, for_serde)?;
        Reflect::set(&out, &key, &field).map_err(|e| threw(&field_what, "copying it", &e))?;
    }
    Ok(out.into())
}

/// An options object: [`plain`], then deserialized; `function` and `param` name it in errors
/// (`decryptExportBundle: params.embeddedKey: invalid type: …`).
///
/// # Errors
/// `InvalidInputError` when the value is not an object, when reading it throws, or for a missing
/// or mistyped field.
#[cfg(feature = "browser")]
pub fn options<T: DeserializeOwned>(
    value: &JsValue,
    function: &str,
    param: &str,
) -> Result<T, JsValue> {
    // Only the deserialization is compiled per options type; the checks, the copy and the error's
    // wording are shared (`explain`).
    let parse = |v: JsValue| serde_wasm_bindgen::from_value::<T>(v).map_err(|e| e.to_string());
    let (what, value) = prepare(value, function, param)?;
    parse(value.clone()).map_err(|error| explain(&what, &value, &error, &|v| parse(v).err()))
}

/// [`options`]' name for the object in errors, and its [`plain`] copy.
#[cfg(feature = "browser")]
#[inline(never)]
fn prepare(value: &JsValue, function: &str, param: &str) -> Result<(String, JsValue), JsValue> {
    let what = format!("{function}: {param}");
    check_object(value, &what)?;
    let mut budget = MAX_ITEMS;
    let value = copy(value, &what, 0, &mut budget, true)?;
    Ok((what, value))
}

/// The `InvalidInputError` for `error`, naming the field it is about when there is one (`error_of`
/// deserializes a changed copy of `value`).
#[cfg(feature = "browser")]
#[inline(never)]
fn explain(
    what: &str,
    value: &JsValue,
    error: &str,
    error_of: &dyn Fn(JsValue) -> Option<String>,
) -> JsValue {
    invalid_input(&match culprit(value, error, error_of) {
        Some(field) => format!("{what}.{field}: {error}"),
        None => format!("{what}: {error}"),
    })
}

/// An options object read field by field, without serde: the crypto entry's option shapes are a
/// few strings and a flag, and serde-wasm-bindgen's deserializers (with their messages, which
/// format floats) would be most of `quorum-kit/crypto`'s glue. Fields are read from a [`plain`]
/// copy, so a getter or proxy runs once and cannot throw through Rust frames.
pub struct Fields {
    value: JsValue,
    what: String,
}

impl Fields {
    /// Checks and copies the options object `param` of `function`.
    ///
    /// # Errors
    /// As [`object`].
    pub fn read(value: &JsValue, function: &str, param: &str) -> Result<Self, JsValue> {
        let what = format!("{function}: {param}");
        let value = object(value, &what)?;
        Ok(Self { value, what })
    }

    fn get(&self, key: &str) -> JsValue {
        // A plain copy has only data properties: reading one cannot throw.
        Reflect::get(&self.value, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    /// A required string field.
    ///
    /// # Errors
    /// `InvalidInputError` naming the field when it is absent or not a string.
    pub fn string(&self, key: &str) -> Result<String, JsValue> {
        string(&self.get(key), &format!("{}.{key}", self.what))
    }

    /// An optional string field (`undefined` and `null` are absent).
    ///
    /// # Errors
    /// `InvalidInputError` naming the field when it is given and not a string.
    pub fn optional_string(&self, key: &str) -> Result<Option<String>, JsValue> {
        optional_string(&self.get(key), &format!("{}.{key}", self.what))
    }

    /// An optional boolean field, `false` when absent.
    ///
    /// # Errors
    /// `InvalidInputError` naming the field when it is given and not a boolean.
    pub fn flag(&self, key: &str) -> Result<bool, JsValue> {
        let value = self.get(key);
        if is_absent(&value) {
            return Ok(false);
        }
        value
            .as_bool()
            .ok_or_else(|| invalid_input(&format!("{}.{key} must be a boolean", self.what)))
    }
}

/// The own key of `value` (a [`plain`] copy) that `error` is about. serde reports a mistyped
/// field without its name; without the culprit the error changes (to "missing field", or none),
/// without any other field it stays. Only on the error path, and without generic wrappers
/// (`serde_path_to_error` cost 65 KB of wasm).
#[cfg(feature = "browser")]
fn culprit(
    value: &JsValue,
    error: &str,
    error_of: &dyn Fn(JsValue) -> Option<String>,
) -> Option<String> {
    if error.starts_with("missing field") {
        return None; // serde names it
    }
    let keys = Object::keys(value.unchecked_ref::<Object>());
    for key in keys.iter() {
        let without = Object::assign(&Object::new(), value.unchecked_ref::<Object>());
        let _ = Reflect::delete_property(&without, &key);
        if error_of(without.into()).is_none_or(|e| e != error) {
            return key.as_string();
        }
    }
    None
}

/// A required options object, copied by [`plain`].
///
/// # Errors
/// `InvalidInputError` when the value is not a plain object (an array, a function, a primitive,
/// `null`), or when reading it throws.
pub fn object(value: &JsValue, what: &str) -> Result<JsValue, JsValue> {
    check_object(value, what)?;
    plain(value, what)
}

/// Checks that `value` is an options object: not a primitive, `null`, an array, a function or
/// binary data.
///
/// # Errors
/// `InvalidInputError`: "`{what}` must be an object".
pub fn check_object(value: &JsValue, what: &str) -> Result<(), JsValue> {
    let is_object = value.is_object()
        && !opaque(value)
        && !is_array(value).map_err(|e| threw(what, "reading it", &e))?;
    if is_object {
        Ok(())
    } else {
        Err(invalid_input(&format!("{what} must be an object")))
    }
}

/// Whether `value` could be a DOM node or another class instance: an object that is not an array
/// and not binary data (a proxy whose traps throw counts as an object). Never throws.
#[must_use]
pub fn is_instance_like(value: &JsValue) -> bool {
    value.is_object() && !is_binary(value) && !is_array(value).unwrap_or(false)
}

/// An optional options object: `undefined` and `null` are absent (`None`).
///
/// # Errors
/// As [`object`] for anything else.
pub fn optional_object(value: &JsValue, what: &str) -> Result<Option<JsValue>, JsValue> {
    if is_absent(value) {
        Ok(None)
    } else {
        object(value, what).map(Some)
    }
}

/// Reads `object[key]`, turning a throwing getter or proxy into an `InvalidInputError`.
///
/// # Errors
/// `InvalidInputError` when reading throws.
pub fn field(object: &JsValue, key: &str, what: &str) -> Result<JsValue, JsValue> {
    if !object.is_object() && !object.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(object, &key.into()).map_err(|e| threw(&format!("{what}.{key}"), "reading it", &e))
}

/// An optional `AbortSignal` (or an object with its shape: `aborted` and `addEventListener`).
///
/// # Errors
/// `InvalidInputError` for anything else but `undefined` and `null`.
pub fn optional_abort_signal(value: &JsValue, what: &str) -> Result<Option<JsValue>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    if is_abort_signal(value) || field(value, "addEventListener", what)?.is_function() {
        return Ok(Some(value.clone()));
    }
    Err(invalid_input(&format!("{what} must be an AbortSignal")))
}

/// An optional non-negative finite number.
///
/// # Errors
/// `InvalidInputError` for anything else but `undefined` and `null`.
pub fn optional_non_negative(value: &JsValue, what: &str) -> Result<Option<f64>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(invalid_input(&format!(
            "{what} must be a non-negative number"
        ))),
    }
}
