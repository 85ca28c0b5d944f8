//! Pieces the three components share: plain-words failures, state reporting, focus management
//! and the live region.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::strings::Strings;
use super::theme::Theme;
use super::wallet::UiError;
use crate::client::ClientError;
use crate::passkey::PasskeyError;

/// A failure as a component shows it: a strings-table key, the detail for its `{detail}`
/// placeholder, and the error's stable name and message for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The strings-table key of the explanation.
    pub key: &'static str,
    /// Fills `{detail}` in that text.
    pub detail: String,
    /// The error's stable `name` (as in the JS API).
    pub name: &'static str,
    /// The error's message (English, for logs and the `quorum-error` event).
    pub message: String,
}

impl Failure {
    /// The explanation in plain words.
    #[must_use]
    pub fn text(&self, s: &Strings) -> String {
        s.tf(self.key, &[("detail", &self.detail)])
    }

    /// The explanation as a view that follows the locale (one closure type for every failure,
    /// so its rendering code is compiled once).
    pub fn live(self, s: Strings) -> impl Fn() -> String + Send + Sync + 'static {
        move || self.text(&s)
    }

    /// Whether the person cancelled a passkey prompt (the component returns to idle).
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.key == "error.passkey_cancelled"
    }
}

impl From<&UiError> for Failure {
    fn from(e: &UiError) -> Self {
        let (key, detail) = match e {
            UiError::Passkey(p) => (passkey_key(p), String::new()),
            UiError::Client(ClientError::Network(_)) => ("error.network", String::new()),
            UiError::Client(ClientError::Http { message, .. }) => ("error.server", message.clone()),
            UiError::Config(m) => ("error.config", m.clone()),
            UiError::Platform(m) => ("error.server", m.clone()),
            UiError::Transaction(t) => ("approve.invalid", t.to_string()),
            UiError::Bundle(_) => ("export.verify_failed", String::new()),
            other => ("error.other", other.to_string()),
        };
        Self {
            key,
            detail,
            name: e.js_name(),
            message: e.to_string(),
        }
    }
}

fn passkey_key(e: &PasskeyError) -> &'static str {
    match e {
        PasskeyError::NotAllowedError { .. } | PasskeyError::AbortError { .. } => {
            "error.passkey_cancelled"
        }
        PasskeyError::InvalidStateError { .. } => "error.passkey_exists",
        PasskeyError::SecurityError { .. } => "error.passkey_security",
        PasskeyError::Unavailable => "error.passkey_unsupported",
        PasskeyError::NotSupportedError { .. } | PasskeyError::ConstraintError { .. } => {
            "error.passkey_device"
        }
        _ => "error.other",
    }
}

/// The failure of `e` in plain words, reported to the host's `on_error` as `(name, message)`.
#[must_use]
pub fn report_failure(e: &UiError, on_error: Option<Callback<(String, String)>>) -> Failure {
    let f = Failure::from(e);
    if let Some(cb) = on_error {
        cb.run((f.name.to_owned(), f.message.clone()));
    }
    f
}

/// The frame every component renders in: its theme and component class, the direction and
/// language of its strings, the `logo` slot, then `body`.
pub fn root_view(
    component: &'static str,
    theme: Signal<Theme>,
    s: Strings,
    root: NodeRef<Div>,
    body: AnyView,
) -> impl IntoView {
    view! {
        <div class=move || format!("{} {component}", theme.get().class()) part="root"
            dir=move || s.dir() lang=move || s.locale() node_ref=root>
            <div class="qk-logo" part="logo"><slot name="logo"></slot></div>
            {body}
        </div>
    }
}

/// A state in progress: its heading (focused) and a spinner beside what is happening.
pub fn busy_view(s: Strings, title: &'static str, body: &'static str) -> impl IntoView {
    view! {
        <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text(title)}</h2>
        <p class="qk-status-line"><span class="qk-spinner" aria-hidden="true"></span>{s.text(body)}</p>
    }
}

/// A failed state: its heading, the failure in plain words, and "try again" (focused).
pub fn failure_view(
    s: Strings,
    title: &'static str,
    f: Failure,
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <h2 class="qk-title" part="title" tabindex="-1">{s.text(title)}</h2>
        <p class="qk-notice qk-danger" part="notice" role="alert">{f.live(s)}</p>
        <div class="qk-actions">
            <button type="button" class="qk-button" part="primary-button" data-qk-focus=""
                on:click=move |_| retry.run(())>
                {s.text("common.retry")}
            </button>
        </div>
    }
}

/// Calls `on_state` with the state's name now and on every change.
pub fn report_state<S>(
    state: RwSignal<S>,
    name_of: fn(&S) -> &'static str,
    on_state: Option<Callback<String>>,
) where
    S: Send + Sync + 'static,
{
    let Some(cb) = on_state else { return };
    // The first state is reported at once (an element's `state` attribute exists from mount);
    // later ones when the view has settled.
    let initial = state.with_untracked(name_of);
    cb.run(initial.to_owned());
    Effect::new(move |prev: Option<&'static str>| {
        let name = state.with(name_of);
        if prev.unwrap_or(initial) != name {
            cb.run(name.to_owned());
        }
        name
    });
}

/// After every change of `track` (not on first render), moves focus to the element marked
/// `data-qk-focus` inside `root`: the new state's heading or main action (WCAG 2.4.3).
pub fn focus_on_change<T>(root: NodeRef<Div>, track: impl Fn() -> T + Send + Sync + 'static)
where
    T: PartialEq + Send + Sync + 'static,
{
    Effect::new(move |prev: Option<T>| {
        let now = track();
        if prev.is_some_and(|p| p != now) {
            // After the view has updated: effects may run before the render effects.
            set_timeout(
                move || {
                    if let Some(el) = root
                        .try_get_untracked()
                        .flatten()
                        .and_then(|r| r.query_selector("[data-qk-focus]").ok().flatten())
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = el.focus();
                    }
                },
                std::time::Duration::ZERO,
            );
        }
        now
    });
}

thread_local! {
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// An element id unique in the page (so labels stay tied to their inputs when several components
/// share a document instead of each having a shadow root).
#[must_use]
pub fn unique_id(prefix: &str) -> String {
    let n = NEXT_ID.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    format!("qk-{prefix}-{n}")
}
