//! The activity client for JavaScript: `new Client({baseUrl, organizationId, stamper})`, typed
//! methods per activity returning an `ActivityHandle` that follows the activity to its end
//! (`CONSENSUS_NEEDED` is "pending platform approval"), and read-write sessions.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::js_error;
use super::input::{self, options};
use super::passkey::passkey_error;
use crate::activity::intents::{
    ApproveActivity, CreatePolicy, CreateReadWriteSession, CreateSubOrganization, CreateWallet,
    ExportWallet, ExportWalletAccount, RejectActivity, SignRawPayload, SignTransaction,
    UpdateRootQuorum,
};
use crate::activity::{Activity, Intent};
use crate::client::{
    Client, ClientError, ClientStamper, FetchTransport, JsStamper, LocalBoxFuture, PollOptions,
    StamperError, Transport,
};
use crate::client::{DynClient, DynHandle};
use crate::session::{self, Session, SessionError, SessionOptions};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** Anything with Turnkey's stamper shape: the kit's `ApiKeyStamper`, `WebauthnStamper`, `WebCryptoStamper`, or Turnkey's own. */
export interface TStamper {
  stamp(payload: string): Promise<TStamp>;
}
/** How a handle polls `get_activity`: 250 ms growing ×1.5 up to 2 s, 10-minute deadline by default. */
export interface PollConfig {
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  backoff?: number;
  deadlineMs?: number;
}
/** Options of `new Client(...)`. */
export interface ClientConfig {
  /** `https://api.turnkey.com`, or the local sandbox's origin. */
  baseUrl: string;
  /** The organization requests act in (the user's sub-organization). */
  organizationId: string;
  stamper: TStamper;
  poll?: PollConfig;
}
/** Options of every submitting method. */
export interface SubmitOptions {
  /** Stops waiting (the activity on the server is unaffected). */
  signal?: AbortSignal;
  /** Called at once and on every change (status, votes). */
  onUpdate?: (update: ActivityUpdate) => void;
  poll?: PollConfig;
}
export type ActivityStatus =
  | "ACTIVITY_STATUS_CREATED"
  | "ACTIVITY_STATUS_PENDING"
  | "ACTIVITY_STATUS_COMPLETED"
  | "ACTIVITY_STATUS_FAILED"
  | "ACTIVITY_STATUS_CONSENSUS_NEEDED"
  | "ACTIVITY_STATUS_REJECTED"
  | "ACTIVITY_STATUS_AUTHENTICATORS_NEEDED";
export interface ActivityVote {
  id: string;
  userId: string;
  selection: "VOTE_SELECTION_APPROVED" | "VOTE_SELECTION_REJECTED";
}
/** An activity as Turnkey returns it. */
export interface TurnkeyActivity {
  id: string;
  organizationId: string;
  status: ActivityStatus;
  type: string;
  intent: Record<string, unknown>;
  result: Record<string, unknown>;
  votes: ActivityVote[];
  fingerprint: string;
  canApprove: boolean;
  canReject: boolean;
  createdAt: unknown;
  updatedAt: unknown;
  failure?: { code: number; message: string };
}
/** What `onUpdate` receives. */
export interface ActivityUpdate {
  activity: TurnkeyActivity;
  status: ActivityStatus;
  /** `true` while the activity is `CONSENSUS_NEEDED`: pending the platform's approval. */
  pendingApproval: boolean;
  /** User ids that approved so far. */
  approvals: string[];
}
/** An `ActivityHandle` whose `wait()` resolves to the activity's typed result. */
export interface TypedActivityHandle<R> extends ActivityHandle {
  wait(): Promise<R>;
}
export interface Whoami {
  organizationId: string;
  organizationName: string;
  userId: string;
  username: string;
}
export interface ApiKeyParams {
  apiKeyName: string;
  /** Compressed P-256 public key, hex. */
  publicKey: string;
  curveType: "API_KEY_CURVE_P256";
  expirationSeconds?: string;
}
/** An OAuth provider of a root user (Turnkey's `v1OauthProviderParamsV2`). */
export interface OauthProviderParams {
  providerName: string;
  /** Base64 OIDC token. */
  oidcToken?: string;
  oidcClaims?: { iss: string; sub: string; aud: string };
}
export interface RootUserParams {
  userName: string;
  userEmail?: string;
  apiKeys?: ApiKeyParams[];
  authenticators?: PasskeyRegistration[];
  oauthProviders?: OauthProviderParams[];
}
export interface WalletAccountParams {
  curve: "CURVE_SECP256K1" | "CURVE_ED25519";
  pathFormat: "PATH_FORMAT_BIP32";
  path: string;
  addressFormat: string;
}
export interface CreateSubOrganizationParams {
  subOrganizationName: string;
  rootUsers: RootUserParams[];
  rootQuorumThreshold: number;
  wallet?: { walletName: string; accounts: WalletAccountParams[]; mnemonicLength?: number };
}
export interface WalletResult { walletId: string; addresses: string[] }
export interface CreateSubOrganizationResult {
  subOrganizationId: string;
  wallet?: WalletResult;
  rootUserIds: string[];
}
export interface CreatePolicyParams {
  policyName: string;
  effect: "EFFECT_ALLOW" | "EFFECT_DENY";
  condition?: string;
  consensus?: string;
  notes?: string;
}
export interface UpdateRootQuorumParams { threshold: number; userIds: string[] }
export interface CreateWalletParams { walletName: string; accounts: WalletAccountParams[]; mnemonicLength?: number }
export interface SignTransactionParams {
  signWith: string;
  unsignedTransaction: string;
  type: "TRANSACTION_TYPE_ETHEREUM" | "TRANSACTION_TYPE_SOLANA" | string;
}
export interface SignRawPayloadParams {
  signWith: string;
  payload: string;
  encoding: "PAYLOAD_ENCODING_HEXADECIMAL" | "PAYLOAD_ENCODING_TEXT_UTF8" | string;
  hashFunction: "HASH_FUNCTION_KECCAK256" | "HASH_FUNCTION_SHA256" | "HASH_FUNCTION_NO_OP" | "HASH_FUNCTION_NOT_APPLICABLE" | string;
}
export interface ExportWalletParams { walletId: string; targetPublicKey: string; language?: string }
export interface ExportWalletAccountParams { address: string; targetPublicKey: string }
export interface CreateReadWriteSessionParams {
  targetPublicKey: string;
  userId?: string;
  apiKeyName?: string;
  expirationSeconds?: string;
}
export interface FingerprintParams { fingerprint: string }
export interface SignTransactionResult { signedTransaction: string }
export interface SignRawPayloadResult { r: string; s: string; v: string }
export interface ExportWalletResult { walletId: string; exportBundle: string }
export interface ExportWalletAccountResult { address: string; exportBundle: string }
export interface CreateReadWriteSessionResult {
  organizationId: string;
  organizationName: string;
  userId: string;
  username: string;
  apiKeyId: string;
  credentialBundle: string;
}
/** Options of `client.createReadWriteSession`. */
export interface SessionConfig {
  /** Lifetime in seconds (default 900). */
  expirationSeconds?: number;
  userId?: string;
  apiKeyName?: string;
  /** IndexedDB record name (default "default"); `null` keeps the session in memory only. */
  storageName?: string | null;
}
/** A live session: requests are stamped with its non-extractable key until `expiresAt`. */
export interface SessionInfo {
  /** Compressed P-256 public key of the session key, hex. */
  publicKey: string;
  organizationId: string;
  userId: string;
  /** Milliseconds since the Unix epoch. */
  expiresAt: number;
}
/**
 * Names of the errors client methods throw (`err.name`), besides the `Passkey…Error`s of a passkey stamper.
 * `TurnkeyRequestError` carries `status` (HTTP) and `turnkeyCode`; activity errors carry `activity`.
 */
export type ClientErrorName =
  | "TurnkeyRequestError"
  | "NetworkError"
  | "StamperError"
  | "ActivityRejectedError"
  | "ActivityFailedError"
  | "TimeoutError"
  | "AbortError"
  | "ResponseError"
  | "SessionBundleError"
  | "WebCryptoError"
  | "SessionStorageError";
"#;

#[wasm_bindgen]
extern "C" {
    /// `SubmitOptions` (TypeScript), optional in every submitting method.
    #[wasm_bindgen(typescript_type = "SubmitOptions")]
    pub type SubmitOptionsArg;
    /// `SessionConfig` (TypeScript).
    #[wasm_bindgen(typescript_type = "SessionConfig")]
    pub type SessionConfigArg;
}

type Inner = DynClient;
type Handle = DynHandle;

pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

fn set(o: &JsValue, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

/// Throws a [`ClientError`] as a JS `Error` with a stable `name` (see `ClientErrorName`),
/// `status`/`turnkeyCode` for HTTP errors and `activity` for activity errors. A JS stamper's own
/// error is rethrown unchanged.
#[must_use]
pub fn client_error(e: &ClientError) -> JsValue {
    match e {
        ClientError::Stamper(StamperError::Js { value, .. }) if !value.is_undefined() => {
            return value.clone();
        }
        ClientError::Stamper(StamperError::Passkey(p)) => return passkey_error(p),
        _ => {}
    }
    let err = js_error(e.js_name(), &e.to_string());
    if let ClientError::Http {
        status,
        code,
        path,
        message,
    } = e
    {
        set(&err, "status", &JsValue::from(*status));
        set(&err, "path", &path.as_str().into());
        set(&err, "turnkeyMessage", &message.as_str().into());
        if let Some(c) = code {
            #[allow(clippy::cast_precision_loss)]
            set(&err, "turnkeyCode", &JsValue::from_f64(*c as f64));
        }
    }
    if let Some(a) = e.activity() {
        set(&err, "activity", &activity_object(a));
        set(&err, "activityId", &a.id.as_str().into());
        set(&err, "fingerprint", &a.fingerprint.as_str().into());
    }
    if let ClientError::Failed { message, .. } = e {
        set(&err, "reason", &message.as_str().into());
    }
    err
}

fn session_error(e: &SessionError) -> JsValue {
    match e {
        SessionError::Client(c) => client_error(c),
        other => js_error(other.js_name(), &other.to_string()),
    }
}

/// Reads a `PollConfig`: absent fields keep `base`'s values.
fn poll_from_js(value: &JsValue, base: PollOptions, what: &str) -> Result<PollOptions, JsValue> {
    let Some(value) = input::optional_object(value, what)? else {
        return Ok(base);
    };
    let num = |k: &str, default: f64| -> Result<f64, JsValue> {
        let v = input::field(&value, k, what)?;
        Ok(input::optional_non_negative(&v, &format!("{what}.{k}"))?.unwrap_or(default))
    };
    Ok(PollOptions {
        initial_interval_ms: num("initialIntervalMs", base.initial_interval_ms)?,
        max_interval_ms: num("maxIntervalMs", base.max_interval_ms)?,
        backoff: num("backoff", base.backoff)?,
        deadline_ms: num("deadlineMs", base.deadline_ms)?,
    })
}

/// `SubmitOptions`, checked before anything is submitted.
struct SubmitOpts {
    poll: JsValue,
    signal: Option<JsValue>,
    on_update: Option<Function>,
}

impl SubmitOpts {
    fn parse(value: &JsValue, function: &str) -> Result<Self, JsValue> {
        let what = format!("{function}: options");
        let Some(value) = input::optional_object(value, &what)? else {
            return Ok(Self {
                poll: JsValue::UNDEFINED,
                signal: None,
                on_update: None,
            });
        };
        let poll = input::field(&value, "poll", &what)?;
        poll_from_js(&poll, PollOptions::default(), &format!("{what}.poll"))?;
        let signal = input::optional_abort_signal(
            &input::field(&value, "signal", &what)?,
            &format!("{what}.signal"),
        )?;
        let on_update = input::field(&value, "onUpdate", &what)?;
        let on_update = if input::is_absent(&on_update) {
            None
        } else {
            Some(input::function(on_update, &format!("{what}.onUpdate"))?)
        };
        Ok(Self {
            poll,
            signal,
            on_update,
        })
    }
}

fn rejected(error: JsValue) -> Promise {
    Promise::reject(&error)
}

/// An activity as a plain object (`TurnkeyActivity`): its fields, with the intent, result and
/// timestamps parsed from their JSON text.
fn activity_object(a: &Activity) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "id", &a.id.as_str().into());
    set(&o, "organizationId", &a.organization_id.as_str().into());
    set(&o, "status", &a.status.as_str().into());
    set(&o, "type", &a.activity_type.as_str().into());
    set(&o, "intent", &parse_json(a.intent.as_str()));
    set(&o, "result", &parse_json(a.result.as_str()));
    set(&o, "votes", &to_js(&a.votes));
    set(&o, "fingerprint", &a.fingerprint.as_str().into());
    set(&o, "canApprove", &a.can_approve.into());
    set(&o, "canReject", &a.can_reject.into());
    set(&o, "createdAt", &parse_json(a.created_at.as_str()));
    set(&o, "updatedAt", &parse_json(a.updated_at.as_str()));
    if let Some(f) = &a.failure {
        set(&o, "failure", &to_js(f));
    }
    o
}

/// JSON text the server sent (so valid JSON) as a JS value.
fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

fn update_object(a: &Activity) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "activity", &activity_object(a));
    set(&o, "status", &a.status.as_str().into());
    set(
        &o,
        "pendingApproval",
        &JsValue::from(a.status == crate::activity::ActivityStatus::ConsensusNeeded),
    );
    let approvals: Array = a.approvals().into_iter().map(JsValue::from_str).collect();
    set(&o, "approvals", &approvals);
    o
}

/// The kit's activity client.
#[wasm_bindgen(js_name = Client)]
pub struct JsClient {
    inner: Inner,
    session: Rc<RefCell<Option<Session>>>,
}

#[wasm_bindgen(js_class = Client)]
impl JsClient {
    /// `new Client({baseUrl, organizationId, stamper, poll?})`.
    ///
    /// # Errors
    /// An `InvalidInputError` for a missing field or a stamper without `stamp(payload)`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    ) -> Result<JsClient, JsValue> {
        let what = "Client: config";
        input::check_object(&config, what)?;
        let base_url = input::string(
            &input::field(&config, "baseUrl", what)?,
            "Client: config.baseUrl",
        )?;
        let organization_id = input::string(
            &input::field(&config, "organizationId", what)?,
            "Client: config.organizationId",
        )?;
        let stamper = JsStamper::new(input::field(&config, "stamper", what)?).map_err(|_| {
            js_error(
                "InvalidInputError",
                "Client: config.stamper must have a stamp(payload) method",
            )
        })?;
        let poll = poll_from_js(
            &input::field(&config, "poll", what)?,
            PollOptions::default(),
            "Client: config.poll",
        )?;
        let inner = Client::new(
            &base_url,
            &organization_id,
            Rc::new(FetchTransport) as Rc<dyn Transport>,
            Rc::new(stamper) as Rc<dyn ClientStamper>,
        );
        inner.set_poll_options(poll);
        Ok(Self {
            inner,
            session: Rc::new(RefCell::new(None)),
        })
    }

    /// The organization requests act in.
    #[wasm_bindgen(getter, js_name = organizationId)]
    #[must_use]
    pub fn organization_id(&self) -> String {
        self.inner.organization_id()
    }

    /// Changes the organization (e.g. to the user's sub-organization after sign-up).
    ///
    /// # Errors
    /// Throws `InvalidInputError` when the value is not a string.
    #[wasm_bindgen(setter, js_name = organizationId)]
    pub fn set_organization_id(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] organization_id: JsValue,
    ) -> Result<(), JsValue> {
        let organization_id = input::string(&organization_id, "Client.organizationId")?;
        self.inner.set_organization_id(&organization_id);
        Ok(())
    }

    /// `whoami` for the current stamper (or session).
    #[wasm_bindgen(unchecked_return_type = "Promise<Whoami>")]
    pub fn whoami(&self) -> Promise {
        let pending = self.inner.whoami();
        future_to_promise(async move {
            let w = pending.await.map_err(|e| client_error(&e))?;
            Ok(to_js(&w))
        })
    }

    /// `get_activity`.
    #[wasm_bindgen(js_name = getActivity, unchecked_return_type = "Promise<TurnkeyActivity>")]
    pub fn get_activity(
        &self,
        #[wasm_bindgen(js_name = "activityId", unchecked_param_type = "string")]
        activity_id: JsValue,
    ) -> Promise {
        let activity_id = match input::string(&activity_id, "getActivity: activityId") {
            Ok(id) => id,
            Err(e) => return rejected(e),
        };
        let pending = self.inner.get_activity(&activity_id);
        future_to_promise(async move {
            let a = pending.await.map_err(|e| client_error(&e))?;
            Ok(activity_object(&a))
        })
    }

    /// A handle following an activity already submitted (after a `TimeoutError`, or a reload);
    /// its `wait()` resolves to the whole activity.
    #[wasm_bindgen(
        js_name = watchActivity,
        unchecked_return_type = "Promise<TypedActivityHandle<TurnkeyActivity>>"
    )]
    pub fn watch_activity(
        &self,
        #[wasm_bindgen(js_name = "activityId", unchecked_param_type = "string")]
        activity_id: JsValue,
        options: Option<SubmitOptionsArg>,
    ) -> Promise {
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let checked = input::string(&activity_id, "watchActivity: activityId")
            .and_then(|id| Ok((id, SubmitOpts::parse(&options, "watchActivity")?)));
        let (activity_id, options) = match checked {
            Ok(c) => c,
            Err(e) => return rejected(e),
        };
        handle_promise(self.inner.watch(&activity_id), None, options)
    }

    fn submit<I: Intent + DeserializeOwned + 'static>(
        &self,
        params: JsValue,
        submit_options: JsValue,
        function: &str,
    ) -> Promise {
        let checked = options::<I>(&params, function, "params")
            .and_then(|intent| Ok((intent, SubmitOpts::parse(&submit_options, function)?)));
        let (intent, submit_options) = match checked {
            Ok(c) => c,
            Err(e) => return rejected(e),
        };
        handle_promise(
            self.inner.submit(&intent),
            Some(I::RESULT_KEY),
            submit_options,
        )
    }

    /// The active session, or `null` (none, or expired: requests are then stamped by `stamper`).
    #[wasm_bindgen(getter, unchecked_return_type = "SessionInfo | null")]
    #[must_use]
    pub fn session(&self) -> JsValue {
        if self.inner.session().is_none() {
            *self.session.borrow_mut() = None;
        }
        match &*self.session.borrow() {
            Some(s) => session_info(s),
            None => JsValue::NULL,
        }
    }

    /// Creates a read-write session with one stamp from `stamper` (one passkey prompt); until it
    /// expires every request is stamped with the session's non-extractable WebCrypto key.
    #[wasm_bindgen(js_name = createReadWriteSession, unchecked_return_type = "Promise<SessionInfo>")]
    pub fn create_read_write_session(&self, config: Option<SessionConfigArg>) -> Promise {
        let config: JsValue = config.map_or(JsValue::UNDEFINED, Into::into);
        let opts = match session_options(&config) {
            Ok(o) => o,
            Err(e) => return rejected(e),
        };
        let pending = session::create_read_write_session(&self.inner, &opts);
        let slot = Rc::clone(&self.session);
        future_to_promise(async move {
            let s = pending.await.map_err(|e| session_error(&e))?;
            let info = session_info(&s);
            *slot.borrow_mut() = Some(s);
            Ok(info)
        })
    }

    /// Restores the session stored in IndexedDB (after a reload); `null` when there is none or it expired.
    #[wasm_bindgen(js_name = restoreSession, unchecked_return_type = "Promise<SessionInfo | null>")]
    pub fn restore_session(
        &self,
        #[wasm_bindgen(
            js_name = "storageName",
            unchecked_optional_param_type = "string | null"
        )]
        storage_name: JsValue,
    ) -> Promise {
        let storage_name =
            match input::optional_string(&storage_name, "restoreSession: storageName") {
                Ok(s) => s,
                Err(e) => return rejected(e),
            };
        let client = self.inner.clone();
        let slot = Rc::clone(&self.session);
        future_to_promise(async move {
            let name = storage_name.unwrap_or_else(|| session::DEFAULT_STORAGE_NAME.to_owned());
            let s = Session::load(&name).await.map_err(|e| session_error(&e))?;
            Ok(match s {
                Some(s) => {
                    client.set_session(Some(s.to_active()));
                    let info = session_info(&s);
                    *slot.borrow_mut() = Some(s);
                    info
                }
                None => JsValue::NULL,
            })
        })
    }

    /// Ends the session: requests are stamped by `stamper` again, and the stored record is deleted.
    #[wasm_bindgen(js_name = clearSession, unchecked_return_type = "Promise<void>")]
    pub fn clear_session(
        &self,
        #[wasm_bindgen(
            js_name = "storageName",
            unchecked_optional_param_type = "string | null"
        )]
        storage_name: JsValue,
    ) -> Promise {
        let storage_name = match input::optional_string(&storage_name, "clearSession: storageName")
        {
            Ok(s) => s,
            Err(e) => return rejected(e),
        };
        self.inner.set_session(None);
        *self.session.borrow_mut() = None;
        future_to_promise(async move {
            let name = storage_name.unwrap_or_else(|| session::DEFAULT_STORAGE_NAME.to_owned());
            Session::clear(&name).await.map_err(|e| session_error(&e))?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// The promise of an activity handle. Not generic: `submit` is compiled per intent type, and a
/// future built inside it would be too (one state machine and executor task per intent).
fn handle_promise(
    pending: LocalBoxFuture<Result<Handle, ClientError>>,
    result_key: Option<&'static str>,
    options: SubmitOpts,
) -> Promise {
    future_to_promise(async move {
        let handle = pending.await.map_err(|e| client_error(&e))?;
        Ok(JsActivityHandle::wrap(handle, result_key, options).into())
    })
}

/// Reads `SessionConfig`. `storageName: null` keeps the session in memory only (documented), so
/// it is read before `undefined`/`null` are taken as absent.
fn session_options(config: &JsValue) -> Result<SessionOptions, JsValue> {
    let what = "createReadWriteSession: config";
    let mut opts = SessionOptions::default();
    if input::is_absent(config) {
        return Ok(opts);
    }
    input::check_object(config, what)?;
    let seconds = input::field(config, "expirationSeconds", what)?;
    if let Some(s) = input::optional_non_negative(&seconds, &format!("{what}.expirationSeconds"))? {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        {
            opts.expiration_seconds = s.clamp(1.0, f64::from(u32::MAX)) as u32;
        }
    }
    opts.user_id = input::optional_string(
        &input::field(config, "userId", what)?,
        &format!("{what}.userId"),
    )?;
    opts.api_key_name = input::optional_string(
        &input::field(config, "apiKeyName", what)?,
        &format!("{what}.apiKeyName"),
    )?;
    let storage = input::field(config, "storageName", what)?;
    if storage.is_null() {
        opts.storage_name = None;
    } else if let Some(name) = input::optional_string(&storage, &format!("{what}.storageName"))? {
        opts.storage_name = Some(name);
    }
    Ok(opts)
}

fn session_info(s: &Session) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "publicKey", &s.public_key().into());
    set(&o, "organizationId", &s.organization_id.as_str().into());
    set(&o, "userId", &s.user_id.as_str().into());
    set(&o, "expiresAt", &JsValue::from_f64(s.expires_at_ms));
    o
}

macro_rules! submit_method {
    ($rust:ident, $js:literal, $intent:ty, $params:literal, $ret:literal, $doc:literal) => {
        #[wasm_bindgen(js_class = Client)]
        impl JsClient {
            #[doc = $doc]
            #[doc = ""]
            #[doc = "The stamper starts before this returns (a passkey prompt keeps the click's gesture); the promise resolves once the activity is submitted, to a handle whose `wait()` resolves to the typed result."]
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
            pub fn $rust(
                &self,
                #[wasm_bindgen(unchecked_param_type = $params)] params: JsValue,
                options: Option<SubmitOptionsArg>,
            ) -> Promise {
                self.submit::<$intent>(params, options.map_or(JsValue::UNDEFINED, Into::into), $js)
            }
        }
    };
}

submit_method!(
    create_sub_organization,
    "createSubOrganization",
    CreateSubOrganization,
    "CreateSubOrganizationParams",
    "Promise<TypedActivityHandle<CreateSubOrganizationResult>>",
    "Submits `create_sub_organization` (V8)."
);
submit_method!(
    create_policy,
    "createPolicy",
    CreatePolicy,
    "CreatePolicyParams",
    "Promise<TypedActivityHandle<{ policyId: string }>>",
    "Submits `create_policy` (V3)."
);
submit_method!(
    update_root_quorum,
    "updateRootQuorum",
    UpdateRootQuorum,
    "UpdateRootQuorumParams",
    "Promise<TypedActivityHandle<Record<string, never>>>",
    "Submits `update_root_quorum`."
);
submit_method!(
    create_wallet,
    "createWallet",
    CreateWallet,
    "CreateWalletParams",
    "Promise<TypedActivityHandle<WalletResult>>",
    "Submits `create_wallet`."
);
submit_method!(
    sign_transaction,
    "signTransaction",
    SignTransaction,
    "SignTransactionParams",
    "Promise<TypedActivityHandle<SignTransactionResult>>",
    "Submits `sign_transaction` (V2). Under a 2-of-2 root quorum it comes back `CONSENSUS_NEEDED` until the platform votes."
);
submit_method!(
    sign_raw_payload,
    "signRawPayload",
    SignRawPayload,
    "SignRawPayloadParams",
    "Promise<TypedActivityHandle<SignRawPayloadResult>>",
    "Submits `sign_raw_payload` (V2)."
);
submit_method!(
    export_wallet,
    "exportWallet",
    ExportWallet,
    "ExportWalletParams",
    "Promise<TypedActivityHandle<ExportWalletResult>>",
    "Submits `export_wallet`; decrypt the bundle with `decryptExportBundle`."
);
submit_method!(
    export_wallet_account,
    "exportWalletAccount",
    ExportWalletAccount,
    "ExportWalletAccountParams",
    "Promise<TypedActivityHandle<ExportWalletAccountResult>>",
    "Submits `export_wallet_account`."
);
submit_method!(
    create_read_write_session_activity,
    "createReadWriteSessionActivity",
    CreateReadWriteSession,
    "CreateReadWriteSessionParams",
    "Promise<TypedActivityHandle<CreateReadWriteSessionResult>>",
    "Submits `create_read_write_session` (V2) as a bare activity (`createReadWriteSession` also sets the session up)."
);
submit_method!(
    approve_activity,
    "approveActivity",
    ApproveActivity,
    "FingerprintParams",
    "Promise<TypedActivityHandle<Record<string, never>>>",
    "Votes to approve the activity with this fingerprint."
);
submit_method!(
    reject_activity,
    "rejectActivity",
    RejectActivity,
    "FingerprintParams",
    "Promise<TypedActivityHandle<Record<string, never>>>",
    "Votes to reject the activity with this fingerprint."
);

/// A submitted activity. `wait()` polls until it completes (resolving to the typed result),
/// is rejected (`ActivityRejectedError`) or fails (`ActivityFailedError`, with `reason`).
#[wasm_bindgen(js_name = ActivityHandle)]
pub struct JsActivityHandle {
    inner: Handle,
    result_key: Option<&'static str>,
    waiting: Rc<RefCell<Option<Promise>>>,
}

const EMPTY_RESULT_KEYS: [&str; 3] = [
    "approveActivityResult",
    "rejectActivityResult",
    "updateRootQuorumResult",
];

impl JsActivityHandle {
    fn wrap(inner: Handle, result_key: Option<&'static str>, options: SubmitOpts) -> Self {
        // Checked by `SubmitOpts::parse`; the fallback cannot be reached.
        let poll = poll_from_js(&options.poll, inner.client_poll_options(), "options.poll")
            .unwrap_or_else(|_| inner.client_poll_options());
        inner.set_poll_options(poll);
        if let Some(signal) = &options.signal {
            inner.cancel_token().link_abort_signal(signal);
        }
        let h = Self {
            inner,
            result_key,
            waiting: Rc::new(RefCell::new(None)),
        };
        if let Some(cb) = options.on_update {
            h.subscribe(cb);
        }
        h
    }

    fn subscribe(&self, callback: Function) -> JsValue {
        let id = self.inner.subscribe(move |a| {
            let _ = callback.call1(&JsValue::UNDEFINED, &update_object(a));
        });
        // Polling drives the updates; its outcome is observed through `wait()`.
        let p = self.start_waiting();
        let ignore = Closure::once(|_: JsValue| {});
        let _ = p.catch(&ignore);
        ignore.forget();
        let handle = self.inner.clone();
        Closure::once_into_js(move || handle.unsubscribe(id))
    }

    fn start_waiting(&self) -> Promise {
        if let Some(p) = &*self.waiting.borrow() {
            return p.clone();
        }
        let handle = self.inner.clone();
        let key = self.result_key;
        let p = future_to_promise(async move {
            let a = handle.wait().await.map_err(|e| client_error(&e))?;
            let Some(key) = key else {
                return Ok(activity_object(&a));
            };
            match a.result.member(key) {
                Some(v) => Ok(parse_json(&v)),
                None if EMPTY_RESULT_KEYS.contains(&key) => Ok(js_sys::Object::new().into()),
                None => Err(js_error(
                    "ResponseError",
                    &format!("the completed activity has no `{key}` result"),
                )),
            }
        });
        *self.waiting.borrow_mut() = Some(p.clone());
        p
    }
}

#[wasm_bindgen(js_class = ActivityHandle)]
impl JsActivityHandle {
    /// The activity id.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn id(&self) -> String {
        self.inner.id()
    }

    /// The activity's fingerprint (what `approveActivity`/`rejectActivity` take).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint()
    }

    /// The status as last seen.
    #[wasm_bindgen(getter, unchecked_return_type = "ActivityStatus")]
    #[must_use]
    pub fn status(&self) -> JsValue {
        self.inner.status().as_str().into()
    }

    /// `true` while the activity is `CONSENSUS_NEEDED` (pending the platform's approval).
    #[wasm_bindgen(getter, js_name = pendingApproval)]
    #[must_use]
    pub fn pending_approval(&self) -> bool {
        self.inner.is_pending_approval()
    }

    /// The activity as last seen.
    #[wasm_bindgen(getter, unchecked_return_type = "TurnkeyActivity")]
    #[must_use]
    pub fn activity(&self) -> JsValue {
        activity_object(&self.inner.activity())
    }

    /// Calls `callback` now and on every change (status, votes); starts polling if nothing has
    /// yet. Returns a function that unsubscribes.
    #[wasm_bindgen(js_name = onUpdate, unchecked_return_type = "() => void")]
    ///
    /// # Errors
    /// Throws `InvalidInputError` when `callback` is not a function.
    pub fn on_update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(update: ActivityUpdate) => void")]
        callback: JsValue,
    ) -> Result<JsValue, JsValue> {
        let callback = input::function(callback, "ActivityHandle.onUpdate: callback")?;
        Ok(self.subscribe(callback))
    }

    /// Polls until the activity ends; resolves to its typed result. The same promise is returned
    /// to every caller.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn wait(&self) -> Promise {
        self.start_waiting()
    }

    /// Fetches the activity once.
    #[wasm_bindgen(unchecked_return_type = "Promise<TurnkeyActivity>")]
    pub fn refresh(&self) -> Promise {
        let handle = self.inner.clone();
        future_to_promise(async move {
            let a = handle.refresh().await.map_err(|e| client_error(&e))?;
            Ok(activity_object(&a))
        })
    }

    /// Stops waiting: `wait()` rejects with `AbortError` (the activity on the server is unaffected).
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

/// The custom elements' side of the client (only in the entry with the UI).
#[cfg(feature = "ui")]
#[wasm_bindgen(js_class = Client)]
impl JsClient {
    /// This client for the custom elements' `client` property (internal).
    #[wasm_bindgen(js_name = __forElements, skip_typescript)]
    #[must_use]
    pub fn for_elements(&self) -> super::elements::ElementClient {
        super::elements::ElementClient::new(self.inner.clone())
    }
}
