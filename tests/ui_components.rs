//! The UI components in headless Chromium (wasm-bindgen-test), mounted as Leptos components
//! (no custom elements) over a fake wallet whose client talks to a scripted fake Turnkey: every
//! state renders, transitions follow events, strings come from the table, locale switches and key
//! overrides show, unmounting stops every timer and the export secret is wiped.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use quorum_kit::activity::intents::Attestation;
use quorum_kit::bundle::enclave::seal_export_bundle_with_rng;
use quorum_kit::client::DynClient;
use quorum_kit::client::{
    Client, ClientStamper, CoreStamper, HttpResponse, LocalBoxFuture, PollOptions, Transport,
    TransportError, sleep_ms,
};
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use quorum_kit::passkey::{PasskeyError, Registration};
use quorum_kit::stamp::ApiKeyStamper;
use quorum_kit::ui::approve_transaction::resume_key;
use quorum_kit::ui::strings::{LOCALES, TABLE, is_rtl};
use quorum_kit::ui::{
    ApproveTransaction, ExportWallet, SignUp, SignedUp, Theme, UiError, Wallet, set_locale,
    set_strings,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const ORG: &str = "org-1";
const SIGNER_ADDR: &str = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
/// EIP-1559, chain 1, nonce 7, to 0x3535…35, 0.01 ETH, 21000 gas, 30 gwei max fee.
const TX: &str = "02ef0107843b9aca008506fc23ac00825208943535353535353535353535353535353535353535872386f26fc1000080c0";

// ---- a scripted fake Turnkey ------------------------------------------------------------------

#[derive(Default)]
struct Server {
    /// Statuses `get_activity` returns in turn (the last one repeats).
    statuses: RefCell<VecDeque<(&'static str, Vec<&'static str>)>>,
    /// Paths of every request.
    paths: RefCell<Vec<String>>,
    /// The submission's own status.
    submit_status: Cell<&'static str>,
    /// Sealed export bundles use this signer.
    enclave: RefCell<Option<P256KeyPair>>,
    /// What an export bundle carries (wiped after sealing).
    phrase_parts: RefCell<Vec<&'static str>>,
    network_errors: Cell<u32>,
}

#[derive(Clone, Default)]
struct Fake(Rc<Server>);

fn activity_json(kind: &str, status: &str, votes: &[&str], result: &str) -> String {
    let votes: Vec<String> = votes
        .iter()
        .map(|u| {
            let sel = if u.starts_with('!') {
                "REJECTED"
            } else {
                "APPROVED"
            };
            format!(
                r#"{{"id":"v-{u}","userId":"{}","selection":"VOTE_SELECTION_{sel}"}}"#,
                u.trim_start_matches('!')
            )
        })
        .collect();
    format!(
        r#"{{"activity":{{"id":"act-1","organizationId":"{ORG}","status":"ACTIVITY_STATUS_{status}","type":"{kind}","intent":{{}},"result":{result},"votes":[{}],"fingerprint":"sha256:ab","canApprove":false,"canReject":false,"createdAt":{{"seconds":"1","nanos":"0"}},"updatedAt":{{"seconds":"{}","nanos":"0"}}{}}}}}"#,
        votes.join(","),
        votes.len(),
        if status == "FAILED" {
            r#","failure":{"code":9,"message":"policy engine said no"}"#
        } else {
            ""
        }
    )
}

fn sign_result(status: &str) -> String {
    if status == "COMPLETED" {
        r#"{"signTransactionResult":{"signedTransaction":"02f8aa0107signed"}}"#.to_owned()
    } else {
        "{}".to_owned()
    }
}

impl Transport for Fake {
    fn post(
        &self,
        url: &str,
        _headers: &[(String, String)],
        body: &str,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        let path = url.trim_start_matches("http://fake").to_owned();
        self.0.paths.borrow_mut().push(path.clone());
        if self.0.network_errors.get() > 0 && path.ends_with("get_activity") {
            self.0.network_errors.set(self.0.network_errors.get() - 1);
            return Box::pin(std::future::ready(Err(TransportError::Network(
                "reset".into(),
            ))));
        }
        let ok = |b: String| {
            Box::pin(std::future::ready(Ok(HttpResponse {
                status: 200,
                body: b,
            })))
        };
        if path.ends_with("/submit/export_wallet") {
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            let target = v["parameters"]["targetPublicKey"].as_str().unwrap();
            let target = UncompressedP256::from_hex(target).unwrap();
            let mut plain =
                zeroize::Zeroizing::new(self.0.phrase_parts.borrow().join(" ").into_bytes());
            let bundle = seal_export_bundle_with_rng(
                &plain,
                &target,
                ORG,
                self.0.enclave.borrow().as_ref().unwrap(),
                &mut ChaCha20Rng::seed_from_u64(3),
            )
            .unwrap();
            zeroize::Zeroize::zeroize(&mut *plain);
            let result = format!(
                r#"{{"exportWalletResult":{{"walletId":"w-1","exportBundle":{}}}}}"#,
                serde_json::to_string(&bundle).unwrap()
            );
            return ok(activity_json(
                "ACTIVITY_TYPE_EXPORT_WALLET",
                "COMPLETED",
                &["user"],
                &result,
            ));
        }
        if path.ends_with("/submit/sign_transaction") {
            let status = self.0.submit_status.get();
            return ok(activity_json(
                "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
                status,
                &["user"],
                &sign_result(status),
            ));
        }
        if path.ends_with("/query/get_activity") {
            let mut q = self.0.statuses.borrow_mut();
            let (status, votes) = if q.len() > 1 {
                q.pop_front().unwrap()
            } else {
                q.front().cloned().unwrap()
            };
            return ok(activity_json(
                "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
                status,
                &votes,
                &sign_result(status),
            ));
        }
        Box::pin(std::future::ready(Ok(HttpResponse {
            status: 404,
            body: "{}".into(),
        })))
    }
}

impl Fake {
    fn count(&self, suffix: &str) -> usize {
        self.0
            .paths
            .borrow()
            .iter()
            .filter(|p| p.ends_with(suffix))
            .count()
    }
    fn script(&self, submit: &'static str, polls: &[(&'static str, &[&'static str])]) {
        self.0.submit_status.set(submit);
        *self.0.statuses.borrow_mut() = polls.iter().map(|(s, v)| (*s, v.to_vec())).collect();
    }
}

// ---- a fake wallet ----------------------------------------------------------------------------

struct FakeWallet {
    supported: bool,
    register: RefCell<VecDeque<Result<Registration, PasskeyError>>>,
    signup: RefCell<VecDeque<Result<SignedUp, UiError>>>,
    register_calls: Cell<u32>,
    server: Fake,
    reason: Option<String>,
}

fn registration() -> Registration {
    Registration {
        authenticator_name: "Passkey".into(),
        challenge: "Y2hhbGxlbmdl".into(),
        attestation: Attestation {
            credential_id: "aWQ".into(),
            client_data_json: "e30".into(),
            attestation_object: "o2M".into(),
            transports: vec![],
        },
    }
}

fn signed_up() -> SignedUp {
    SignedUp {
        sub_organization_id: ORG.into(),
        user_id: "u-1".into(),
        wallet_id: "w-1".into(),
        addresses: vec![SIGNER_ADDR.into()],
    }
}

impl FakeWallet {
    fn new() -> Self {
        Self {
            supported: true,
            register: RefCell::new(VecDeque::new()),
            signup: RefCell::new(VecDeque::new()),
            register_calls: Cell::new(0),
            server: Fake::default(),
            reason: None,
        }
    }
}

impl Wallet for FakeWallet {
    fn passkey_supported(&self) -> bool {
        self.supported
    }
    fn register_passkey(&self, _user: &str) -> LocalBoxFuture<Result<Registration, PasskeyError>> {
        self.register_calls.set(self.register_calls.get() + 1);
        let next = self
            .register
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Ok(registration()));
        Box::pin(async move {
            sleep_ms(40.0, None).await;
            next
        })
    }
    fn create_sub_organization(
        &self,
        _user: &str,
        _r: &Registration,
    ) -> LocalBoxFuture<Result<SignedUp, UiError>> {
        let next = self
            .signup
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Ok(signed_up()));
        Box::pin(async move {
            sleep_ms(40.0, None).await;
            next
        })
    }
    fn client(&self) -> Result<DynClient, UiError> {
        let stamper = CoreStamper(Rc::new(ApiKeyStamper::new(P256KeyPair::generate())));
        let c = Client::new(
            "http://fake",
            ORG,
            Rc::new(self.server.clone()) as Rc<dyn Transport>,
            Rc::new(stamper) as Rc<dyn ClientStamper>,
        );
        c.set_poll_options(PollOptions {
            initial_interval_ms: 20.0,
            max_interval_ms: 40.0,
            backoff: 1.5,
            deadline_ms: 60_000.0,
        });
        Ok(c)
    }
    fn reason_for(&self, _id: &str) -> LocalBoxFuture<Option<String>> {
        Box::pin(std::future::ready(self.reason.clone()))
    }
}

// ---- helpers ------------------------------------------------------------------------------------

struct Mounted {
    div: HtmlElement,
    handle: Option<Box<dyn std::any::Any>>,
}

impl Mounted {
    fn text(&self) -> String {
        self.div.text_content().unwrap_or_default()
    }
    fn html(&self) -> String {
        self.div.inner_html()
    }
    fn q(&self, sel: &str) -> Option<HtmlElement> {
        self.div
            .query_selector(sel)
            .unwrap()
            .map(|e| e.unchecked_into())
    }
    fn click(&self, sel: &str) {
        self.q(sel)
            .unwrap_or_else(|| panic!("no {sel} in {}", self.html()))
            .click();
    }
    fn unmount(&mut self) {
        self.handle.take();
        self.div.remove();
    }
}

fn mount<F, V>(f: F) -> Mounted
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let doc = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), f);
    Mounted {
        div,
        handle: Some(Box::new(handle)),
    }
}

async fn tick(ms: f64) {
    sleep_ms(ms, None).await;
}

/// Waits until `f` holds (up to 3 s).
async fn until(what: &str, m: &Mounted, f: impl Fn(&Mounted) -> bool) {
    for _ in 0..300 {
        if f(m) {
            return;
        }
        tick(10.0).await;
    }
    panic!("timed out waiting for {what}; page: {}", m.html());
}

fn state_log() -> (Rc<RefCell<Vec<String>>>, Callback<String>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = send_wrapper::SendWrapper::new(log.clone());
    (log, Callback::new(move |s: String| l.borrow_mut().push(s)))
}

fn set_input(m: &Mounted, sel: &str, value: &str) {
    let input: web_sys::HtmlInputElement = m.q(sel).unwrap().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn submit_form(m: &Mounted) {
    let form: web_sys::HtmlFormElement = m.q("form").unwrap().unchecked_into();
    form.request_submit().unwrap();
}

// ---- strings ------------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn every_key_is_translated_with_the_same_placeholders() {
    let mut seen = std::collections::HashSet::new();
    for (key, row) in TABLE {
        assert!(seen.insert(*key), "duplicate key {key}");
        for (i, s) in row.iter().enumerate() {
            assert!(!s.trim().is_empty(), "{key} is empty in {}", LOCALES[i]);
            let holes = |t: &str| -> Vec<String> {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .map(|p| p.split('}').next().unwrap().to_owned())
                    .collect();
                v.sort_unstable();
                v
            };
            assert_eq!(
                holes(s),
                holes(row[0]),
                "{key} placeholders differ in {}",
                LOCALES[i]
            );
        }
    }
    assert!(is_rtl("ar-EG") && !is_rtl("de-CH"));
}

#[wasm_bindgen_test]
async fn locale_switch_and_key_override_show_in_a_mounted_component() {
    let w = Rc::new(FakeWallet::new());
    let m = mount(move || view! { <SignUp wallet=w /> });
    assert!(m.text().contains("Create your wallet"), "{}", m.text());
    set_locale("es");
    tick(5.0).await;
    assert!(m.text().contains("Crea tu billetera"), "{}", m.text());
    set_locale("ar");
    tick(5.0).await;
    assert!(m.text().contains("أنشئ محفظتك"));
    assert_eq!(
        m.q(".qk-root").unwrap().get_attribute("dir").as_deref(),
        Some("rtl")
    );
    set_strings("ar", [("signup.title".to_owned(), "افتح حسابك".to_owned())]);
    tick(5.0).await;
    assert!(m.text().contains("افتح حسابك"));
    set_locale("en");
    set_strings(
        "en",
        [("signup.submit".to_owned(), "Open my account".to_owned())],
    );
    tick(5.0).await;
    assert!(m.text().contains("Open my account"));
    assert_eq!(
        m.q(".qk-root").unwrap().get_attribute("dir").as_deref(),
        Some("ltr")
    );
    set_strings(
        "en",
        [(
            "signup.submit".to_owned(),
            TABLE.iter().find(|(k, _)| *k == "signup.submit").unwrap().1[0].to_owned(),
        )],
    );
}

#[wasm_bindgen_test]
async fn own_locale_beats_the_global_one_and_theme_sets_the_class() {
    let w = Rc::new(FakeWallet::new());
    let lang = RwSignal::new(Some("de".to_owned()));
    let theme = RwSignal::new(Theme::Dark);
    let m = mount(move || view! { <SignUp wallet=w locale=lang theme=theme /> });
    assert!(m.text().contains("Wallet erstellen"));
    assert!(m.q(".qk-root.qk-theme-dark").is_some());
    theme.set(Theme::Light);
    lang.set(None);
    tick(5.0).await;
    assert!(m.q(".qk-root.qk-theme-light").is_some());
    assert!(m.text().contains("Create your wallet"));
}

// ---- sign-up ------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn sign_up_walks_idle_awaiting_creating_done() {
    let w = Rc::new(FakeWallet::new());
    let (log, on_state) = state_log();
    let done = Rc::new(RefCell::new(None));
    let d = send_wrapper::SendWrapper::new(done.clone());
    let on_signed_up = Callback::new(move |s: SignedUp| *d.borrow_mut() = Some(s));
    let wallet = w.clone();
    let m = mount(
        move || view! { <SignUp wallet=wallet on_state=on_state on_signed_up=on_signed_up /> },
    );
    // An empty name is refused before any passkey prompt.
    submit_form(&m);
    tick(5.0).await;
    assert_eq!(w.register_calls.get(), 0);
    assert!(m.text().contains("Enter your name."));
    assert_eq!(
        m.q("input")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    set_input(&m, "input", "alice");
    submit_form(&m);
    assert_eq!(
        w.register_calls.get(),
        1,
        "the ceremony starts synchronously"
    );
    tick(10.0).await;
    assert!(
        m.text().contains("Confirm with your passkey"),
        "{}",
        m.text()
    );
    until("creating", &m, |m| {
        m.text().contains("Creating your wallet")
    })
    .await;
    until("done", &m, |m| m.text().contains("Your wallet is ready")).await;
    assert!(m.text().contains(SIGNER_ADDR));
    assert_eq!(done.borrow().as_ref().unwrap().wallet_id, "w-1");
    assert_eq!(
        *log.borrow(),
        ["idle", "awaiting-passkey", "creating-wallet", "done"]
    );
}

#[wasm_bindgen_test]
async fn sign_up_cancelled_passkey_returns_to_idle_and_platform_failure_offers_retry() {
    let w = Rc::new(FakeWallet::new());
    w.register
        .borrow_mut()
        .push_back(Err(PasskeyError::NotAllowedError {
            message: "x".into(),
        }));
    w.signup
        .borrow_mut()
        .push_back(Err(UiError::Platform("billing is closed".into())));
    let wallet = w.clone();
    let m = mount(move || view! { <SignUp wallet=wallet /> });
    set_input(&m, "input", "bob");
    submit_form(&m);
    until("cancel message", &m, |m| {
        m.text().contains("cancelled or timed out")
    })
    .await;
    assert!(m.q("form").is_some(), "back to idle");
    set_input(&m, "input", "bob");
    submit_form(&m);
    until("error", &m, |m| {
        m.text().contains("Your wallet was not created")
    })
    .await;
    assert!(m.text().contains("billing is closed"));
    m.click("[part=primary-button]");
    tick(5.0).await;
    assert!(m.q("form").is_some());
}

#[wasm_bindgen_test]
async fn sign_up_says_passkeys_are_unsupported_before_trying() {
    let mut fw = FakeWallet::new();
    fw.supported = false;
    let w = Rc::new(fw);
    let m = mount(move || view! { <SignUp wallet=w /> });
    assert!(m.text().contains("cannot use passkeys"));
    let button: web_sys::HtmlButtonElement = m.q("[part=primary-button]").unwrap().unchecked_into();
    assert!(button.disabled());
}

// ---- approval -----------------------------------------------------------------------------------

fn clear_resume() {
    let s = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    s.clear().unwrap();
}

#[wasm_bindgen_test]
async fn approval_shows_the_decoded_transaction_then_pending_then_approved() {
    clear_resume();
    let w = Rc::new(FakeWallet::new());
    w.server.script(
        "CONSENSUS_NEEDED",
        &[
            ("CONSENSUS_NEEDED", &["user"]),
            ("CONSENSUS_NEEDED", &["user"]),
            ("COMPLETED", &["user", "platform"]),
        ],
    );
    let (log, on_state) = state_log();
    let wallet = w.clone();
    let m = mount(move || {
        view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX on_state=on_state /> }
    });
    let t = m.text();
    assert!(t.contains("0.01 ETH"), "{t}");
    assert!(
        t.contains("0x3535353535353535353535353535353535353535"),
        "{t}"
    );
    assert!(
        t.contains("Ethereum") && t.contains("21,000") && t.contains("30 gwei"),
        "{t}"
    );
    m.click("[part=primary-button]");
    until("pending", &m, |m| {
        m.text().contains("Pending platform approval")
    })
    .await;
    assert!(m.text().contains("1 of 2 approvals"));
    assert!(m.text().contains("the platform's co-signer"));
    until("approved", &m, |m| m.text().contains("Transaction signed")).await;
    assert!(m.text().contains("02f8aa0107signed"));
    assert_eq!(
        *log.borrow(),
        ["idle", "submitting", "pending-approval", "approved"]
    );
    assert_eq!(w.server.count("/submit/sign_transaction"), 1);
}

#[wasm_bindgen_test]
async fn approval_rejected_shows_the_platforms_reason_and_failure_shows_the_servers() {
    clear_resume();
    let mut fw = FakeWallet::new();
    fw.reason = Some("recipient is on the deny list".into());
    let w = Rc::new(fw);
    w.server
        .script("CONSENSUS_NEEDED", &[("REJECTED", &["user", "!platform"])]);
    let wallet = w.clone();
    let m = mount(
        move || view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX /> },
    );
    m.click("[part=primary-button]");
    until("rejected", &m, |m| m.text().contains("declined")).await;
    assert!(
        m.text().contains("Reason: recipient is on the deny list"),
        "{}",
        m.text()
    );
    // What was declined stays on screen, decoded as before the vote.
    assert!(
        m.text().contains("0.01 ETH")
            && m.text()
                .contains("0x3535353535353535353535353535353535353535"),
        "{}",
        m.text()
    );

    clear_resume();
    let w2 = Rc::new(FakeWallet::new());
    w2.server
        .script("CONSENSUS_NEEDED", &[("FAILED", &["user"])]);
    let wallet = w2.clone();
    let m2 = mount(
        move || view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX /> },
    );
    m2.click("[part=primary-button]");
    until("failed", &m2, |m| m.text().contains("could not be signed")).await;
    assert!(m2.text().contains("policy engine said no"));
}

#[wasm_bindgen_test]
async fn approval_recovers_from_network_errors_mid_poll() {
    clear_resume();
    let w = Rc::new(FakeWallet::new());
    w.server.script(
        "CONSENSUS_NEEDED",
        &[
            ("CONSENSUS_NEEDED", &["user"]),
            ("COMPLETED", &["user", "platform"]),
        ],
    );
    w.server.0.network_errors.set(4);
    let wallet = w.clone();
    let m = mount(
        move || view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX /> },
    );
    m.click("[part=primary-button]");
    until("approved", &m, |m| m.text().contains("Transaction signed")).await;
    assert_eq!(w.server.count("/submit/sign_transaction"), 1);
}

#[wasm_bindgen_test]
async fn a_remembered_pending_activity_is_resumed_not_resubmitted() {
    clear_resume();
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    storage
        .set_item(&resume_key(ORG, SIGNER_ADDR, TX), "act-1")
        .unwrap();
    let w = Rc::new(FakeWallet::new());
    w.server.script(
        "CONSENSUS_NEEDED",
        &[
            ("CONSENSUS_NEEDED", &["user"]),
            ("COMPLETED", &["user", "platform"]),
        ],
    );
    let wallet = w.clone();
    let m = mount(
        move || view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX /> },
    );
    until("approved", &m, |m| m.text().contains("Transaction signed")).await;
    assert_eq!(
        w.server.count("/submit/sign_transaction"),
        0,
        "never a second submission"
    );
    assert!(w.server.count("/query/get_activity") >= 1);
    assert_eq!(
        storage.get_item(&resume_key(ORG, SIGNER_ADDR, TX)).unwrap(),
        None,
        "forgotten once ended"
    );
}

#[wasm_bindgen_test]
async fn an_unreadable_transaction_cannot_be_approved() {
    let w = Rc::new(FakeWallet::new());
    let m = mount(
        move || view! { <ApproveTransaction wallet=w sign_with=SIGNER_ADDR unsigned_transaction="02c0ff" /> },
    );
    assert!(m.text().contains("cannot be read"), "{}", m.text());
    let button: web_sys::HtmlButtonElement = m.q("[part=primary-button]").unwrap().unchecked_into();
    assert!(button.disabled());
}

/// Counts live `setTimeout`/`setInterval` timers of the page from now on.
fn count_timers() {
    js_sys::Function::new_no_args(
        r"
        if (window.__qkTimers) return;
        const live = new Set();
        window.__qkTimers = live;
        const st = window.setTimeout.bind(window), ct = window.clearTimeout.bind(window);
        const si = window.setInterval.bind(window), ci = window.clearInterval.bind(window);
        window.setTimeout = (f, ms, ...a) => { const id = st((...x) => { live.delete('t' + id); typeof f === 'function' && f(...x); }, ms, ...a); live.add('t' + id); return id; };
        window.clearTimeout = (id) => { live.delete('t' + id); ct(id); };
        window.setInterval = (f, ms, ...a) => { const id = si(f, ms, ...a); live.add('i' + id); return id; };
        window.clearInterval = (id) => { live.delete('i' + id); ci(id); };
        ",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
}

fn live_timers() -> u32 {
    js_sys::eval("window.__qkTimers.size")
        .unwrap()
        .as_f64()
        .unwrap() as u32
}

#[wasm_bindgen_test]
async fn unmounting_while_pending_stops_polling_and_the_clock() {
    clear_resume();
    count_timers();
    let w = Rc::new(FakeWallet::new());
    w.server
        .script("CONSENSUS_NEEDED", &[("CONSENSUS_NEEDED", &["user"])]);
    let wallet = w.clone();
    let mut m = mount(
        move || view! { <ApproveTransaction wallet=wallet sign_with=SIGNER_ADDR unsigned_transaction=TX /> },
    );
    m.click("[part=primary-button]");
    until("pending", &m, |m| {
        m.text().contains("Pending platform approval")
    })
    .await;
    tick(1100.0).await;
    assert!(
        m.text().contains("Waiting for 1 second") || m.text().contains("Waiting for 2 seconds"),
        "{}",
        m.text()
    );
    assert!(live_timers() >= 1);
    m.unmount();
    tick(30.0).await;
    let polls = w.server.count("/query/get_activity");
    tick(200.0).await;
    assert_eq!(
        w.server.count("/query/get_activity"),
        polls,
        "polling stopped"
    );
    assert_eq!(live_timers(), 0, "no timer left running");
}

// ---- export -------------------------------------------------------------------------------------

fn enabled(m: &Mounted) -> bool {
    !m.q("[part=primary-button]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlButtonElement>()
        .disabled()
}

fn export_wallet_fixture() -> (Rc<FakeWallet>, String) {
    let w = FakeWallet::new();
    let enclave = P256KeyPair::generate();
    let signer = enclave.public_key_uncompressed().to_hex();
    *w.server.0.enclave.borrow_mut() = Some(enclave);
    *w.server.0.phrase_parts.borrow_mut() = vec![
        "zebra", "quantum", "marble", "oyster", "velvet", "hollow", "tundra", "crisp", "ember",
        "lagoon", "pivot", "saffron",
    ];
    (Rc::new(w), signer)
}

/// Searches the module's whole linear memory for `words` joined by spaces (in JS: copying memory
/// into wasm would grow it, and a joined Rust string would itself be a copy).
fn memory_contains(words: &[&str]) -> bool {
    let words: js_sys::Array = words.iter().map(|w| JsValue::from_str(w)).collect();
    js_sys::Function::new_with_args(
        "memory, words",
        r"
        const m = new Uint8Array(memory.buffer);
        const n = new TextEncoder().encode(words.join(' '));
        outer: for (let i = 0; i + n.length <= m.length; i++) {
          if (m[i] !== n[0]) continue;
          for (let j = 1; j < n.length; j++) if (m[i + j] !== n[j]) continue outer;
          return true;
        }
        return false;
        ",
    )
    .call2(&JsValue::UNDEFINED, &wasm_bindgen::memory(), &words)
    .unwrap()
    .as_bool()
    .unwrap()
}

#[wasm_bindgen_test]
async fn export_needs_confirmation_reveals_only_on_request_and_wipes_on_hide() {
    let (w, signer) = export_wallet_fixture();
    let (log, on_state) = state_log();
    let wallet = w.clone();
    let m = mount(move || {
        view! { <ExportWallet wallet=wallet wallet_id="w-1"
        dangerously_override_signer_public_key=Some(signer) on_state=on_state /> }
    });
    let button: web_sys::HtmlButtonElement = m.q("[part=primary-button]").unwrap().unchecked_into();
    assert!(button.disabled(), "confirmation first");
    m.click("input[type=checkbox]");
    until("the target key is ready", &m, |_| !button.disabled()).await;
    button.click();
    until("done", &m, |m| {
        m.text().contains("recovery phrase is ready")
    })
    .await;
    assert!(
        !m.html().contains("zebra"),
        "the phrase is not in the DOM before Reveal"
    );
    assert!(
        memory_contains(&["zebra", "quantum", "marble"]),
        "the scan finds the held phrase"
    );
    m.click("[part=primary-button]");
    until("revealed", &m, |m| m.html().contains("zebra")).await;
    assert_eq!(m.q("[part=phrase]").unwrap().child_element_count(), 12);
    m.click("[part=primary-button]");
    tick(10.0).await;
    assert!(!m.html().contains("zebra"), "hidden");
    assert!(m.q("input[type=checkbox]").is_some(), "back to the start");
    assert_eq!(
        *log.borrow(),
        ["idle", "submitting", "done", "revealed", "idle"]
    );
    assert!(
        !memory_contains(&["zebra", "quantum", "marble"]),
        "the phrase is wiped from wasm memory"
    );
}

#[wasm_bindgen_test]
async fn export_wipes_the_phrase_on_unmount_and_refuses_a_wrong_signer() {
    let (w, signer) = export_wallet_fixture();
    let wallet = w.clone();
    let mut m = mount(move || {
        view! { <ExportWallet wallet=wallet wallet_id="w-1"
        dangerously_override_signer_public_key=Some(signer) /> }
    });
    m.click("input[type=checkbox]");
    tick(5.0).await;
    m.click("[part=primary-button]");
    until("done", &m, |m| {
        m.text().contains("recovery phrase is ready")
    })
    .await;
    m.unmount();
    tick(5.0).await;
    assert!(!memory_contains(&["zebra", "quantum", "marble"]));

    let (w2, _) = export_wallet_fixture();
    let other = P256KeyPair::generate().public_key_uncompressed().to_hex();
    let m2 = mount(move || {
        view! { <ExportWallet wallet=w2 wallet_id="w-1"
        dangerously_override_signer_public_key=Some(other) /> }
    });
    m2.click("input[type=checkbox]");
    until("ready", &m2, enabled).await;
    m2.click("[part=primary-button]");
    until("error", &m2, |m| m.text().contains("could not be verified")).await;
    assert!(!m2.html().contains("zebra"));
}
