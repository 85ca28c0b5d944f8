//! Transaction approval with its pending-platform-approval states.
//!
//! The component shows what is being signed **decoded from the unsigned transaction's bytes**
//! ([`crate::tx`]), never from labels the host could get wrong. "Approve with passkey" submits
//! `SIGN_TRANSACTION` (the passkey prompt starts synchronously from the click); the activity then
//! waits in `CONSENSUS_NEEDED` for the platform's vote, shown in plain words with the elapsed time
//! and the votes so far, and ends approved (signed transaction, copy), rejected (with the
//! platform's reason when the host can tell, above the transaction it declined) or failed. Past
//! the polling deadline it keeps watching and never re-submits.
//!
//! The pending activity's id is kept in `sessionStorage`, keyed by organization, signer and
//! transaction, so a reload resumes watching the same activity instead of submitting a new one.
//!
//! States (the element's `state` attribute): `idle`, `submitting`, `pending-approval`,
//! `approved`, `rejected`, `failed`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use sha2::{Digest, Sha256};

use super::common::{
    Failure, busy_view, failure_view, focus_on_change, report_failure, report_state, root_view,
};
use super::format;
use super::strings::Strings;
use super::theme::Theme;
use super::wallet::{UiError, WalletRef};
use crate::activity::intents::SignTransaction;
use crate::activity::{Activity, ActivityStatus};
use crate::client::DynHandle;
use crate::client::{CancelToken, ClientError, now_ms};
use crate::tx::{Fee, UnsignedTransaction, decode_unsigned_transaction, format_units};

/// The component's CSS (beside it in `approve_transaction.css`).
pub const CSS: &str = include_str!("approve_transaction.css");

/// An activity waiting for the platform's vote.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The activity id.
    pub activity_id: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// User ids that approved so far.
    pub approvals: Vec<String>,
    /// When waiting began (ms since the epoch).
    pub since_ms: f64,
    /// The polling deadline passed; still watching.
    pub overdue: bool,
}

/// Where an approval is.
#[derive(Debug, Clone, PartialEq)]
pub enum ApproveState {
    /// Showing the transaction; carries the message of a cancelled attempt, if any.
    Idle(Option<Failure>),
    /// The passkey prompt is open or the activity is being submitted.
    Submitting,
    /// Approved by the user, waiting for the platform.
    PendingApproval(Pending),
    /// Both approved: signed.
    Approved {
        /// The activity id.
        activity_id: String,
        /// The signed transaction, hex.
        signed_transaction: String,
    },
    /// The platform declined.
    Rejected {
        /// The activity id.
        activity_id: String,
        /// The platform's reason, when the host can tell.
        reason: Option<String>,
    },
    /// The activity failed (or could not be submitted).
    Failed(Failure),
}

impl ApproveState {
    /// The state's name, as in the element's `state` attribute.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Idle(_) => "idle",
            Self::Submitting => "submitting",
            Self::PendingApproval(_) => "pending-approval",
            Self::Approved { .. } => "approved",
            Self::Rejected { .. } => "rejected",
            Self::Failed(_) => "failed",
        }
    }
}

/// What the host hears about a pending approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEvent {
    /// The activity id.
    pub activity_id: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// User ids that approved so far.
    pub approvals: Vec<String>,
}

/// The `sessionStorage` key under which a pending activity's id is kept.
#[must_use]
pub fn resume_key(organization_id: &str, sign_with: &str, unsigned_transaction: &str) -> String {
    let digest = Sha256::digest(
        format!(
            "{organization_id}\n{sign_with}\n{}",
            unsigned_transaction
                .trim()
                .trim_start_matches("0x")
                .to_ascii_lowercase()
        )
        .as_bytes(),
    );
    format!("quorum-kit:approve:{}", hex::encode(digest))
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn remember(key: &str, activity_id: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, activity_id);
    }
}

fn forget(key: &str) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(key);
    }
}

fn remembered(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

fn known_chain(id: u64) -> Option<&'static str> {
    Some(match id {
        1 => "Ethereum",
        10 => "OP Mainnet",
        137 => "Polygon",
        8453 => "Base",
        17000 => "Holesky",
        42161 => "Arbitrum One",
        11_155_111 => "Sepolia",
        _ => return None,
    })
}

fn pending_of(a: &Activity, since_ms: f64, overdue: bool) -> Pending {
    Pending {
        activity_id: a.id.clone(),
        fingerprint: a.fingerprint.clone(),
        approvals: a.approvals().into_iter().map(str::to_owned).collect(),
        since_ms,
        overdue,
    }
}

/// Callbacks of the approval component.
#[derive(Clone, Copy, Default)]
struct Outcomes {
    pending: Option<Callback<PendingEvent>>,
    approved: Option<Callback<(String, String)>>,
    rejected: Option<Callback<(String, Option<String>)>>,
    error: Option<Callback<(String, String)>>,
}

/// Follows `handle` to its end, updating `state`; stops quietly when `cancel` fires (unmount).
async fn follow(
    handle: DynHandle,
    key: String,
    wallet: StoredValue<WalletRef, LocalStorage>,
    state: RwSignal<ApproveState>,
    out: Outcomes,
) {
    let since = now_ms();
    remember(&key, &handle.id());
    let announce = move |a: &Activity, overdue: bool| {
        if a.status != ActivityStatus::ConsensusNeeded {
            return;
        }
        let p = pending_of(a, since, overdue);
        let changed = state
            .try_with_untracked(|s| match s {
                ApproveState::PendingApproval(old) => old.approvals != p.approvals,
                _ => true,
            })
            .unwrap_or(false);
        if changed {
            state.set(ApproveState::PendingApproval(p.clone()));
            if let Some(cb) = out.pending {
                cb.run(PendingEvent {
                    activity_id: p.activity_id,
                    fingerprint: p.fingerprint,
                    approvals: p.approvals,
                });
            }
        }
    };
    announce(&handle.activity(), false);
    let subscription = handle.subscribe(move |a| announce(a, false));
    let outcome = loop {
        match handle.wait().await {
            Err(ClientError::Timeout { .. }) => {
                // Past the deadline: say so and keep watching the same activity.
                state.try_update(|s| {
                    if let ApproveState::PendingApproval(p) = s {
                        p.overdue = true;
                    }
                });
            }
            other => break other,
        }
    };
    handle.unsubscribe(subscription);
    let id = handle.id();
    match outcome {
        Ok(a) => {
            forget(&key);
            match a.result_of::<SignTransaction>() {
                Ok(r) => {
                    state.set(ApproveState::Approved {
                        activity_id: id.clone(),
                        signed_transaction: r.signed_transaction.clone(),
                    });
                    if let Some(cb) = out.approved {
                        cb.run((id, r.signed_transaction));
                    }
                }
                Err(e) => fail(state, out, &UiError::Client(ClientError::Activity(e))),
            }
        }
        Err(ClientError::Rejected { .. }) => {
            forget(&key);
            let reason = match wallet.try_get_value() {
                Some(w) => w.reason_for(&id).await,
                None => None,
            };
            state.set(ApproveState::Rejected {
                activity_id: id.clone(),
                reason: reason.clone(),
            });
            if let Some(cb) = out.rejected {
                cb.run((id, reason));
            }
        }
        // Unmounted: the activity stays remembered so the next mount resumes it.
        Err(ClientError::Cancelled) => {}
        Err(e) => {
            if matches!(e, ClientError::Failed { .. } | ClientError::Http { .. }) {
                forget(&key);
            }
            fail(state, out, &UiError::Client(e));
        }
    }
}

fn fail(state: RwSignal<ApproveState>, out: Outcomes, e: &UiError) {
    let f = report_failure(e, out.error);
    state.set(if f.is_cancelled() {
        ApproveState::Idle(Some(f))
    } else {
        ApproveState::Failed(f)
    });
}

/// The approval component.
#[component]
pub fn ApproveTransaction(
    /// What the component acts through (the activity client, the co-signer's reasons).
    wallet: WalletRef,
    /// The address (or private-key id) that signs.
    #[prop(into)]
    sign_with: Signal<String>,
    /// The unsigned transaction, hex (EIP-1559, EIP-2930 or legacy).
    #[prop(into)]
    unsigned_transaction: Signal<String>,
    /// Its own locale (else the global one).
    #[prop(optional, into)]
    locale: Signal<Option<String>>,
    /// Light, dark or automatic.
    #[prop(optional, into)]
    theme: Signal<Theme>,
    /// Called when the activity waits for the platform (and when its votes change).
    #[prop(optional)]
    on_pending: Option<Callback<PendingEvent>>,
    /// Called with `(activityId, signedTransaction)`.
    #[prop(optional)]
    on_approved: Option<Callback<(String, String)>>,
    /// Called with `(activityId, reason)`.
    #[prop(optional)]
    on_rejected: Option<Callback<(String, Option<String>)>>,
    /// Called with the state's name on every change.
    #[prop(optional)]
    on_state: Option<Callback<String>>,
    /// Called with `(name, message)` when an attempt fails.
    #[prop(optional)]
    on_error: Option<Callback<(String, String)>>,
) -> impl IntoView {
    let wallet = StoredValue::new_local(wallet);
    let state = RwSignal::new(ApproveState::Idle(None));
    let s = Strings::new(locale);
    let root = NodeRef::<Div>::new();
    let out = Outcomes {
        pending: on_pending,
        approved: on_approved,
        rejected: on_rejected,
        error: on_error,
    };
    report_state(state, ApproveState::name, on_state);
    focus_on_change(root, move || state.with(ApproveState::name));

    let decoded = Memo::new(move |_| {
        let hex = unsigned_transaction.get();
        if hex.trim().is_empty() {
            None
        } else {
            Some(decode_unsigned_transaction(&hex))
        }
    });

    // Stops polling on unmount (the activity stays remembered, so the next mount resumes it).
    let live = Rc::new(Live::default());
    let on_unmount = SendWrapper::new(Rc::clone(&live));
    on_cleanup(move || on_unmount.shutdown());
    let live = StoredValue::new_local(live);

    let start = move |pending: LocalHandleFuture, key: String| {
        let Some(live) = live.try_get_value() else {
            return;
        };
        spawn_local(async move {
            match pending.0.await {
                Ok(h) => {
                    if live.adopt(&h) {
                        follow(h, key, wallet, state, out).await;
                    }
                }
                Err(e) => {
                    forget(&key);
                    fail(state, out, &e.into());
                }
            }
        });
    };

    // A reload while pending resumes the same activity (never a second submission).
    Effect::new(move |_| {
        let (signer, tx) = (sign_with.get(), unsigned_transaction.get());
        if signer.is_empty()
            || tx.is_empty()
            || !matches!(state.get_untracked(), ApproveState::Idle(_))
        {
            return;
        }
        let Some(client) = wallet.try_get_value().and_then(|w| w.client().ok()) else {
            return;
        };
        let key = resume_key(&client.organization_id(), &signer, &tx);
        if let Some(id) = remembered(&key) {
            state.set(ApproveState::Submitting);
            start(LocalHandleFuture(client.watch(&id)), key);
        }
    });

    let approve = move |_| {
        let Some(Ok(_)) = decoded.get_untracked() else {
            return;
        };
        let Some(w) = wallet.try_get_value() else {
            return;
        };
        let client = match w.client() {
            Ok(c) => c,
            Err(e) => return fail(state, out, &e),
        };
        let (signer, tx) = (
            sign_with.get_untracked(),
            unsigned_transaction.get_untracked(),
        );
        let key = resume_key(&client.organization_id(), &signer, &tx);
        // The stamper (the passkey prompt) starts here, synchronously from the click.
        let pending = client.sign_transaction(&SignTransaction {
            sign_with: signer,
            unsigned_transaction: tx.trim().trim_start_matches("0x").to_owned(),
            transaction_type: "TRANSACTION_TYPE_ETHEREUM".to_owned(),
        });
        state.set(ApproveState::Submitting);
        start(LocalHandleFuture(pending), key);
    };

    let copy_done = RwSignal::new(false);
    let details = move || {
        decoded.get().map(|d| match d {
            Ok(tx) => details_view(s, &tx).into_any(),
            Err(e) => {
                let f = Failure::from(&UiError::Transaction(e));
                view! { <p class="qk-notice qk-danger" part="notice" role="alert">{f.live(s)}</p> }
                    .into_any()
            }
        })
    };

    let body = move || match state.get() {
        ApproveState::Idle(notice) => {
            let ready = move || matches!(decoded.get(), Some(Ok(_)));
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("approve.title")}</h2>
                <p class="qk-text">{s.text("approve.intro")}</p>
                {details}
                {move || decoded.get().is_none().then(|| view! {
                    <p class="qk-notice" part="notice">{s.text("approve.missing")}</p>
                })}
                {notice.map(|f| view! {
                    <p class="qk-notice qk-warning" part="notice" role="alert">{f.live(s)}</p>
                })}
                <div class="qk-actions">
                    <button type="button" class="qk-button qk-wide" part="primary-button"
                        disabled=move || !ready() on:click=approve>
                        {s.text("approve.submit")}
                    </button>
                </div>
            }
            .into_any()
        }
        ApproveState::Submitting => view! {
            {busy_view(s, "approve.submitting_title", "approve.submitting_body")}
            {details}
        }
        .into_any(),
        ApproveState::PendingApproval(p) => pending_view(s, p, details).into_any(),
        ApproveState::Approved {
            signed_transaction, ..
        } => {
            let copy_text = signed_transaction.clone();
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("approve.approved_title")}</h2>
                <p class="qk-notice qk-success" part="notice">{s.text("approve.approved_body")}</p>
                <p class="qk-label">{s.text("approve.signed_label")}</p>
                <code class="qk-code" part="signed-transaction" dir="ltr">{signed_transaction}</code>
                <div class="qk-actions">
                    <button type="button" class="qk-button" part="primary-button"
                        on:click=move |_| { copy(&copy_text); copy_done.set(true); }>
                        {move || if copy_done.get() { s.t("common.copied") } else { s.t("common.copy") }}
                    </button>
                </div>
            }
            .into_any()
        }
        ApproveState::Rejected { reason, .. } => {
            let reason_text = move || match &reason {
                Some(r) => s.tf("approve.reason", &[("reason", r)]),
                None => s.t("approve.no_reason"),
            };
            view! {
                <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("approve.rejected_title")}</h2>
                <p class="qk-notice qk-danger" part="reason" role="alert">{reason_text}</p>
                {details}
            }
            .into_any()
        }
        ApproveState::Failed(f) => failure_view(
            s,
            "approve.failed_title",
            f,
            Callback::new(move |()| state.set(ApproveState::Idle(None))),
        )
        .into_any(),
    };

    root_view("qk-approve", theme, s, root, body.into_any())
}

/// A submission or watch in flight.
struct LocalHandleFuture(crate::client::LocalBoxFuture<Result<DynHandle, ClientError>>);

/// The handles a mounted component follows; unmounting cancels them.
#[derive(Default)]
struct Live {
    unmounted: Cell<bool>,
    tokens: RefCell<Vec<CancelToken>>,
}

impl Live {
    /// Follows `handle` unless the component is gone (then cancels it and says no).
    fn adopt(&self, handle: &DynHandle) -> bool {
        if self.unmounted.get() {
            handle.cancel();
            return false;
        }
        self.tokens.borrow_mut().push(handle.cancel_token());
        true
    }

    fn shutdown(&self) {
        self.unmounted.set(true);
        for t in self.tokens.borrow_mut().drain(..) {
            t.cancel();
        }
    }
}

fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

fn details_view(s: Strings, tx: &UnsignedTransaction) -> impl IntoView + use<> {
    let value = tx.value_eth();
    let to = tx.to.clone();
    let chain = tx.chain_id;
    let nonce = tx.nonce.to_string();
    let gas = tx.gas_limit.to_string();
    let fee = match &tx.fee {
        Fee::GasPrice { gas_price_wei } => gas_price_wei.clone(),
        Fee::Eip1559 {
            max_fee_per_gas_wei,
            ..
        } => max_fee_per_gas_wei.clone(),
    };
    let (data_len, selector) = (tx.data_len.to_string(), tx.selector.clone());
    let has_data = tx.data_len > 0;
    view! {
        <p class="qk-amount" part="amount"><span dir="ltr">{move || format!("{} ETH", format::decimal(&s.locale(), &value))}</span></p>
        <dl class="qk-facts" part="details">
            <dt>{s.text("approve.to")}</dt>
            <dd class="qk-mono" part="recipient"><span dir="ltr">{move || to.clone().unwrap_or_else(|| s.t("approve.contract_creation"))}</span></dd>
            <dt>{s.text("approve.network")}</dt>
            <dd>{move || match chain {
                Some(id) => known_chain(id).map_or_else(|| s.tf("approve.chain", &[("id", &id.to_string())]), str::to_owned),
                None => s.tf("approve.chain", &[("id", "–")]),
            }}</dd>
            <dt>{s.text("approve.max_fee")}</dt>
            <dd><span dir="ltr">{move || format!("{} gwei", format::decimal(&s.locale(), &format_units(&fee, 9)))}</span></dd>
            <dt>{s.text("approve.gas")}</dt>
            <dd>{move || format::decimal(&s.locale(), &gas)}</dd>
            <dt>{s.text("approve.nonce")}</dt>
            <dd>{nonce}</dd>
            <dt>{s.text("approve.data")}</dt>
            <dd>{move || match (&selector, has_data) {
                (_, false) => s.t("approve.data_none"),
                (Some(sel), true) => s.tf("approve.data_call", &[("bytes", &data_len), ("selector", sel)]),
                (None, true) => s.tf("approve.data_bytes", &[("bytes", &data_len)]),
            }}</dd>
        </dl>
    }
}

fn pending_view(
    s: Strings,
    p: Pending,
    details: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> impl IntoView {
    // The elapsed time ticks once a second while this view is shown.
    let now = RwSignal::new(now_ms());
    if let Ok(timer) =
        set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1))
    {
        on_cleanup(move || timer.clear());
    }
    let since = p.since_ms;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let elapsed = move || {
        let secs = ((now.get() - since).max(0.0) / 1000.0) as u64;
        s.tf(
            "approve.elapsed",
            &[("time", &format::elapsed(&s.locale(), secs))],
        )
    };
    let votes = p.approvals.len().min(2);
    let dots = (0..2)
        .map(|i| {
            let class = if i < votes {
                "qk-vote qk-yes"
            } else {
                "qk-vote"
            };
            view! { <span class=class></span> }
        })
        .collect_view();
    let overdue = p.overdue;
    view! {
        <h2 class="qk-title" part="title" tabindex="-1" data-qk-focus="">{s.text("approve.pending_title")}</h2>
        <p class="qk-text">{s.text("approve.pending_body")}</p>
        <div class="qk-pending" part="pending" role="group" aria-label=s.text("approve.pending_title")>
            <div class="qk-pending-row">
                <span class="qk-spinner" aria-hidden="true"></span>
                <span class="qk-votes" aria-hidden="true">{dots}</span>
                <strong part="votes">{move || s.tf("approve.votes", &[("n", &votes.to_string())])}</strong>
            </div>
            <span>{s.text("approve.awaited")}</span>
            <span class="qk-muted" part="elapsed">{elapsed}</span>
        </div>
        {overdue.then(|| view! { <p class="qk-notice qk-warning" part="notice">{s.text("approve.still_pending")}</p> })}
        {details}
    }
}
