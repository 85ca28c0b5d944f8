//! The client's state handling against a scripted fake transport.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use quorum_kit::activity::intents::{SignRawPayload, SignTransaction};
use quorum_kit::activity::{ActivityStatus, fingerprint};
use quorum_kit::client::{
    ActiveSession, Client, ClientError, ClientStamper, HttpResponse, JsStamper, LocalBoxFuture,
    PollOptions, StamperError, Transport, TransportError,
};
use quorum_kit::passkey::PasskeyError;
use quorum_kit::stamp::Stamp;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::util::{js_eval, js_fn};

#[derive(Debug, Clone)]
struct Sent {
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Clone, Default)]
struct FakeTransport {
    script: Rc<RefCell<VecDeque<Result<HttpResponse, TransportError>>>>,
    sent: Rc<RefCell<Vec<Sent>>>,
}

impl FakeTransport {
    fn push_ok(&self, body: String) {
        self.script
            .borrow_mut()
            .push_back(Ok(HttpResponse { status: 200, body }));
    }
    fn push_status(&self, status: u16, body: &str) {
        self.script.borrow_mut().push_back(Ok(HttpResponse {
            status,
            body: body.to_owned(),
        }));
    }
    fn push_network_error(&self) {
        self.script
            .borrow_mut()
            .push_back(Err(TransportError::Network("connection reset".into())));
    }
    fn sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }
}

impl Transport for FakeTransport {
    fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push(Sent {
            url: url.to_owned(),
            headers: headers.to_vec(),
            body: body.to_owned(),
        });
        let next = self
            .script
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::Network("script exhausted".into())));
        Box::pin(std::future::ready(next))
    }
}

#[derive(Clone)]
struct CountingStamper {
    label: &'static str,
    calls: Rc<Cell<u32>>,
}

impl CountingStamper {
    fn new(label: &'static str) -> Self {
        Self {
            label,
            calls: Rc::new(Cell::new(0)),
        }
    }
}

impl ClientStamper for CountingStamper {
    fn start_stamp(&self, body: &str) -> LocalBoxFuture<Result<Stamp, StamperError>> {
        self.calls.set(self.calls.get() + 1);
        let stamp = Stamp {
            header_name: "X-Stamp".into(),
            header_value: format!("{}:{}:{}", self.label, self.calls.get(), body.len()),
        };
        Box::pin(std::future::ready(Ok(stamp)))
    }
}

fn activity(status: &str, votes: &[&str], extra: &str) -> String {
    let votes: Vec<String> = votes
        .iter()
        .map(|u| {
            format!(r#"{{"id":"v-{u}","userId":"{u}","selection":"VOTE_SELECTION_APPROVED"}}"#)
        })
        .collect();
    format!(
        r#"{{"activity":{{"id":"act-1","organizationId":"org","status":"ACTIVITY_STATUS_{status}","type":"ACTIVITY_TYPE_SIGN_TRANSACTION_V2","intent":{{}},"result":{{}},"votes":[{}],"fingerprint":"sha256:ff","canApprove":false,"canReject":false,"createdAt":{{"seconds":"1","nanos":"0"}},"updatedAt":{{"seconds":"{}","nanos":"0"}}{extra}}}}}"#,
        votes.join(","),
        votes.len()
    )
}

fn completed() -> String {
    activity("COMPLETED", &["user", "platform"], "").replace(
        r#""result":{}"#,
        r#""result":{"signTransactionResult":{"signedTransaction":"0xsigned"}}"#,
    )
}

fn fast() -> PollOptions {
    PollOptions {
        initial_interval_ms: 1.0,
        max_interval_ms: 4.0,
        backoff: 2.0,
        deadline_ms: 5_000.0,
    }
}

fn client(t: &FakeTransport, s: &CountingStamper) -> Client<FakeTransport, CountingStamper> {
    let c = Client::new("http://sandbox.test/", "org", t.clone(), s.clone());
    c.set_poll_options(fast());
    c
}

fn tx() -> SignTransaction {
    SignTransaction {
        sign_with: "0xabc".into(),
        unsigned_transaction: "02ea".into(),
        transaction_type: "TRANSACTION_TYPE_ETHEREUM".into(),
    }
}

#[wasm_bindgen_test]
async fn consensus_needed_then_completed_with_a_typed_result() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("passkey");
    t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    t.push_ok(completed());
    let c = client(&t, &s);
    let handle = c.sign_transaction(&tx()).await.unwrap();
    assert_eq!(handle.status(), ActivityStatus::ConsensusNeeded);
    assert!(handle.is_pending_approval());
    let seen = Rc::new(RefCell::new(Vec::new()));
    let seen2 = Rc::clone(&seen);
    handle.subscribe(move |a| seen2.borrow_mut().push((a.status.clone(), a.votes.len())));
    let result = handle.result::<SignTransaction>().await.unwrap();
    assert_eq!(result.signed_transaction, "0xsigned");
    // Called at once with the current state, then only on changes (the repeated CONSENSUS_NEEDED is not one).
    assert_eq!(
        *seen.borrow(),
        vec![
            (ActivityStatus::ConsensusNeeded, 1),
            (ActivityStatus::Completed, 2)
        ]
    );

    let sent = t.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0].url,
        "http://sandbox.test/public/v1/submit/sign_transaction"
    );
    assert_eq!(
        sent[1].url,
        "http://sandbox.test/public/v1/query/get_activity"
    );
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["type"], "ACTIVITY_TYPE_SIGN_TRANSACTION_V2");
    assert!(body["timestampMs"].is_string());
    assert_eq!(body["organizationId"], "org");
    assert_eq!(body["parameters"]["signWith"], "0xabc");
    assert_eq!(
        handle.request().unwrap().fingerprint,
        fingerprint(&sent[0].body)
    );
    let header = |s: &Sent, k: &str| {
        s.headers
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header(&sent[0], "Content-Type").as_deref(),
        Some("application/json")
    );
    assert!(
        header(&sent[0], "X-Client-Version")
            .unwrap()
            .starts_with("quorum-kit@")
    );
    assert!(
        header(&sent[0], "X-Stamp")
            .unwrap()
            .starts_with("passkey:1:")
    );
    let get_body: serde_json::Value = serde_json::from_str(&sent[1].body).unwrap();
    assert_eq!(get_body["activityId"], "act-1");
}

#[wasm_bindgen_test]
async fn platform_rejection_and_failure_are_errors_with_the_activity() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("k");
    t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    t.push_ok(activity("REJECTED", &["user"], ""));
    let err = client(&t, &s)
        .sign_transaction(&tx())
        .await
        .unwrap()
        .wait()
        .await
        .unwrap_err();
    assert_eq!(err.js_name(), "ActivityRejectedError");
    assert_eq!(err.activity().unwrap().status, ActivityStatus::Rejected);

    let t = FakeTransport::default();
    t.push_ok(activity(
        "FAILED",
        &[],
        r#","failure":{"code":9,"message":"insufficient funds"}"#,
    ));
    let err = client(&t, &s)
        .sign_transaction(&tx())
        .await
        .unwrap()
        .wait()
        .await
        .unwrap_err();
    match &err {
        ClientError::Failed { message, .. } => assert_eq!(message, "insufficient funds"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.js_name(), "ActivityFailedError");
}

#[wasm_bindgen_test]
async fn a_lost_submission_is_resent_identically_never_restamped() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("passkey");
    t.push_network_error();
    t.push_network_error();
    t.push_ok(completed());
    let handle = client(&t, &s).sign_transaction(&tx()).await.unwrap();
    assert_eq!(handle.status(), ActivityStatus::Completed);
    let sent = t.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(s.calls.get(), 1, "one passkey prompt for the submission");
    assert!(
        sent.iter()
            .all(|x| x.body == sent[0].body && x.headers == sent[0].headers)
    );

    // Three failures give up with the network error (the request can be re-submitted as is).
    let t = FakeTransport::default();
    for _ in 0..3 {
        t.push_network_error();
    }
    let err = client(&t, &s).sign_transaction(&tx()).await.unwrap_err();
    assert_eq!(err.js_name(), "NetworkError");
}

#[wasm_bindgen_test]
async fn reads_are_retried_on_network_errors_and_5xx() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("k");
    t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    t.push_network_error();
    t.push_status(503, "unavailable");
    t.push_ok(completed());
    let a = client(&t, &s)
        .sign_transaction(&tx())
        .await
        .unwrap()
        .wait()
        .await
        .unwrap();
    assert_eq!(a.status, ActivityStatus::Completed);
    assert_eq!(t.sent().len(), 4);
}

#[wasm_bindgen_test]
async fn http_errors_carry_status_and_turnkeys_message() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("k");
    t.push_status(
        401,
        r#"{"code":16,"message":"could not verify stamp","details":[]}"#,
    );
    let err = client(&t, &s).sign_transaction(&tx()).await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Http {
            status: 401,
            message: "could not verify stamp".into(),
            code: Some(16),
            path: "/public/v1/submit/sign_transaction".into(),
        }
    );
    assert_eq!(err.js_name(), "TurnkeyRequestError");
    t.push_status(404, "not found");
    let err = client(&t, &s).get_activity("nope").await.unwrap_err();
    assert!(
        matches!(err, ClientError::Http { status: 404, ref message, .. } if message == "not found")
    );
}

#[wasm_bindgen_test]
async fn deadline_and_cancel() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("k");
    for _ in 0..200 {
        t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    }
    let c = client(&t, &s);
    let handle = c
        .sign_raw_payload(&SignRawPayload {
            sign_with: "0xabc".into(),
            payload: "00".into(),
            encoding: "PAYLOAD_ENCODING_HEXADECIMAL".into(),
            hash_function: "HASH_FUNCTION_KECCAK256".into(),
        })
        .await
        .unwrap();
    handle.set_poll_options(PollOptions {
        deadline_ms: 30.0,
        ..fast()
    });
    let err = handle.wait().await.unwrap_err();
    assert_eq!(err.js_name(), "TimeoutError");
    assert_eq!(
        err.activity().unwrap().status,
        ActivityStatus::ConsensusNeeded
    );

    // Cancelling wakes a long sleep at once.
    handle.set_poll_options(PollOptions {
        initial_interval_ms: 60_000.0,
        ..fast()
    });
    let h2 = handle.clone();
    let start = js_sys::Date::now();
    let cancel = js_fn("f", "setTimeout(f, 20);");
    let closure = wasm_bindgen::closure::Closure::once_into_js(move || h2.cancel());
    cancel.call1(&JsValue::UNDEFINED, &closure).unwrap();
    let err = handle.wait().await.unwrap_err();
    assert_eq!(err, ClientError::Cancelled);
    assert!(js_sys::Date::now() - start < 5_000.0);

    // An already-aborted AbortSignal cancels too.
    let t = FakeTransport::default();
    t.push_ok(activity("CONSENSUS_NEEDED", &["user"], ""));
    let h = client(&t, &s).sign_transaction(&tx()).await.unwrap();
    h.cancel_token()
        .link_abort_signal(&js_eval("AbortSignal.abort()"));
    assert_eq!(h.wait().await.unwrap_err(), ClientError::Cancelled);
}

#[wasm_bindgen_test]
async fn a_session_stamps_until_it_expires_then_the_passkey_again() {
    let t = FakeTransport::default();
    let passkey = CountingStamper::new("passkey");
    let session = CountingStamper::new("session");
    let c = client(&t, &passkey);
    c.set_session(Some(ActiveSession {
        stamper: Rc::new(session.clone()),
        expires_at_ms: js_sys::Date::now() + 60_000.0,
        public_key: "02ab".into(),
    }));
    for _ in 0..5 {
        t.push_ok(completed());
        c.sign_transaction(&tx()).await.unwrap();
    }
    assert_eq!((passkey.calls.get(), session.calls.get()), (0, 5));
    c.set_session(Some(ActiveSession {
        stamper: Rc::new(session.clone()),
        expires_at_ms: js_sys::Date::now() - 1.0,
        public_key: "02ab".into(),
    }));
    t.push_ok(completed());
    c.sign_transaction(&tx()).await.unwrap();
    assert_eq!((passkey.calls.get(), session.calls.get()), (1, 5));
    assert!(c.session().is_none(), "the lapsed session is dropped");
}

#[wasm_bindgen_test]
async fn js_stampers_with_turnkeys_shape() {
    let ok = js_eval(
        "({ stamp: async (p) => ({ stampHeaderName: 'X-Stamp', stampHeaderValue: 'v' + p.length }) })",
    );
    let stamp = JsStamper::new(ok)
        .unwrap()
        .start_stamp("abcd")
        .await
        .unwrap();
    assert_eq!(stamp.header_value, "v4");

    // A thenable or a plain value is accepted too.
    let thenable = JsStamper::new(js_eval(
        "({ stamp: () => ({ then(r) { r({ stampHeaderName: 'X-Stamp', stampHeaderValue: 't' }); } }) })",
    ))
    .unwrap();
    assert_eq!(thenable.start_stamp("x").await.unwrap().header_value, "t");
    let plain = JsStamper::new(js_eval(
        "({ stamp: () => ({ stampHeaderName: 'X-Stamp', stampHeaderValue: 'p' }) })",
    ))
    .unwrap();
    assert_eq!(plain.start_stamp("x").await.unwrap().header_value, "p");

    assert!(JsStamper::new(js_eval("({})")).is_err());
    let bad = JsStamper::new(js_eval("({ stamp: async () => ({ nope: 1 }) })")).unwrap();
    assert!(matches!(
        bad.start_stamp("x").await,
        Err(StamperError::Js { ref name, .. }) if name == "TypeError"
    ));
    // @turnkey/webauthn-stamper lets the DOMException through: it becomes a typed passkey error.
    let cancelled = JsStamper::new(js_eval(
        "({ stamp: async () => { throw new DOMException('timed out or not allowed', 'NotAllowedError'); } })",
    ))
    .unwrap();
    match cancelled.start_stamp("x").await {
        Err(StamperError::Passkey(PasskeyError::NotAllowedError { .. })) => {}
        other => panic!("{other:?}"),
    }
    // Any other JS error is kept as thrown.
    let custom = JsStamper::new(js_eval(
        "({ stamp: () => { const e = new Error('nope'); e.name = 'MyError'; throw e; } })",
    ))
    .unwrap();
    match custom.start_stamp("x").await {
        Err(StamperError::Js { name, value, .. }) => {
            assert_eq!(name, "MyError");
            assert!(value.is_object());
        }
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn every_request_starts_its_stamper_before_returning() {
    let t = FakeTransport::default();
    let s = CountingStamper::new("passkey");
    let c = client(&t, &s);
    t.push_ok(
        r#"{"organizationId":"org","organizationName":"n","userId":"u","username":"alice"}"#.into(),
    );
    let who = c.whoami();
    assert_eq!(s.calls.get(), 1, "whoami stamped before any await");
    assert_eq!(who.await.unwrap().username, "alice");
    t.push_ok(completed());
    let get = c.get_activity("act-1");
    assert_eq!(s.calls.get(), 2);
    assert_eq!(get.await.unwrap().status, ActivityStatus::Completed);
    t.push_ok(completed());
    let sub = c.sign_transaction(&tx());
    assert_eq!(s.calls.get(), 3);
    sub.await.unwrap();
}
