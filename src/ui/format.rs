//! Numbers and durations through the browser's `Intl`, so no locale data is compiled in.
//! A constructor that refuses the locale (a `RangeError`) falls back to plain text, never a throw.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn number_format(locale: &str, options: &[(&str, JsValue)]) -> Option<Function> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"NumberFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = Object::new();
    for (k, v) in options {
        Reflect::set(&opts, &(*k).into(), v).ok()?;
    }
    let args = Array::of2(&JsValue::from_str(locale), &opts);
    let formatter = Reflect::construct(&ctor, &args)
        .or_else(|_| Reflect::construct(&ctor, &Array::of2(&JsValue::UNDEFINED, &opts)))
        .ok()?;
    Reflect::get(&formatter, &"format".into())
        .ok()?
        .dyn_into()
        .ok()
}

fn call(f: &Function, value: &JsValue) -> Option<String> {
    f.call1(&JsValue::UNDEFINED, value).ok()?.as_string()
}

/// An exact decimal string (such as `"0.000000000000000001"`) in `locale`'s digits and separators,
/// without rounding (`Intl.NumberFormat` formats decimal strings exactly).
#[must_use]
pub fn decimal(locale: &str, value: &str) -> String {
    number_format(locale, &[("maximumFractionDigits", JsValue::from(100))])
        .and_then(|f| call(&f, &JsValue::from_str(value)))
        .unwrap_or_else(|| value.to_owned())
}

/// An elapsed time in whole seconds, as "12 seconds" or "3 minutes" in `locale`.
#[must_use]
pub fn elapsed(locale: &str, seconds: u64) -> String {
    let (unit, amount) = if seconds < 60 {
        ("second", seconds)
    } else if seconds < 3600 {
        ("minute", seconds / 60)
    } else {
        ("hour", seconds / 3600)
    };
    number_format(
        locale,
        &[
            ("style", "unit".into()),
            ("unit", unit.into()),
            ("unitDisplay", "long".into()),
        ],
    )
    .and_then(|f| call(&f, &JsValue::from_str(&amount.to_string())))
    .unwrap_or_else(|| format!("{amount} {unit}s"))
}
