//! Light, dark and automatic themes, and how the components' CSS reaches the page.
//!
//! Every component's CSS reads only `--qk-*` custom properties (with defaults; see `base.css`).
//! Inside a custom element the CSS is a constructed stylesheet in the shadow root's
//! `adoptedStyleSheets` (a `<style>` element in a shadow root is blocked under `style-src 'self'`);
//! Rust apps that mount the components without shadow DOM call [`install_document_styles`].

use std::cell::RefCell;

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CssStyleSheet;

/// The tokens and shared pieces every component uses.
pub const BASE_CSS: &str = include_str!("base.css");

/// The colour scheme of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light colours.
    Light,
    /// Dark colours.
    Dark,
    /// Follows `prefers-color-scheme`.
    #[default]
    Auto,
}

impl Theme {
    /// `light`, `dark`, anything else (or nothing) is `auto`.
    #[must_use]
    pub fn parse(s: Option<&str>) -> Self {
        match s.map(str::trim) {
            Some("light") => Self::Light,
            Some("dark") => Self::Dark,
            _ => Self::Auto,
        }
    }

    /// The root class that selects it.
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            Self::Light => "qk-root qk-theme-light",
            Self::Dark => "qk-root qk-theme-dark",
            Self::Auto => "qk-root qk-theme-auto",
        }
    }
}

thread_local! {
    /// One constructed sheet per distinct CSS text, shared by every root that adopts it.
    static SHEETS: RefCell<Vec<(&'static str, CssStyleSheet)>> = const { RefCell::new(Vec::new()) };
}

fn sheet(css: &'static str) -> Option<CssStyleSheet> {
    SHEETS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, s)) = cache.iter().find(|(c, _)| core::ptr::eq(*c, css)) {
            return Some(s.clone());
        }
        let s = CssStyleSheet::new().ok()?;
        s.replace_sync(css).ok()?;
        cache.push((css, s.clone()));
        Some(s)
    })
}

/// Adopts the base sheet and `component_css` into `root` (a shadow root or the document),
/// keeping sheets it already has.
pub fn adopt(root: &JsValue, component_css: &'static str) {
    let key = JsValue::from_str("adoptedStyleSheets");
    let current: Array = Reflect::get(root, &key)
        .ok()
        .and_then(|v| v.dyn_into().ok())
        .unwrap_or_default();
    for css in [BASE_CSS, component_css] {
        if let Some(s) = sheet(css).filter(|s| !current.includes(s, 0)) {
            current.push(&s);
        }
    }
    let _ = Reflect::set(root, &key, &current);
}

/// Adds every component's CSS to the document (for Leptos use without custom elements).
pub fn install_document_styles() {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        for css in [
            super::sign_up::CSS,
            super::approve_transaction::CSS,
            super::export_wallet::CSS,
        ] {
            adopt(&doc, css);
        }
    }
}
