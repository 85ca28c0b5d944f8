//! Wallet export: a warning and an explicit "I understand", passkey approval, a fresh target key,
//! the bundle verified and decrypted on this device, and the recovery phrase revealed only when
//! the person asks.
//!
//! The target is a **non-extractable** WebCrypto ECDH key ([`ExportTarget`]), made while the
//! component waits (so the click still starts the passkey prompt synchronously) and used once: its
//! private half never exists as bytes in JS or wasm.
//!
//! The phrase never reaches the DOM before Reveal, never appears in an attribute, an event's
//! detail or a log, and is written into the page straight from the zeroizing buffer (no copy kept
//! in the view's state). Hide and unmount zeroize it; Copy clears the clipboard after 60 s where
//! the browser allows.
//!
//! States (the element's `state` attribute): `idle`, `submitting`, `done` (decrypted, hidden),
//! `revealed`, `error`.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html::{Div, Ol};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use zeroize::Zeroizing;

use super::common::{
    Failure, busy_view, failure_view, focus_on_change, report_failure, report_state, root_view,
    unique_id,
};
use super::strings::Strings;
use super::theme::Theme;
use super::wallet::{UiError, WalletRef};
use crate::bundle::export_plaintext_to_mnemonic;
use crate::export_target::ExportTarget;

/// The component's CSS (beside it in `export_wallet.css`).
pub const CSS: &str = include_str!("export_wallet.css");

/// How long a copied phrase stays on the clipboard.
pub const CLIPBOARD_CLEAR_MS: u32 = 60_000;

/// Where an export is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportState {
    /// Warning and confirmation; carries the message of a cancelled attempt, if any.
    Idle(Option<Failure>),
    /// The passkey prompt is open, or the bundle is on its way and being decrypted.
    Submitting,
    /// Decrypted and hidden.
    Done,
    /// The phrase is shown.
    Revealed,
    /// Failed; "try again" returns to idle.
    Error(Failure),
}

impl ExportState {
    /// The state's name, as in the element's `state` attribute.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Idle(_) => "idle",
            Self::Submitting => "submitting",
            Self::Done => "done",
            Self::Revealed => "revealed",
            Self::Error(_) => "error",
        }
    }
}

/// The decrypted phrase, shared between the view and the cleanup; zeroized when cleared.
type Secret = Rc<RefCell<Option<Zeroizing<String>>>>;

fn clear(secret: &Secret) {
    // Dropping the `Zeroizing` wipes the bytes.
    secret.borrow_mut().take();
}

/// The export component.
#[component]
pub fn ExportWallet(
    /// What the component acts through (the activity client).
    wallet: WalletRef,
    /// The wallet to export.
    #[prop(into)]
    wallet_id: Signal<String>,
    /// The enclave signer's public key (uncompressed hex) to trust instead of Turnkey's
    /// production signer: for the local sandbox only.
    #[prop(optional, into)]
    dangerously_override_signer_public_key: Signal<Option<String>>,
    /// Its own locale (else the global one).
    #[prop(optional, into)]
    locale: Signal<Option<String>>,
    /// Light, dark or automatic.
    #[prop(optional, into)]
    theme: Signal<Theme>,
    /// Called with the wallet id once the bundle is verified and decrypted (never the phrase).
    #[prop(optional)]
    on_exported: Option<Callback<String>>,
    /// Called with the state's name on every change.
    #[prop(optional)]
    on_state: Option<Callback<String>>,
    /// Called with `(name, message)` when an attempt fails.
    #[prop(optional)]
    on_error: Option<Callback<(String, String)>>,
) -> impl IntoView {
    let wallet = StoredValue::new_local(wallet);
    let state = RwSignal::new(ExportState::Idle(None));
    let understood = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let s = Strings::new(locale);
    let root = NodeRef::<Div>::new();
    report_state(state, ExportState::name, on_state);
    focus_on_change(root, move || state.with(ExportState::name));

    let secret: Secret = Rc::new(RefCell::new(None));
    let on_unmount = SendWrapper::new(Rc::clone(&secret));
    on_cleanup(move || clear(&on_unmount));
    let secret = StoredValue::new_local(secret);

    let fail = move |e: UiError| {
        let f = report_failure(&e, on_error);
        state.set(if f.is_cancelled() {
            ExportState::Idle(Some(f))
        } else {
            ExportState::Error(f)
        });
    };

    // A fresh target for each export, made ahead of the click.
    let target = StoredValue::new_local(None::<ExportTarget>);
    let ready = RwSignal::new(false);
    let prepare = move || {
        if ready.get_untracked() {
            return;
        }
        spawn_local(async move {
            match ExportTarget::generate().await {
                Ok(t) => {
                    if target.try_set_value(Some(t)).is_none() {
                        ready.set(true);
                    }
                }
                Err(e) => fail(UiError::from(e)),
            }
        });
    };
    prepare();

    let export = move |_| {
        if !understood.get_untracked() {
            return;
        }
        let (Some(w), Some(slot)) = (wallet.try_get_value(), secret.try_get_value()) else {
            return;
        };
        let wallet_id = wallet_id.get_untracked();
        if wallet_id.trim().is_empty() {
            return fail(UiError::Config("set `wallet-id`".into()));
        }
        let signer = dangerously_override_signer_public_key
            .get_untracked()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty());
        // This export's target; the next one gets a fresh key.
        let Some(key) = target.try_update_value(Option::take).flatten() else {
            return;
        };
        ready.set(false);
        // The passkey prompt starts here, synchronously from the click.
        let pending = w.export_bundle(&wallet_id, key.public_key_uncompressed());
        state.set(ExportState::Submitting);
        spawn_local(async move {
            let bundle = match pending.await {
                Ok(b) => b,
                Err(e) => return fail(e),
            };
            let phrase = key
                .decrypt_export_bundle(
                    &bundle.export_bundle,
                    &bundle.organization_id,
                    signer.as_deref(),
                )
                .await
                .and_then(|plain| export_plaintext_to_mnemonic(&plain).map_err(Into::into));
            drop(key);
            match phrase {
                Ok(p) => {
                    *slot.borrow_mut() = Some(p);
                    state.set(ExportState::Done);
                    if let Some(cb) = on_exported {
                        cb.run(wallet_id);
                    }
                }
                Err(e) => fail(UiError::from(e)),
            }
        });
    };

    let hide = move || {
        if let Some(slot) = secret.try_get_value() {
            clear(&slot);
        }
        copied.set(false);
        understood.set(false);
        state.set(ExportState::Idle(None));
        prepare();
    };

    let copy = move |_| {
        let Some(slot) = secret.try_get_value() else {
            return;
        };
        if let (Some(phrase), Some(w)) = (slot.borrow().as_ref(), web_sys::window()) {
            let clipboard = w.navigator().clipboard();
            let _ = clipboard.write_text(phrase);
            copied.set(true);
            // Clearing the clipboard outlives the component on purpose.
            let _ = clear_clipboard_later(clipboard);
        }
    };

    let check_id = unique_id("understood");
    let body = move || match state.get() {
        ExportState::Idle(notice) => {
            let (check_id, label_for) = (check_id.clone(), check_id.clone());
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("export.title")}</h2>
                <p class="qk-notice qk-warning" part="warning">{s.text("export.warning")}</p>
                {notice.map(|f| view! {
                    <p class="qk-notice qk-warning" part="notice" role="alert">{f.live(s)}</p>
                })}
                <label class="qk-check" for=label_for>
                    <input type="checkbox" id=check_id part="checkbox" bind:checked=understood />
                    <span>{s.text("export.confirm")}</span>
                </label>
                <div class="qk-actions">
                    <button type="button" class="qk-button qk-wide" part="primary-button"
                        disabled=move || !understood.get() || !ready.get() on:click=export>
                        {s.text("export.submit")}
                    </button>
                </div>
            }
            .into_any()
        }
        ExportState::Submitting => {
            busy_view(s, "export.working_title", "export.working_body").into_any()
        }
        ExportState::Done => view! {
            <h2 class="qk-title" part="title" tabindex="-1">{s.text("export.ready_title")}</h2>
            <p class="qk-text">{s.text("export.ready_body")}</p>
            <div class="qk-actions">
                <button type="button" class="qk-button" part="primary-button" data-qk-focus=""
                    on:click=move |_| state.set(ExportState::Revealed)>
                    {s.text("export.reveal")}
                </button>
            </div>
        }
        .into_any(),
        ExportState::Revealed => {
            let list = NodeRef::<Ol>::new();
            list.on_load(move |ol| {
                if let Some(slot) = secret.try_get_value() {
                    write_words(&ol, &slot);
                }
            });
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("export.phrase_label")}</h2>
                <ol class="qk-words" part="phrase" node_ref=list aria-label=s.text("export.phrase_label")></ol>
                {move || copied.get().then(|| view! { <p class="qk-notice qk-success" role="status">{s.text("export.copied")}</p> })}
                <div class="qk-actions">
                    <button type="button" class="qk-button" part="primary-button" on:click=move |_| hide()>
                        {s.text("export.hide")}
                    </button>
                    <button type="button" class="qk-button qk-secondary" part="copy-button" on:click=copy>
                        {s.text("export.copy")}
                    </button>
                </div>
            }
            .into_any()
        }
        ExportState::Error(f) => failure_view(
            s,
            "export.error_title",
            f,
            Callback::new(move |()| {
                state.set(ExportState::Idle(None));
                prepare();
            }),
        )
        .into_any(),
    };

    root_view("qk-export", theme, s, root, body.into_any())
}

/// Writes the words into the list straight from the secret (each `&str` is copied into the DOM
/// by the browser; no Rust-side copy outlives this call).
fn write_words(ol: &web_sys::HtmlOListElement, secret: &Secret) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(phrase) = secret.borrow().as_ref() {
        for word in phrase.split_whitespace() {
            if let Ok(li) = doc.create_element("li") {
                li.set_text_content(Some(word));
                let _ = ol.append_child(&li);
            }
        }
    }
}

/// Overwrites the clipboard with an empty string after [`CLIPBOARD_CLEAR_MS`].
fn clear_clipboard_later(clipboard: web_sys::Clipboard) -> Option<i32> {
    let window = web_sys::window()?;
    let clear = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = clipboard.write_text("");
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&clear),
            i32::try_from(CLIPBOARD_CLEAR_MS).unwrap_or(i32::MAX),
        )
        .ok()
}
