//! Following an activity to its end: polling with backoff and a deadline, cancellable,
//! with every change (status, votes) reported to subscribers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Client, ClientError, ClientStamper, Transport, now_ms};
use crate::activity::{Activity, ActivityRequest, ActivityStatus, Intent};

/// How a handle polls `get_activity`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollOptions {
    /// The first wait, in milliseconds.
    pub initial_interval_ms: f64,
    /// The longest wait between polls.
    pub max_interval_ms: f64,
    /// Each wait is the previous one times this (at least 1).
    pub backoff: f64,
    /// Give up (with [`ClientError::Timeout`]) this long after waiting starts.
    pub deadline_ms: f64,
}

impl Default for PollOptions {
    /// 250 ms, growing by 1.5× up to 2 s (Turnkey's SDK polls about every second); 10-minute deadline.
    fn default() -> Self {
        Self {
            initial_interval_ms: 250.0,
            max_interval_ms: 2_000.0,
            backoff: 1.5,
            deadline_ms: 600_000.0,
        }
    }
}

struct CancelInner {
    cancelled: Cell<bool>,
    /// Pending sleeps: the promise's `resolve` and the `setTimeout` id to clear.
    wakers: RefCell<Vec<(Function, JsValue)>>,
}

/// A cancellation flag that also wakes pending sleeps. Clones share the flag.
#[derive(Clone)]
pub struct CancelToken {
    inner: Rc<CancelInner>,
}

impl core::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    /// A fresh, uncancelled token.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Rc::new(CancelInner {
                cancelled: Cell::new(false),
                wakers: RefCell::new(Vec::new()),
            }),
        }
    }

    /// Cancels, waking every pending sleep and clearing its timer (nothing stays scheduled).
    pub fn cancel(&self) {
        self.inner.cancelled.set(true);
        let wakers = std::mem::take(&mut *self.inner.wakers.borrow_mut());
        let global = js_sys::global();
        let clear = Reflect::get(&global, &"clearTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        for (resolve, timer) in wakers {
            if let Some(clear) = &clear {
                let _ = clear.call1(&global, &timer);
            }
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    /// Whether [`CancelToken::cancel`] was called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.get()
    }

    /// Cancels when this `AbortSignal` aborts (at once if it already has).
    pub fn link_abort_signal(&self, signal: &JsValue) {
        if !signal.is_object() {
            return;
        }
        if Reflect::get(signal, &"aborted".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
        {
            self.cancel();
            return;
        }
        let token = self.clone();
        let listener = Closure::once_into_js(move || token.cancel());
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"once".into(), &JsValue::TRUE);
        if let Some(add) = Reflect::get(signal, &"addEventListener".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = add.call3(signal, &"abort".into(), &listener, &options);
        }
    }

    fn register(&self, waker: (Function, JsValue)) {
        let mut wakers = self.inner.wakers.borrow_mut();
        // Wakers of sleeps that already ended are harmless to call; keep the list bounded.
        if wakers.len() >= 16 {
            wakers.remove(0);
        }
        wakers.push(waker);
    }
}

/// Sleeps `ms` milliseconds (via `setTimeout` on the current global), waking early when `cancel` fires.
pub async fn sleep_ms(ms: f64, cancel: Option<&CancelToken>) {
    if cancel.is_some_and(CancelToken::is_cancelled) {
        return;
    }
    let cancel = cancel.cloned();
    let mut executor = |resolve: Function, _reject: Function| {
        let global = js_sys::global();
        if let Some(set_timeout) = Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
        {
            let timer = set_timeout
                .call2(&global, &resolve, &JsValue::from_f64(ms.max(0.0)))
                .unwrap_or(JsValue::UNDEFINED);
            if let Some(c) = &cancel {
                c.register((resolve, timer));
            }
        } else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    };
    let _ = JsFuture::from(Promise::new(&mut executor)).await;
}

type Listener = Rc<dyn Fn(&Activity)>;

struct HandleState {
    activity: RefCell<Activity>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_id: Cell<u32>,
    cancel: CancelToken,
    poll: Cell<PollOptions>,
    request: Option<ActivityRequest>,
}

/// A submitted activity, followed until it completes, fails or is rejected.
///
/// States: submitted (`CREATED`/`PENDING`) → `CONSENSUS_NEEDED` (pending platform approval, votes
/// so far in [`Activity::votes`]) → `COMPLETED` (typed result via [`ActivityHandle::result`]),
/// `REJECTED` ([`ClientError::Rejected`]) or `FAILED` ([`ClientError::Failed`] with the server's reason).
pub struct ActivityHandle<T, S> {
    client: Client<T, S>,
    state: Rc<HandleState>,
}

impl<T, S> Clone for ActivityHandle<T, S> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            state: Rc::clone(&self.state),
        }
    }
}

impl<T, S> core::fmt::Debug for ActivityHandle<T, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let a = self.state.activity.borrow();
        f.debug_struct("ActivityHandle")
            .field("id", &a.id)
            .field("status", &a.status)
            .finish_non_exhaustive()
    }
}

fn changed(old: &Activity, new: &Activity) -> bool {
    old.status != new.status || old.votes != new.votes || old.updated_at != new.updated_at
}

impl<T: Transport + 'static, S: ClientStamper + 'static> ActivityHandle<T, S> {
    pub(crate) fn new(
        client: Client<T, S>,
        activity: Activity,
        request: Option<ActivityRequest>,
    ) -> Self {
        let poll = client.poll_options();
        Self {
            client,
            state: Rc::new(HandleState {
                activity: RefCell::new(activity),
                listeners: RefCell::new(Vec::new()),
                next_id: Cell::new(1),
                cancel: CancelToken::new(),
                poll: Cell::new(poll),
                request,
            }),
        }
    }

    /// The activity as last seen.
    #[must_use]
    pub fn activity(&self) -> Activity {
        self.state.activity.borrow().clone()
    }

    /// Its status as last seen.
    #[must_use]
    pub fn status(&self) -> ActivityStatus {
        self.state.activity.borrow().status.clone()
    }

    /// Its id.
    #[must_use]
    pub fn id(&self) -> String {
        self.state.activity.borrow().id.clone()
    }

    /// Its fingerprint (what the platform approves or rejects).
    #[must_use]
    pub fn fingerprint(&self) -> String {
        self.state.activity.borrow().fingerprint.clone()
    }

    /// The exact request that was submitted (re-submit it to retry idempotently).
    #[must_use]
    pub fn request(&self) -> Option<&ActivityRequest> {
        self.state.request.as_ref()
    }

    /// Whether the activity waits for another root user's vote ("pending platform approval").
    #[must_use]
    pub fn is_pending_approval(&self) -> bool {
        self.status() == ActivityStatus::ConsensusNeeded
    }

    /// The client's default polling options.
    #[must_use]
    pub fn client_poll_options(&self) -> PollOptions {
        self.client.poll_options()
    }

    /// Overrides the polling options for this handle.
    pub fn set_poll_options(&self, poll: PollOptions) {
        self.state.poll.set(poll);
    }

    /// The cancellation token (link an `AbortSignal` to it, or cancel it).
    #[must_use]
    pub fn cancel_token(&self) -> CancelToken {
        self.state.cancel.clone()
    }

    /// Stops waiting (the activity on the server is unaffected).
    pub fn cancel(&self) {
        self.state.cancel.cancel();
    }

    /// Calls `listener` now with the current activity and again on every change; returns an id
    /// for [`ActivityHandle::unsubscribe`].
    pub fn subscribe(&self, listener: impl Fn(&Activity) + 'static) -> u32 {
        let id = self.state.next_id.get();
        self.state.next_id.set(id.wrapping_add(1));
        let listener: Listener = Rc::new(listener);
        let current = self.activity();
        self.state
            .listeners
            .borrow_mut()
            .push((id, Rc::clone(&listener)));
        listener(&current);
        id
    }

    /// Removes a listener.
    pub fn unsubscribe(&self, id: u32) {
        self.state.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    fn update(&self, activity: Activity) {
        let is_change = changed(&self.state.activity.borrow(), &activity);
        *self.state.activity.borrow_mut() = activity;
        if is_change {
            let current = self.activity();
            let listeners: Vec<Listener> = self
                .state
                .listeners
                .borrow()
                .iter()
                .map(|(_, l)| Rc::clone(l))
                .collect();
            for l in listeners {
                l(&current);
            }
        }
    }

    /// Fetches the activity once and reports a change.
    ///
    /// # Errors
    /// As [`Client::get_activity`].
    pub async fn refresh(&self) -> Result<Activity, ClientError> {
        let a = self.client.get_activity(&self.id()).await?;
        self.update(a);
        Ok(self.activity())
    }

    /// Polls until the activity is terminal.
    ///
    /// # Errors
    /// [`ClientError::Rejected`], [`ClientError::Failed`] (with the server's reason),
    /// [`ClientError::Timeout`] past the deadline, [`ClientError::Cancelled`], or a request error
    /// that retrying did not cure.
    pub async fn wait(&self) -> Result<Activity, ClientError> {
        let poll = self.state.poll.get();
        let cancel = self.state.cancel.clone();
        let start = now_ms();
        let mut interval = poll.initial_interval_ms.max(0.0);
        loop {
            let current = self.activity();
            match current.status {
                ActivityStatus::Completed => return Ok(current),
                ActivityStatus::Rejected => {
                    return Err(ClientError::Rejected {
                        activity: Box::new(current),
                    });
                }
                ActivityStatus::Failed => {
                    let message = current
                        .failure
                        .as_ref()
                        .map(|f| f.message.clone())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "the server gave no reason".to_owned());
                    return Err(ClientError::Failed {
                        message,
                        activity: Box::new(current),
                    });
                }
                _ => {}
            }
            if cancel.is_cancelled() {
                return Err(ClientError::Cancelled);
            }
            let remaining = poll.deadline_ms - (now_ms() - start);
            if remaining <= 0.0 {
                return Err(ClientError::Timeout {
                    activity: Some(Box::new(current)),
                });
            }
            sleep_ms(interval.min(remaining), Some(&cancel)).await;
            if cancel.is_cancelled() {
                return Err(ClientError::Cancelled);
            }
            match self.client.get_activity(&current.id).await {
                Ok(a) => self.update(a),
                // Reads were already retried; a persistent network error keeps polling until the deadline.
                Err(ClientError::Network(_)) => {}
                Err(ClientError::Http { status, .. }) if status >= 500 => {}
                Err(e) => return Err(e),
            }
            interval = (interval * poll.backoff.max(1.0)).min(poll.max_interval_ms);
        }
    }

    /// Waits, then returns the typed result of intent `I`.
    ///
    /// # Errors
    /// As [`ActivityHandle::wait`], and [`ClientError::Activity`] if the result has another shape.
    pub async fn result<I: Intent>(&self) -> Result<I::Output, ClientError> {
        let a = self.wait().await?;
        a.result_of::<I>().map_err(ClientError::Activity)
    }
}
