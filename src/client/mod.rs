//! The activity client (browser layer; PROTOCOL §4): stamps and POSTs queries and submissions,
//! and follows an activity to its end through an [`ActivityHandle`].
//!
//! - A submission's body is built and stamped **once** ([`crate::activity::ActivityRequest`]);
//!   a network failure re-sends the identical body and stamp, which Turnkey de-duplicates by
//!   fingerprint. A new timestamp is never made behind the caller's back.
//! - Reads (`get_activity`, `whoami`) are retried on network errors and 5xx answers.
//! - `ACTIVITY_STATUS_CONSENSUS_NEEDED` is "pending platform approval": the handle keeps polling
//!   (with backoff, until a deadline, cancellable) and reports each change with the votes so far.
//! - While a session (see [`crate::session`]) is active, requests are stamped with its key; when it
//!   lapses the client falls back to its own stamper (usually the passkey).
//!
//! HTTP goes through the [`Transport`] trait so tests can inject a fake.

mod handle;
pub mod platform;
mod stamper;
mod transport;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

pub use handle::{ActivityHandle, CancelToken, PollOptions, sleep_ms};
pub use stamper::{
    ClientStamper, CoreStamper, JsStamper, StamperError, stamp_from_js, stamper_error_from_js,
};
pub use transport::{FetchTransport, HttpResponse, Transport, TransportError};

use crate::activity::intents::{
    ApproveActivity, CreatePolicy, CreateReadWriteSession, CreateSubOrganization, CreateWallet,
    ExportWallet, ExportWalletAccount, RejectActivity, SignRawPayload, SignTransaction,
    UpdateRootQuorum,
};
use crate::activity::{Activity, ActivityError, ActivityRequest, Intent, QueryRequest};
use crate::stamp::Stamp;

/// A boxed, non-`Send` future (browser futures hold JS values).
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A client over any transport and any stamper, chosen at run time: what the JS API and the
/// components hold.
pub type DynClient = Client<Rc<dyn Transport>, Rc<dyn ClientStamper>>;

/// An activity handle of a [`DynClient`].
pub type DynHandle = ActivityHandle<Rc<dyn Transport>, Rc<dyn ClientStamper>>;

/// The `X-Client-Version` header value this kit sends.
pub const CLIENT_VERSION: &str = concat!("quorum-kit@", env!("CARGO_PKG_VERSION"));

/// How many times a request that got no response is sent in all.
const NETWORK_ATTEMPTS: u32 = 3;

/// Why a request or an activity did not succeed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Turnkey (or the sandbox) answered with an HTTP error.
    #[error("Turnkey answered HTTP {status} on {path}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// Turnkey's `message` (or the raw body when it is not Turnkey's error JSON).
        message: String,
        /// Turnkey's gRPC-style `code`, when present.
        code: Option<i64>,
        /// The request path.
        path: String,
    },
    /// No response after retrying.
    #[error(transparent)]
    Network(TransportError),
    /// The stamper failed (for a passkey: cancelled, timed out, wrong origin…).
    #[error(transparent)]
    Stamper(StamperError),
    /// The other root user (the platform) rejected the activity.
    #[error("the activity was rejected")]
    Rejected {
        /// The activity as last seen.
        activity: Box<Activity>,
    },
    /// The activity failed on the server.
    #[error("the activity failed: {message}")]
    Failed {
        /// The server's reason.
        message: String,
        /// The activity as last seen.
        activity: Box<Activity>,
    },
    /// The deadline passed before the activity ended (it may still complete: watch it again).
    #[error("timed out waiting for the activity")]
    Timeout {
        /// The activity as last seen.
        activity: Option<Box<Activity>>,
    },
    /// The caller cancelled (the activity itself is not cancelled on the server).
    #[error("cancelled")]
    Cancelled,
    /// The response could not be read.
    #[error(transparent)]
    Activity(ActivityError),
}

impl ClientError {
    /// The stable JS `name` for this error.
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::Http { .. } => "TurnkeyRequestError",
            Self::Network(_) => "NetworkError",
            Self::Stamper(StamperError::Passkey(p)) => p.js_name(),
            Self::Stamper(_) => "StamperError",
            Self::Rejected { .. } => "ActivityRejectedError",
            Self::Failed { .. } => "ActivityFailedError",
            Self::Timeout { .. } => "TimeoutError",
            Self::Cancelled => "AbortError",
            Self::Activity(_) => "ResponseError",
        }
    }

    /// The activity this error is about, if any.
    #[must_use]
    pub fn activity(&self) -> Option<&Activity> {
        match self {
            Self::Rejected { activity } | Self::Failed { activity, .. } => Some(activity),
            Self::Timeout { activity } => activity.as_deref(),
            _ => None,
        }
    }

    fn retryable_read(&self) -> bool {
        matches!(self, Self::Network(_))
            || matches!(self, Self::Http { status, .. } if *status >= 500)
    }
}

impl From<StamperError> for ClientError {
    fn from(e: StamperError) -> Self {
        Self::Stamper(e)
    }
}

/// `whoami`: who the stamp belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Whoami {
    /// The organization.
    pub organization_id: String,
    /// Its name.
    #[serde(default)]
    pub organization_name: String,
    /// The user.
    pub user_id: String,
    /// The user's name.
    #[serde(default)]
    pub username: String,
}

/// A session key that stamps instead of the client's own stamper until it expires.
#[derive(Clone)]
pub struct ActiveSession {
    /// The session's stamper.
    pub stamper: Rc<dyn ClientStamper>,
    /// Expiry, milliseconds since the Unix epoch.
    pub expires_at_ms: f64,
    /// The session key's compressed public key, hex.
    pub public_key: String,
}

impl core::fmt::Debug for ActiveSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ActiveSession")
            .field("expires_at_ms", &self.expires_at_ms)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner<T, S> {
    base_url: String,
    organization_id: RefCell<String>,
    transport: T,
    stamper: S,
    session: RefCell<Option<ActiveSession>>,
    poll: RefCell<PollOptions>,
}

/// The activity client. Cheap to clone (shared state).
pub struct Client<T, S> {
    inner: Rc<Inner<T, S>>,
}

impl<T, S> Clone for Client<T, S> {
    fn clone(&self) -> Self {
        Self {
            inner: Rc::clone(&self.inner),
        }
    }
}

impl<T, S> core::fmt::Debug for Client<T, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("organization_id", &self.inner.organization_id.borrow())
            .finish_non_exhaustive()
    }
}

/// Milliseconds since the Unix epoch.
#[must_use]
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl<T: Transport + 'static, S: ClientStamper + 'static> Client<T, S> {
    /// A client for `base_url` (e.g. `https://api.turnkey.com`) acting in `organization_id`.
    #[must_use]
    pub fn new(base_url: &str, organization_id: &str, transport: T, stamper: S) -> Self {
        Self {
            inner: Rc::new(Inner {
                base_url: base_url.trim_end_matches('/').to_owned(),
                organization_id: RefCell::new(organization_id.to_owned()),
                transport,
                stamper,
                session: RefCell::new(None),
                poll: RefCell::new(PollOptions::default()),
            }),
        }
    }

    /// Sets the default polling options for new handles.
    pub fn set_poll_options(&self, poll: PollOptions) {
        *self.inner.poll.borrow_mut() = poll;
    }

    /// The default polling options.
    #[must_use]
    pub fn poll_options(&self) -> PollOptions {
        *self.inner.poll.borrow()
    }

    /// The organization requests act in.
    #[must_use]
    pub fn organization_id(&self) -> String {
        self.inner.organization_id.borrow().clone()
    }

    /// Changes the organization (e.g. to the sub-organization after sign-up).
    pub fn set_organization_id(&self, organization_id: &str) {
        *self.inner.organization_id.borrow_mut() = organization_id.to_owned();
    }

    /// The base URL.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client's own stamper.
    #[must_use]
    pub fn stamper(&self) -> &S {
        &self.inner.stamper
    }

    /// Installs (or clears) the session that stamps instead of the client's stamper until it expires.
    pub fn set_session(&self, session: Option<ActiveSession>) {
        *self.inner.session.borrow_mut() = session;
    }

    /// The session, if one is installed and not expired at `now` (an expired one is dropped).
    #[must_use]
    pub fn session_at(&self, now: f64) -> Option<ActiveSession> {
        let mut slot = self.inner.session.borrow_mut();
        if slot.as_ref().is_some_and(|s| s.expires_at_ms <= now) {
            *slot = None;
        }
        slot.clone()
    }

    /// The active session, if any.
    #[must_use]
    pub fn session(&self) -> Option<ActiveSession> {
        self.session_at(now_ms())
    }

    /// Starts stamping `body` with the active session, or the client's stamper when there is none.
    /// The stamper is started before this returns.
    #[must_use]
    pub fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        match self.session() {
            Some(s) => s.stamper.start_stamp(body),
            None => self.inner.stamper.start_stamp(body),
        }
    }

    /// POSTs `body` with `stamp` to `path`, re-sending the identical request on network errors.
    async fn send(&self, path: &str, body: &str, stamp: &Stamp) -> Result<String, ClientError> {
        let url = format!("{}{}", self.inner.base_url, path);
        let headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("X-Client-Version".to_owned(), CLIENT_VERSION.to_owned()),
            (stamp.header_name.clone(), stamp.header_value.clone()),
        ];
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.inner.transport.post(&url, &headers, body).await {
                Ok(resp) if (200..300).contains(&resp.status) => return Ok(resp.body),
                Ok(resp) => return Err(http_error(path, &resp)),
                Err(_) if attempt < NETWORK_ATTEMPTS => {
                    sleep_ms(f64::from(100 * attempt), None).await;
                }
                Err(e) => return Err(ClientError::Network(e)),
            }
        }
    }

    /// Stamps and sends a query, retrying network errors and 5xx answers (same body, same stamp).
    /// The stamper starts before this returns.
    ///
    /// # Errors
    /// [`ClientError::Stamper`], [`ClientError::Http`], [`ClientError::Network`].
    #[must_use]
    pub fn query(&self, request: QueryRequest) -> LocalBoxFuture<Result<String, ClientError>> {
        let stamp = self.start_stamp(&request.body);
        let client = self.clone();
        Box::pin(async move {
            let stamp = stamp.await?;
            let mut attempt = 0;
            loop {
                attempt += 1;
                match client.send(request.path, &request.body, &stamp).await {
                    Err(e) if e.retryable_read() && attempt < NETWORK_ATTEMPTS => {
                        sleep_ms(f64::from(200 * attempt), None).await;
                    }
                    other => return other,
                }
            }
        })
    }

    /// `get_activity` (the stamper starts before this returns).
    ///
    /// # Errors
    /// As [`Client::query`], and [`ClientError::Activity`] for an unexpected response.
    #[must_use]
    pub fn get_activity(&self, activity_id: &str) -> LocalBoxFuture<Result<Activity, ClientError>> {
        let pending = self.query(QueryRequest::get_activity(
            &self.organization_id(),
            activity_id,
        ));
        Box::pin(async move {
            let body = pending.await?;
            Activity::from_response(&body).map_err(ClientError::Activity)
        })
    }

    /// `whoami` (the stamper starts before this returns).
    ///
    /// # Errors
    /// As [`Client::query`], and [`ClientError::Activity`] for an unexpected response.
    #[must_use]
    pub fn whoami(&self) -> LocalBoxFuture<Result<Whoami, ClientError>> {
        let pending = self.query(QueryRequest::whoami(&self.organization_id()));
        Box::pin(async move {
            let body = pending.await?;
            serde_json::from_str(&body)
                .map_err(|e| ClientError::Activity(ActivityError::Response(e.to_string())))
        })
    }

    /// Builds the request for `intent` now (current time as `timestampMs`).
    ///
    /// # Errors
    /// [`ClientError::Activity`] if the intent cannot be serialized.
    pub fn build<I: Intent>(&self, intent: &I) -> Result<ActivityRequest, ClientError> {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let now = now_ms() as u64;
        ActivityRequest::new(intent, &self.organization_id(), now).map_err(ClientError::Activity)
    }

    /// Submits a built request: stamps it (the stamper starts before this returns) and POSTs it.
    /// Re-submitting the same [`ActivityRequest`] later is idempotent (same fingerprint).
    #[must_use]
    pub fn submit_request(
        &self,
        request: ActivityRequest,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        let stamp = self.start_stamp(&request.body);
        let client = self.clone();
        Box::pin(async move {
            let stamp = stamp.await?;
            let body = client.send(request.path, &request.body, &stamp).await?;
            let activity = Activity::from_response(&body).map_err(ClientError::Activity)?;
            Ok(ActivityHandle::new(client.clone(), activity, Some(request)))
        })
    }

    /// Builds and submits `intent`.
    #[must_use]
    pub fn submit<I: Intent>(
        &self,
        intent: &I,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        match self.build(intent) {
            Ok(r) => self.submit_request(r),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }

    /// A handle following an activity already submitted (e.g. after a timeout or a reload).
    ///
    /// # Errors
    /// As [`Client::get_activity`].
    #[must_use]
    pub fn watch(
        &self,
        activity_id: &str,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        let pending = self.get_activity(activity_id);
        let client = self.clone();
        Box::pin(async move {
            let activity = pending.await?;
            Ok(ActivityHandle::new(client, activity, None))
        })
    }

    /// `create_sub_organization`.
    #[must_use]
    pub fn create_sub_organization(
        &self,
        p: &CreateSubOrganization,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `create_policy`.
    #[must_use]
    pub fn create_policy(
        &self,
        p: &CreatePolicy,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `update_root_quorum`.
    #[must_use]
    pub fn update_root_quorum(
        &self,
        p: &UpdateRootQuorum,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `create_wallet`.
    #[must_use]
    pub fn create_wallet(
        &self,
        p: &CreateWallet,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `sign_transaction`.
    #[must_use]
    pub fn sign_transaction(
        &self,
        p: &SignTransaction,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `sign_raw_payload`.
    #[must_use]
    pub fn sign_raw_payload(
        &self,
        p: &SignRawPayload,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `export_wallet`.
    #[must_use]
    pub fn export_wallet(
        &self,
        p: &ExportWallet,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `export_wallet_account`.
    #[must_use]
    pub fn export_wallet_account(
        &self,
        p: &ExportWalletAccount,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `create_read_write_session` (the session itself is set up by [`crate::session`]).
    #[must_use]
    pub fn create_read_write_session(
        &self,
        p: &CreateReadWriteSession,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(p)
    }

    /// `approve_activity` for the activity with this fingerprint.
    #[must_use]
    pub fn approve_activity(
        &self,
        fingerprint: &str,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(&ApproveActivity {
            fingerprint: fingerprint.to_owned(),
        })
    }

    /// `reject_activity` for the activity with this fingerprint.
    #[must_use]
    pub fn reject_activity(
        &self,
        fingerprint: &str,
    ) -> LocalBoxFuture<Result<ActivityHandle<T, S>, ClientError>> {
        self.submit(&RejectActivity {
            fingerprint: fingerprint.to_owned(),
        })
    }
}

/// Turnkey's error JSON: `{"code": 3, "message": "…", "details": […]}`.
fn http_error(path: &str, resp: &HttpResponse) -> ClientError {
    #[derive(Deserialize)]
    struct ErrorJson {
        #[serde(default)]
        code: Option<i64>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        error: Option<String>,
    }
    let parsed: Option<ErrorJson> = serde_json::from_str(&resp.body).ok();
    let code = parsed.as_ref().and_then(|p| p.code);
    let message = parsed
        .and_then(|p| p.message.or(p.error))
        .unwrap_or_else(|| {
            let mut m = resp.body.trim().to_owned();
            if m.len() > 500 {
                let mut cut = 500;
                while !m.is_char_boundary(cut) {
                    cut -= 1;
                }
                m.truncate(cut);
            }
            m
        });
    ClientError::Http {
        status: resp.status,
        message,
        code,
        path: path.to_owned(),
    }
}
