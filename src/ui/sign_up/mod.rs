//! Sign-up: name → passkey registration → the platform's sign-up call → done, with the address.
//!
//! States (the element's `state` attribute): `idle` → `awaiting-passkey` → `creating-wallet` →
//! `done`, or `error` (plain words and "try again"). A cancelled passkey returns to `idle` with a
//! message. A browser without passkeys is told so before it tries.

use leptos::ev::SubmitEvent;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::common::{
    Failure, busy_view, failure_view, focus_on_change, report_failure, report_state, root_view,
    unique_id,
};
use super::strings::Strings;
use super::theme::Theme;
use super::wallet::{SignedUp, UiError, WalletRef};

/// The component's CSS (beside it in `sign_up.css`).
pub const CSS: &str = include_str!("sign_up.css");

/// Where a sign-up is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpState {
    /// Waiting for a name; carries the message of a cancelled attempt, if any.
    Idle(Option<Failure>),
    /// The browser's passkey prompt is open.
    AwaitingPasskey,
    /// The platform is creating the sub-organization and wallet.
    CreatingWallet,
    /// Done.
    Done(SignedUp),
    /// Failed; "try again" returns to idle.
    Error(Failure),
}

impl SignUpState {
    /// The state's name, as in the element's `state` attribute.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Idle(_) => "idle",
            Self::AwaitingPasskey => "awaiting-passkey",
            Self::CreatingWallet => "creating-wallet",
            Self::Done(_) => "done",
            Self::Error(_) => "error",
        }
    }
}

/// The sign-up component.
#[component]
pub fn SignUp(
    /// What the component acts through (passkeys and the platform's sign-up).
    wallet: WalletRef,
    /// Its own locale (else the global one).
    #[prop(optional, into)]
    locale: Signal<Option<String>>,
    /// Light, dark or automatic.
    #[prop(optional, into)]
    theme: Signal<Theme>,
    /// Called with the created wallet.
    #[prop(optional)]
    on_signed_up: Option<Callback<SignedUp>>,
    /// Called with the state's name on every change.
    #[prop(optional)]
    on_state: Option<Callback<String>>,
    /// Called with `(name, message)` when an attempt fails.
    #[prop(optional)]
    on_error: Option<Callback<(String, String)>>,
) -> impl IntoView {
    let supported = wallet.passkey_supported();
    let wallet = StoredValue::new_local(wallet);
    let state = RwSignal::new(SignUpState::Idle(None));
    let name = RwSignal::new(String::new());
    let name_missing = RwSignal::new(false);
    let s = Strings::new(locale);
    let root = NodeRef::<Div>::new();
    report_state(state, SignUpState::name, on_state);
    focus_on_change(root, move || state.with(SignUpState::name));

    let fail = move |e: UiError| {
        let f = report_failure(&e, on_error);
        state.set(if f.is_cancelled() {
            SignUpState::Idle(Some(f))
        } else {
            SignUpState::Error(f)
        });
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let user = name.get_untracked().trim().to_owned();
        if user.is_empty() {
            name_missing.set(true);
            return;
        }
        name_missing.set(false);
        let Some(w) = wallet.try_get_value() else {
            return;
        };
        // The ceremony starts here, synchronously from the person's gesture.
        let pending = w.register_passkey(&user);
        state.set(SignUpState::AwaitingPasskey);
        spawn_local(async move {
            let registration = match pending.await {
                Ok(r) => r,
                Err(e) => return fail(e.into()),
            };
            state.set(SignUpState::CreatingWallet);
            match w.create_sub_organization(&user, &registration).await {
                Ok(done) => {
                    state.set(SignUpState::Done(done.clone()));
                    if let Some(cb) = on_signed_up {
                        cb.run(done);
                    }
                }
                Err(e) => fail(e),
            }
        });
    };

    let input_id = unique_id("name");
    let hint_id = unique_id("name-hint");
    let body = move || match state.get() {
        SignUpState::Idle(notice) => {
            let (input_id, label_for) = (input_id.clone(), input_id.clone());
            let (hint_id, described_by) = (hint_id.clone(), hint_id.clone());
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("signup.title")}</h2>
                <p class="qk-text">{s.text("signup.intro")}</p>
                {(!supported).then(|| view! {
                    <p class="qk-notice qk-danger" part="notice" role="alert">{s.text("error.passkey_unsupported")}</p>
                })}
                {notice.map(|f| view! {
                    <p class="qk-notice qk-warning" part="notice" role="alert">{f.live(s)}</p>
                })}
                <form on:submit=submit novalidate="">
                    <div class="qk-field">
                        <label class="qk-label" for=label_for>{s.text("signup.name_label")}</label>
                        <input
                            id=input_id
                            class="qk-input"
                            part="input"
                            name="userName"
                            autocomplete="username webauthn"
                            maxlength="64"
                            required=""
                            aria-describedby=described_by
                            aria-invalid=move || if name_missing.get() { "true" } else { "false" }
                            bind:value=name
                        />
                        <span class="qk-hint" id=hint_id>
                            {move || if name_missing.get() { s.t("signup.name_required") } else { s.t("signup.name_hint") }}
                        </span>
                    </div>
                    <button type="submit" class="qk-button qk-wide" part="primary-button" disabled=!supported>
                        {s.text("signup.submit")}
                    </button>
                </form>
            }
            .into_any()
        }
        SignUpState::AwaitingPasskey => {
            busy_view(s, "signup.awaiting_title", "signup.awaiting_body").into_any()
        }
        SignUpState::CreatingWallet => {
            busy_view(s, "signup.creating_title", "signup.creating_body").into_any()
        }
        SignUpState::Done(done) => {
            let address = done.addresses.first().cloned().unwrap_or_default();
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("signup.done_title")}</h2>
                <p class="qk-text">{s.text("signup.done_body")}</p>
                <dl class="qk-facts" part="details">
                    <dt>{s.text("signup.address")}</dt>
                    <dd><span class="qk-address" part="address" dir="ltr">{address}</span></dd>
                </dl>
            }
            .into_any()
        }
        SignUpState::Error(f) => failure_view(
            s,
            "signup.error_title",
            f,
            Callback::new(move |()| state.set(SignUpState::Idle(None))),
        )
        .into_any(),
    };

    root_view("qk-sign-up", theme, s, root, body.into_any())
}
