//! The Turnkey-compatible core: authentication of stamps, root quorum and policies, votes,
//! idempotency, and the execution of each activity type.

use axum::http::HeaderMap;
use quorum_kit::encoding::{base64url_decode, hex_encode};
use quorum_kit::keys::{CompressedP256, P256KeyPair, UncompressedP256};
use quorum_kit::stamp::webauthn::WebauthnStampValue;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{APPROVAL_WINDOW_MS, TIMESTAMP_MAX_AGE_MS, TIMESTAMP_MAX_FUTURE_MS};
use crate::enclave::{self, EnclaveError};
use crate::error::ApiError;
use crate::model::{
    Activity, ApiKey, Authenticator, Organization, Policy, RootQuorum, User, VOTE_APPROVED,
    VOTE_REJECTED, Vote, Wallet, WalletAccount, activity_lookup, intent_and_result_keys, new_id,
    now_ms, status,
};
use crate::policy;
use crate::store::{Db, Store};
use crate::webauthn::{self, AttestationParams, RelyingParty};

impl From<EnclaveError> for ApiError {
    fn from(e: EnclaveError) -> Self {
        Self::InvalidArgument(e.to_string())
    }
}

/// The stamp headers of a request (header names are case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct StampHeaders {
    /// `X-Stamp`.
    pub api_key: Option<String>,
    /// `X-Stamp-WebAuthn`.
    pub webauthn: Option<String>,
}

impl StampHeaders {
    /// Reads both headers.
    #[must_use]
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            api_key: get("x-stamp"),
            webauthn: get("x-stamp-webauthn"),
        }
    }

    /// Just an `X-Stamp`.
    #[must_use]
    pub fn api_key(value: String) -> Self {
        Self {
            api_key: Some(value),
            webauthn: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

/// Who stamped a request.
#[derive(Debug, Clone)]
struct Principal {
    user: User,
    public_key: String,
    signature: String,
    scheme: &'static str,
}

/// The sandbox's Turnkey world.
#[derive(Debug)]
pub struct Engine {
    /// The database.
    pub store: Store,
    /// WebAuthn relying party.
    pub rp: RelyingParty,
    /// The enclave signer key that signs export bundles.
    pub signer: P256KeyPair,
    /// The parent organization.
    pub parent_org_id: String,
    /// The platform's root user in the parent organization.
    pub platform_user_id: String,
    /// The platform API key.
    pub platform_key: P256KeyPair,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(rename = "type")]
    activity_type: String,
    timestamp_ms: String,
    organization_id: String,
    #[serde(default)]
    parameters: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiKeyParams {
    api_key_name: String,
    public_key: String,
    #[serde(default)]
    curve_type: Option<String>,
    #[serde(default)]
    expiration_seconds: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticatorParams {
    authenticator_name: String,
    challenge: String,
    attestation: AttestationParams,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RootUserParams {
    user_name: String,
    #[serde(default)]
    user_email: Option<String>,
    #[serde(default)]
    api_keys: Vec<ApiKeyParams>,
    #[serde(default)]
    authenticators: Vec<AuthenticatorParams>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountParams {
    curve: String,
    path_format: String,
    path: String,
    address_format: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WalletParams {
    wallet_name: String,
    #[serde(default)]
    accounts: Vec<AccountParams>,
    #[serde(default)]
    mnemonic_length: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateSubOrgParams {
    sub_organization_name: String,
    root_users: Vec<RootUserParams>,
    root_quorum_threshold: u32,
    #[serde(default)]
    wallet: Option<WalletParams>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatePolicyParams {
    policy_name: String,
    effect: String,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    consensus: Option<String>,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateRootQuorumParams {
    threshold: u32,
    user_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignTransactionParams {
    sign_with: String,
    unsigned_transaction: String,
    #[serde(rename = "type")]
    transaction_type: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignRawPayloadParams {
    sign_with: String,
    payload: String,
    encoding: String,
    hash_function: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportWalletParams {
    wallet_id: String,
    target_public_key: String,
    #[serde(default)]
    language: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportWalletAccountParams {
    address: String,
    target_public_key: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionParams {
    target_public_key: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    api_key_name: Option<String>,
    #[serde(default)]
    expiration_seconds: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VoteParams {
    fingerprint: String,
}

/// A parsed activity intent.
#[derive(Debug, Clone)]
enum Intent {
    CreateSubOrg(CreateSubOrgParams),
    CreatePolicy(CreatePolicyParams),
    UpdateRootQuorum(UpdateRootQuorumParams),
    CreateWallet(WalletParams),
    SignTransaction(SignTransactionParams),
    SignRawPayload(SignRawPayloadParams),
    ExportWallet(ExportWalletParams),
    ExportWalletAccount(ExportWalletAccountParams),
    Session(SessionParams),
    Vote { fingerprint: String, approve: bool },
}

/// The activity types each `/public/v1/submit/<route>` accepts.
fn route_types(route: &str) -> Option<&'static [&'static str]> {
    Some(match route {
        "create_sub_organization" => &[
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7",
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
        ],
        "create_policy" => &["ACTIVITY_TYPE_CREATE_POLICY_V3"],
        "update_root_quorum" => &["ACTIVITY_TYPE_UPDATE_ROOT_QUORUM"],
        "create_wallet" => &["ACTIVITY_TYPE_CREATE_WALLET"],
        "sign_transaction" => &["ACTIVITY_TYPE_SIGN_TRANSACTION_V2"],
        "sign_raw_payload" => &["ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"],
        "export_wallet" => &["ACTIVITY_TYPE_EXPORT_WALLET"],
        "export_wallet_account" => &["ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT"],
        "create_read_write_session" => &["ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2"],
        "approve_activity" => &["ACTIVITY_TYPE_APPROVE_ACTIVITY"],
        "reject_activity" => &["ACTIVITY_TYPE_REJECT_ACTIVITY"],
        _ => return None,
    })
}

fn params<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, ApiError> {
    serde_json::from_value(v.clone())
        .map_err(|e| ApiError::InvalidArgument(format!("invalid parameters: {e}")))
}

impl Intent {
    fn parse(activity_type: &str, p: &Value) -> Result<Self, ApiError> {
        Ok(match activity_type {
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"
            | "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8" => Self::CreateSubOrg(params(p)?),
            "ACTIVITY_TYPE_CREATE_POLICY_V3" => Self::CreatePolicy(params(p)?),
            "ACTIVITY_TYPE_UPDATE_ROOT_QUORUM" => Self::UpdateRootQuorum(params(p)?),
            "ACTIVITY_TYPE_CREATE_WALLET" => Self::CreateWallet(params(p)?),
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2" => Self::SignTransaction(params(p)?),
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2" => Self::SignRawPayload(params(p)?),
            "ACTIVITY_TYPE_EXPORT_WALLET" => Self::ExportWallet(params(p)?),
            "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT" => Self::ExportWalletAccount(params(p)?),
            "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2" => Self::Session(params(p)?),
            "ACTIVITY_TYPE_APPROVE_ACTIVITY" | "ACTIVITY_TYPE_REJECT_ACTIVITY" => {
                let v: VoteParams = params(p)?;
                Self::Vote {
                    fingerprint: v.fingerprint,
                    approve: activity_type == "ACTIVITY_TYPE_APPROVE_ACTIVITY",
                }
            }
            other => {
                return Err(ApiError::InvalidArgument(format!(
                    "unsupported activity type {other}"
                )));
            }
        })
    }
}

fn parse_target(hex: &str) -> Result<UncompressedP256, ApiError> {
    UncompressedP256::from_hex(hex).map_err(|e| {
        ApiError::InvalidArgument(format!(
            "targetPublicKey must be an uncompressed P-256 key in hex: {e}"
        ))
    })
}

fn parse_seconds(s: Option<&str>, default: i64) -> Result<i64, ApiError> {
    match s {
        None | Some("") => Ok(default),
        Some(s) => s.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
            ApiError::InvalidArgument(format!("expirationSeconds {s:?} is not a positive integer"))
        }),
    }
}

/// How an activity's votes and the organization's policies decide it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Decision {
    Execute,
    Reject,
    ConsensusNeeded,
}

impl Engine {
    /// Opens the data directory, creating the parent organization, the platform API key and
    /// the enclave signer on first start.
    ///
    /// # Errors
    /// [`ApiError::Internal`] when storage fails.
    pub fn open(data_dir: &std::path::Path, rp: RelyingParty) -> Result<Self, ApiError> {
        let store = Store::open(data_dir)?;
        let (parent_org_id, platform_user_id, platform_hex, signer_hex) = store.tx(|db| {
            let signer_hex = match db.meta("enclave_signer_private_key")? {
                Some(h) => h,
                None => {
                    let k = P256KeyPair::generate();
                    let h = k.private_key_hex().to_string();
                    db.set_meta("enclave_signer_private_key", &h)?;
                    h
                }
            };
            if let (Some(org), Some(user), Some(key)) = (
                db.meta("parent_org_id")?,
                db.meta("platform_user_id")?,
                db.meta("platform_private_key")?,
            ) {
                return Ok((org, user, key, signer_hex));
            }
            let key = P256KeyPair::generate();
            let now = now_ms();
            let org_id = new_id();
            let user = User {
                id: new_id(),
                org_id: org_id.clone(),
                name: "platform".to_owned(),
                email: None,
                api_keys: vec![ApiKey {
                    id: new_id(),
                    name: "platform-api-key".to_owned(),
                    public_key: key.public_key_compressed().to_hex(),
                    expires_at_ms: None,
                    created_ms: now,
                }],
                authenticators: vec![],
                created_ms: now,
                updated_ms: now,
            };
            db.put(&Organization {
                id: org_id.clone(),
                name: "Sandbox Platform".to_owned(),
                parent_id: None,
                root_quorum: RootQuorum {
                    threshold: 1,
                    user_ids: vec![user.id.clone()],
                },
                created_ms: now,
            })?;
            db.put(&user)?;
            let hex = key.private_key_hex().to_string();
            db.set_meta("parent_org_id", &org_id)?;
            db.set_meta("platform_user_id", &user.id)?;
            db.set_meta("platform_private_key", &hex)?;
            Ok((org_id, user.id, hex, signer_hex))
        })?;
        let platform_key =
            P256KeyPair::from_private_hex(&platform_hex).map_err(ApiError::internal)?;
        let signer = P256KeyPair::from_private_hex(&signer_hex).map_err(ApiError::internal)?;
        let key_file = data_dir.join("platform-api-key.json");
        let contents = json!({
            "publicKey": platform_key.public_key_compressed().to_hex(),
            "privateKey": platform_hex,
            "organizationId": parent_org_id,
        });
        std::fs::write(&key_file, format!("{contents:#}\n")).map_err(ApiError::internal)?;
        Ok(Self {
            store,
            rp,
            signer,
            parent_org_id,
            platform_user_id,
            platform_key,
        })
    }

    fn org(db: &Db<'_>, id: &str) -> Result<Organization, ApiError> {
        db.get::<Organization>(id)?
            .ok_or_else(|| ApiError::NotFound(format!("organization {id} not found")))
    }

    fn authenticate(
        &self,
        db: &Db<'_>,
        stamp: &StampHeaders,
        body: &str,
        org: &Organization,
        access: Access,
    ) -> Result<Principal, ApiError> {
        let mut scopes = vec![(org.id.clone(), true)];
        if let Some(parent) = &org.parent_id {
            scopes.push((parent.clone(), false));
        }
        if let Some(value) = &stamp.api_key {
            let public = quorum_kit::stamp::api_key::verify_api_key_stamp(value, body)
                .map_err(|e| ApiError::Unauthenticated(format!("invalid X-Stamp: {e}")))?;
            let hex = public.to_hex();
            let signature = base64url_decode(value)
                .ok()
                .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok())
                .and_then(|v| {
                    v.get("signature")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            for (scope, own) in &scopes {
                for user in db.list_by_org::<User>(scope)? {
                    if let Some(key) = user.api_keys.iter().find(|k| k.public_key == hex) {
                        if key.expires_at_ms.is_some_and(|e| e <= now_ms()) {
                            return Err(ApiError::Unauthenticated(format!(
                                "API key {} has expired",
                                key.id
                            )));
                        }
                        if !own && access == Access::Write {
                            return Err(ApiError::PermissionDenied(format!(
                                "the key belongs to the parent organization {scope}, which can read organization {} but not act in it",
                                org.id
                            )));
                        }
                        return Ok(Principal {
                            user,
                            public_key: hex,
                            signature,
                            scheme: "SIGNATURE_SCHEME_TK_API_P256",
                        });
                    }
                }
            }
            return Err(ApiError::Unauthenticated(format!(
                "could not find public key {hex} in organization {}",
                org.id
            )));
        }
        if let Some(value) = &stamp.webauthn {
            let parsed = WebauthnStampValue::parse(value)
                .and_then(|v| v.to_assertion())
                .map_err(|e| ApiError::Unauthenticated(format!("invalid X-Stamp-WebAuthn: {e}")))?;
            let credential_id = quorum_kit::encoding::base64url_encode(&parsed.credential_id);
            for (scope, own) in &scopes {
                for mut user in db.list_by_org::<User>(scope)? {
                    let Some(auth) = user
                        .authenticators
                        .iter_mut()
                        .find(|a| a.credential_id == credential_id)
                    else {
                        continue;
                    };
                    let key =
                        UncompressedP256::from_hex(&auth.public_key).map_err(ApiError::internal)?;
                    let count =
                        webauthn::verify_assertion(&parsed, body, &key, auth.sign_count, &self.rp)
                            .map_err(|e| {
                                ApiError::Unauthenticated(format!("invalid X-Stamp-WebAuthn: {e}"))
                            })?;
                    if !own && access == Access::Write {
                        return Err(ApiError::PermissionDenied(format!(
                            "the passkey belongs to the parent organization {scope}, which can read organization {} but not act in it",
                            org.id
                        )));
                    }
                    auth.sign_count = count;
                    let public_key = auth.public_key.clone();
                    db.put(&user)?;
                    return Ok(Principal {
                        user,
                        public_key,
                        signature: quorum_kit::encoding::base64url_encode(&parsed.signature),
                        scheme: "SIGNATURE_SCHEME_TK_API_P256",
                    });
                }
            }
            return Err(ApiError::Unauthenticated(format!(
                "could not find credential {credential_id} in organization {}",
                org.id
            )));
        }
        Err(ApiError::Unauthenticated(
            "the request is not stamped: send X-Stamp or X-Stamp-WebAuthn".to_owned(),
        ))
    }

    fn render(db: &Db<'_>, activity: &Activity, viewer: Option<&str>) -> Result<Value, ApiError> {
        let users = db.list_by_org::<User>(&activity.org_id)?;
        Ok(activity.to_json(viewer, &users))
    }

    /// Handles `POST /public/v1/query/<name>`.
    ///
    /// # Errors
    /// Turnkey-shaped errors for bad stamps, bad bodies and unknown resources.
    pub fn query(&self, name: &str, stamp: &StampHeaders, body: &str) -> Result<Value, ApiError> {
        let req: Value = serde_json::from_str(body)
            .map_err(|e| ApiError::InvalidArgument(format!("the body is not JSON: {e}")))?;
        let str_field = |k: &str| -> Result<String, ApiError> {
            req.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ApiError::InvalidArgument(format!("missing {k}")))
        };
        let org_id = str_field("organizationId")?;
        self.store.tx(|db| {
            let org = Self::org(db, &org_id)?;
            let who = self.authenticate(db, stamp, body, &org, Access::Read)?;
            let viewer = Some(who.user.id.as_str());
            Ok(match name {
                "whoami" => {
                    let home = Self::org(db, &who.user.org_id)?;
                    json!({
                        "organizationId": home.id,
                        "organizationName": home.name,
                        "userId": who.user.id,
                        "username": who.user.name,
                    })
                }
                "get_activity" => {
                    let id = str_field("activityId")?;
                    let a = db
                        .get::<Activity>(&id)?
                        .filter(|a| a.org_id == org.id)
                        .ok_or_else(|| ApiError::NotFound(format!("activity {id} not found")))?;
                    json!({ "activity": Self::render(db, &a, viewer)? })
                }
                "list_activities" => {
                    let statuses: Vec<String> = req
                        .get("filterByStatus")
                        .and_then(|v| serde_json::from_value(v.clone()).ok())
                        .unwrap_or_default();
                    let types: Vec<String> = req
                        .get("filterByType")
                        .and_then(|v| serde_json::from_value(v.clone()).ok())
                        .unwrap_or_default();
                    let users = db.list_by_org::<User>(&org.id)?;
                    let mut list: Vec<Value> = db
                        .list_by_org::<Activity>(&org.id)?
                        .into_iter()
                        .filter(|a| statuses.is_empty() || statuses.contains(&a.status))
                        .filter(|a| types.is_empty() || types.contains(&a.activity_type))
                        .map(|a| a.to_json(viewer, &users))
                        .collect();
                    list.reverse();
                    json!({ "activities": list })
                }
                "get_wallets" => json!({
                    "wallets": db.list_by_org::<Wallet>(&org.id)?.iter().map(Wallet::to_json).collect::<Vec<_>>()
                }),
                "get_wallet" => {
                    let w = Self::wallet(db, &org.id, &str_field("walletId")?)?;
                    json!({ "wallet": w.to_json() })
                }
                "get_wallet_accounts" => {
                    let wallets = match req.get("walletId").and_then(Value::as_str) {
                        Some(id) => vec![Self::wallet(db, &org.id, id)?],
                        None => db.list_by_org::<Wallet>(&org.id)?,
                    };
                    let accounts: Vec<Value> = wallets
                        .iter()
                        .flat_map(|w| w.accounts.iter().map(|a| w.account_json(a)))
                        .collect();
                    json!({ "accounts": accounts })
                }
                "get_users" => json!({
                    "users": db.list_by_org::<User>(&org.id)?.iter().map(User::to_json).collect::<Vec<_>>()
                }),
                "get_user" => {
                    let id = str_field("userId")?;
                    let u = db
                        .get::<User>(&id)?
                        .filter(|u| u.org_id == org.id)
                        .ok_or_else(|| ApiError::NotFound(format!("user {id} not found")))?;
                    json!({ "user": u.to_json() })
                }
                "get_policies" => json!({
                    "policies": db.list_by_org::<Policy>(&org.id)?.iter().map(Policy::to_json).collect::<Vec<_>>()
                }),
                "get_policy" => {
                    let id = str_field("policyId")?;
                    let p = db
                        .get::<Policy>(&id)?
                        .filter(|p| p.org_id == org.id)
                        .ok_or_else(|| ApiError::NotFound(format!("policy {id} not found")))?;
                    json!({ "policy": p.to_json() })
                }
                "get_organization_configs" => json!({
                    "configs": {
                        "features": [],
                        "quorum": { "threshold": org.root_quorum.threshold, "userIds": org.root_quorum.user_ids },
                    }
                }),
                "get_sub_org_ids" => {
                    let kind = req.get("filterType").and_then(Value::as_str).unwrap_or_default();
                    let value = req.get("filterValue").and_then(Value::as_str).unwrap_or_default();
                    let mut ids = Vec::new();
                    for sub in db.list_by_org::<Organization>(&org.id)? {
                        if Self::sub_org_matches(db, &sub, kind, value)? {
                            ids.push(sub.id);
                        }
                    }
                    json!({ "organizationIds": ids })
                }
                other => return Err(ApiError::NotFound(format!("unknown query {other}"))),
            })
        })
    }

    /// `get_sub_org_ids` filters.
    fn sub_org_matches(
        db: &Db<'_>,
        sub: &Organization,
        kind: &str,
        value: &str,
    ) -> Result<bool, ApiError> {
        if kind.is_empty() {
            return Ok(true);
        }
        if kind == "NAME" {
            return Ok(sub.name == value);
        }
        let users = db.list_by_org::<User>(&sub.id)?;
        let any = |f: &dyn Fn(&User) -> bool| users.iter().any(f);
        Ok(match kind {
            "USERNAME" => any(&|u| u.name == value),
            "EMAIL" => any(&|u| u.email.as_deref() == Some(value)),
            "CREDENTIAL_ID" => any(&|u| {
                u.authenticators
                    .iter()
                    .any(|a| a.credential_id == value.trim_end_matches('='))
            }),
            "PUBLIC_KEY" => any(&|u| {
                u.api_keys
                    .iter()
                    .any(|k| k.public_key.eq_ignore_ascii_case(value))
                    || u.authenticators
                        .iter()
                        .any(|a| a.public_key.eq_ignore_ascii_case(value))
            }),
            other => {
                return Err(ApiError::InvalidArgument(format!(
                    "filterType {other} is not supported (NAME, USERNAME, EMAIL, CREDENTIAL_ID, PUBLIC_KEY)"
                )));
            }
        })
    }

    fn wallet(db: &Db<'_>, org_id: &str, id: &str) -> Result<Wallet, ApiError> {
        db.get::<Wallet>(id)?
            .filter(|w| w.org_id == org_id)
            .ok_or_else(|| ApiError::NotFound(format!("wallet {id} not found")))
    }

    fn account(
        db: &Db<'_>,
        org_id: &str,
        address: &str,
    ) -> Result<(Wallet, WalletAccount), ApiError> {
        for w in db.list_by_org::<Wallet>(org_id)? {
            if let Some(a) = w
                .accounts
                .iter()
                .find(|a| a.address.eq_ignore_ascii_case(address))
            {
                let a = a.clone();
                return Ok((w, a));
            }
        }
        Err(ApiError::NotFound(format!(
            "no wallet account {address} in organization {org_id}"
        )))
    }

    /// Handles `POST /public/v1/submit/<route>`; returns `{"activity": …}`.
    ///
    /// # Errors
    /// Turnkey-shaped errors; a refused request changes nothing.
    pub fn submit(&self, route: &str, stamp: &StampHeaders, body: &str) -> Result<Value, ApiError> {
        let env: Envelope = serde_json::from_str(body)
            .map_err(|e| ApiError::InvalidArgument(format!("invalid request body: {e}")))?;
        let allowed = route_types(route)
            .ok_or_else(|| ApiError::NotFound(format!("unknown endpoint {route}")))?;
        if !allowed.contains(&env.activity_type.as_str()) {
            return Err(ApiError::InvalidArgument(format!(
                "{route} takes type {}, not {}",
                allowed.join(" or "),
                env.activity_type
            )));
        }
        let fingerprint = quorum_kit::activity::fingerprint(body);
        self.store.tx(|db| {
            let org = Self::org(db, &env.organization_id)?;
            let who = self.authenticate(db, stamp, body, &org, Access::Write)?;
            let ts: i64 = env
                .timestamp_ms
                .parse()
                .map_err(|_| ApiError::InvalidArgument("timestampMs must be a string of milliseconds".to_owned()))?;
            let now = now_ms();
            if ts < now - TIMESTAMP_MAX_AGE_MS || ts > now + TIMESTAMP_MAX_FUTURE_MS {
                return Err(ApiError::InvalidArgument(format!(
                    "timestampMs {ts} is outside the accepted window (1 h in the past, 5 min in the future)"
                )));
            }
            if let Some(existing) = db.find::<Activity>(&activity_lookup(&org.id, &fingerprint))? {
                let shown = match &existing.target_activity_id {
                    Some(t) => db.get::<Activity>(t)?.unwrap_or(existing),
                    None => existing,
                };
                return Ok(json!({ "activity": Self::render(db, &shown, Some(&who.user.id))? }));
            }
            let intent = Intent::parse(&env.activity_type, &env.parameters)?;
            let vote = Vote {
                id: new_id(),
                user_id: who.user.id.clone(),
                selection: VOTE_APPROVED.to_owned(),
                message: body.to_owned(),
                public_key: who.public_key.clone(),
                signature: who.signature.clone(),
                scheme: who.scheme.to_owned(),
                created_ms: now,
            };
            let mut activity = Activity {
                id: new_id(),
                org_id: org.id.clone(),
                status: status::COMPLETED.to_owned(),
                activity_type: env.activity_type.clone(),
                parameters: env.parameters.clone(),
                result: None,
                votes: vec![vote.clone()],
                fingerprint: fingerprint.clone(),
                failure: None,
                target_activity_id: None,
                created_ms: now,
                updated_ms: now,
            };
            if let Intent::Vote { fingerprint: target_fp, approve } = &intent {
                let target = self.vote(db, &org, target_fp, *approve, vote)?;
                activity.target_activity_id = Some(target.id.clone());
                db.put(&activity)?;
                return Ok(json!({ "activity": Self::render(db, &target, Some(&who.user.id))? }));
            }
            self.validate(db, &org, &intent, &who)?;
            match self.decide(db, &org, &activity, &intent)? {
                Decision::Execute => self.run(db, &org, &mut activity, &intent)?,
                Decision::Reject => activity.status = status::REJECTED.to_owned(),
                Decision::ConsensusNeeded => activity.status = status::CONSENSUS_NEEDED.to_owned(),
            }
            db.put(&activity)?;
            Ok(json!({ "activity": Self::render(db, &activity, Some(&who.user.id))? }))
        })
    }

    fn vote(
        &self,
        db: &Db<'_>,
        org: &Organization,
        target_fp: &str,
        approve: bool,
        mut vote: Vote,
    ) -> Result<Activity, ApiError> {
        let mut target = db
            .find::<Activity>(&activity_lookup(&org.id, target_fp))?
            .filter(|a| a.target_activity_id.is_none())
            .ok_or_else(|| {
                ApiError::NotFound(format!(
                    "no activity with fingerprint {target_fp} in organization {}",
                    org.id
                ))
            })?;
        if target.status != status::CONSENSUS_NEEDED {
            return Err(ApiError::FailedPrecondition(format!(
                "activity {} is {}, not awaiting consensus",
                target.id, target.status
            )));
        }
        let first = target
            .votes
            .first()
            .map_or(target.created_ms, |v| v.created_ms);
        if vote.created_ms > first + APPROVAL_WINDOW_MS {
            return Err(ApiError::FailedPrecondition(format!(
                "activity {} can no longer be voted on: approvals expire 24 h after the first vote",
                target.id
            )));
        }
        if target.votes.iter().any(|v| v.user_id == vote.user_id) {
            return Err(ApiError::FailedPrecondition(format!(
                "user {} has already voted on activity {}",
                vote.user_id, target.id
            )));
        }
        if !approve {
            VOTE_REJECTED.clone_into(&mut vote.selection);
        }
        target.votes.push(vote);
        target.updated_ms = now_ms();
        let intent = Intent::parse(&target.activity_type, &target.parameters)?;
        match self.decide(db, org, &target, &intent)? {
            Decision::Execute => self.run(db, org, &mut target, &intent)?,
            Decision::Reject => target.status = status::REJECTED.to_owned(),
            Decision::ConsensusNeeded => {}
        }
        db.put(&target)?;
        Ok(target)
    }

    /// The wallet an activity touches, for `wallet.id` in policies.
    fn wallet_of(
        db: &Db<'_>,
        org: &Organization,
        intent: &Intent,
    ) -> Result<Option<String>, ApiError> {
        let address = match intent {
            Intent::ExportWallet(p) => return Ok(Some(p.wallet_id.clone())),
            Intent::ExportWalletAccount(p) => &p.address,
            Intent::SignTransaction(p) => &p.sign_with,
            Intent::SignRawPayload(p) => &p.sign_with,
            _ => return Ok(None),
        };
        Ok(Self::account(db, &org.id, address).ok().map(|(w, _)| w.id))
    }

    fn decide(
        &self,
        db: &Db<'_>,
        org: &Organization,
        a: &Activity,
        intent: &Intent,
    ) -> Result<Decision, ApiError> {
        let approvers: Vec<String> = a
            .votes
            .iter()
            .filter(|v| v.selection == VOTE_APPROVED)
            .map(|v| v.user_id.clone())
            .collect();
        let root = &org.root_quorum;
        let root_approvals = root
            .user_ids
            .iter()
            .filter(|u| approvers.contains(u))
            .count();
        if root_approvals >= root.threshold as usize {
            return Ok(Decision::Execute);
        }
        let wallet_id = Self::wallet_of(db, org, intent)?;
        let ctx = policy::Context {
            activity_type: &a.activity_type,
            wallet_id: wallet_id.as_deref(),
            approvers: &approvers,
        };
        let holds = |src: &Option<String>| match src.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(s) => policy::parse(s)
                .map(|e| policy::eval(&e, &ctx))
                .unwrap_or(false),
        };
        let mut allowed = false;
        for p in db.list_by_org::<Policy>(&org.id)? {
            if holds(&p.condition) && holds(&p.consensus) {
                if p.effect == "EFFECT_DENY" {
                    return Ok(Decision::Reject);
                }
                allowed = true;
            }
        }
        if allowed {
            return Ok(Decision::Execute);
        }
        let root_rejections = a
            .votes
            .iter()
            .filter(|v| v.selection == VOTE_REJECTED && root.user_ids.contains(&v.user_id))
            .count();
        if root.user_ids.len().saturating_sub(root_rejections) < root.threshold as usize {
            return Ok(Decision::Reject);
        }
        Ok(Decision::ConsensusNeeded)
    }

    /// Checks parameters against the organization before an activity is recorded, so bad
    /// input is refused with nothing stored.
    fn validate(
        &self,
        db: &Db<'_>,
        org: &Organization,
        intent: &Intent,
        who: &Principal,
    ) -> Result<(), ApiError> {
        match intent {
            Intent::CreateSubOrg(p) => {
                if org.parent_id.is_some() {
                    return Err(ApiError::InvalidArgument(
                        "a sub-organization cannot create sub-organizations".to_owned(),
                    ));
                }
                self.build_root_users(p, "validation")?;
                if let Some(w) = &p.wallet {
                    Self::check_wallet_params(w)?;
                }
            }
            Intent::CreatePolicy(p) => {
                Self::check_policy(p)?;
            }
            Intent::UpdateRootQuorum(p) => {
                Self::check_quorum(db, org, p)?;
            }
            Intent::CreateWallet(w) => Self::check_wallet_params(w)?,
            Intent::SignTransaction(p) => {
                let (_, acc) = Self::account(db, &org.id, &p.sign_with)?;
                if acc.curve != "CURVE_SECP256K1" {
                    return Err(ApiError::InvalidArgument(format!(
                        "{} is a {} account; only secp256k1 accounts sign Ethereum transactions",
                        acc.address, acc.curve
                    )));
                }
                if p.transaction_type != "TRANSACTION_TYPE_ETHEREUM" {
                    return Err(ApiError::InvalidArgument(format!(
                        "transaction type {} is not supported (only TRANSACTION_TYPE_ETHEREUM)",
                        p.transaction_type
                    )));
                }
                let raw =
                    hex::decode(p.unsigned_transaction.trim_start_matches("0x")).map_err(|e| {
                        ApiError::InvalidArgument(format!("unsignedTransaction is not hex: {e}"))
                    })?;
                enclave::parse_eip1559(&raw)?;
            }
            Intent::SignRawPayload(p) => {
                let (_, acc) = Self::account(db, &org.id, &p.sign_with)?;
                enclave::check_raw_payload(&acc.curve, &p.payload, &p.encoding, &p.hash_function)?;
            }
            Intent::ExportWallet(p) => {
                Self::wallet(db, &org.id, &p.wallet_id)?;
                parse_target(&p.target_public_key)?;
                if p.language
                    .as_deref()
                    .is_some_and(|l| l != "MNEMONIC_LANGUAGE_ENGLISH")
                {
                    return Err(ApiError::InvalidArgument(
                        "only MNEMONIC_LANGUAGE_ENGLISH is supported".to_owned(),
                    ));
                }
            }
            Intent::ExportWalletAccount(p) => {
                Self::account(db, &org.id, &p.address)?;
                parse_target(&p.target_public_key)?;
            }
            Intent::Session(p) => {
                parse_target(&p.target_public_key)?;
                parse_seconds(p.expiration_seconds.as_deref(), 900)?;
                if let Some(u) = &p.user_id {
                    if u != &who.user.id {
                        db.get::<User>(u)?
                            .filter(|x| x.org_id == org.id)
                            .ok_or_else(|| ApiError::NotFound(format!("user {u} not found")))?;
                    }
                }
            }
            Intent::Vote { .. } => {}
        }
        Ok(())
    }

    fn check_policy(p: &CreatePolicyParams) -> Result<(), ApiError> {
        if p.effect != "EFFECT_ALLOW" && p.effect != "EFFECT_DENY" {
            return Err(ApiError::InvalidArgument(format!(
                "effect must be EFFECT_ALLOW or EFFECT_DENY, not {:?}",
                p.effect
            )));
        }
        if p.policy_name.trim().is_empty() {
            return Err(ApiError::InvalidArgument(
                "policyName must not be empty".to_owned(),
            ));
        }
        for (what, src) in [("condition", &p.condition), ("consensus", &p.consensus)] {
            if let Some(s) = src.as_deref().filter(|s| !s.trim().is_empty()) {
                let e = policy::parse(s).map_err(|e| {
                    ApiError::InvalidArgument(format!("invalid policy {what}: {e}"))
                })?;
                if what == "condition" && policy::mentions_approvers(&e) {
                    return Err(ApiError::InvalidArgument(
                        "invalid policy condition: approvers belong in consensus".to_owned(),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_quorum(
        db: &Db<'_>,
        org: &Organization,
        p: &UpdateRootQuorumParams,
    ) -> Result<(), ApiError> {
        if p.threshold == 0 || p.threshold as usize > p.user_ids.len() {
            return Err(ApiError::InvalidArgument(format!(
                "threshold {} must be between 1 and the number of users ({})",
                p.threshold,
                p.user_ids.len()
            )));
        }
        for u in &p.user_ids {
            db.get::<User>(u)?
                .filter(|x| x.org_id == org.id)
                .ok_or_else(|| {
                    ApiError::InvalidArgument(format!("user {u} is not in organization {}", org.id))
                })?;
        }
        Ok(())
    }

    fn check_wallet_params(w: &WalletParams) -> Result<(), ApiError> {
        let words = w.mnemonic_length.unwrap_or(12);
        if ![12, 15, 18, 21, 24].contains(&words) {
            return Err(ApiError::InvalidArgument(format!(
                "mnemonicLength {words} is not 12, 15, 18, 21 or 24"
            )));
        }
        // Derive each account from a throwaway mnemonic to validate curve, path and format.
        let probe = "test test test test test test test test test test test junk";
        for a in &w.accounts {
            if a.path_format != "PATH_FORMAT_BIP32" {
                return Err(ApiError::InvalidArgument(format!(
                    "pathFormat {} is not supported",
                    a.path_format
                )));
            }
            enclave::derive(probe, &a.curve, &a.path, &a.address_format)?;
        }
        Ok(())
    }

    fn build_root_users(
        &self,
        p: &CreateSubOrgParams,
        org_id: &str,
    ) -> Result<Vec<User>, ApiError> {
        if p.root_users.is_empty() {
            return Err(ApiError::InvalidArgument(
                "rootUsers must not be empty".to_owned(),
            ));
        }
        if p.root_quorum_threshold == 0 || p.root_quorum_threshold as usize > p.root_users.len() {
            return Err(ApiError::InvalidArgument(format!(
                "rootQuorumThreshold {} must be between 1 and the number of root users ({})",
                p.root_quorum_threshold,
                p.root_users.len()
            )));
        }
        if p.sub_organization_name.trim().is_empty() {
            return Err(ApiError::InvalidArgument(
                "subOrganizationName must not be empty".to_owned(),
            ));
        }
        let now = now_ms();
        p.root_users
            .iter()
            .map(|u| {
                let api_keys = u
                    .api_keys
                    .iter()
                    .map(|k| {
                        if let Some(c) = &k.curve_type {
                            if c != "API_KEY_CURVE_P256" {
                                return Err(ApiError::InvalidArgument(format!(
                                    "API key curve {c} is not supported (only API_KEY_CURVE_P256)"
                                )));
                            }
                        }
                        let public = CompressedP256::from_hex(&k.public_key).map_err(|e| {
                            ApiError::InvalidArgument(format!("API key {:?}: {e}", k.api_key_name))
                        })?;
                        let expires = match k.expiration_seconds.as_deref() {
                            None | Some("") => None,
                            s => Some(now + parse_seconds(s, 0)? * 1000),
                        };
                        Ok(ApiKey {
                            id: new_id(),
                            name: k.api_key_name.clone(),
                            public_key: public.to_hex(),
                            expires_at_ms: expires,
                            created_ms: now,
                        })
                    })
                    .collect::<Result<Vec<_>, ApiError>>()?;
                let authenticators = u
                    .authenticators
                    .iter()
                    .map(|a| {
                        let cred =
                            webauthn::verify_registration(&a.attestation, &a.challenge, &self.rp)
                                .map_err(|e| {
                                ApiError::InvalidArgument(format!(
                                    "authenticator {:?}: {e}",
                                    a.authenticator_name
                                ))
                            })?;
                        Ok(Authenticator {
                            id: new_id(),
                            name: a.authenticator_name.clone(),
                            credential_id: cred.credential_id,
                            public_key: cred.public_key.to_hex(),
                            sign_count: cred.sign_count,
                            transports: a.attestation.transports.clone(),
                            aaguid: cred.aaguid,
                            attestation_format: cred.format,
                            created_ms: now,
                        })
                    })
                    .collect::<Result<Vec<_>, ApiError>>()?;
                Ok(User {
                    id: new_id(),
                    org_id: org_id.to_owned(),
                    name: u.user_name.clone(),
                    email: u.user_email.clone(),
                    api_keys,
                    authenticators,
                    created_ms: now,
                    updated_ms: now,
                })
            })
            .collect()
    }

    fn create_wallet(db: &Db<'_>, org_id: &str, w: &WalletParams) -> Result<Wallet, ApiError> {
        Self::check_wallet_params(w)?;
        let words = usize::try_from(w.mnemonic_length.unwrap_or(12)).unwrap_or(12);
        let mnemonic = enclave::generate_mnemonic(words)?;
        let now = now_ms();
        let accounts = w
            .accounts
            .iter()
            .map(|a| {
                let d = enclave::derive(&mnemonic, &a.curve, &a.path, &a.address_format)?;
                Ok(WalletAccount {
                    id: new_id(),
                    curve: a.curve.clone(),
                    path_format: a.path_format.clone(),
                    path: a.path.clone(),
                    address_format: a.address_format.clone(),
                    address: d.address,
                    public_key: d.public_key,
                    created_ms: now,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let wallet = Wallet {
            id: new_id(),
            org_id: org_id.to_owned(),
            name: w.wallet_name.clone(),
            mnemonic: mnemonic.to_string(),
            accounts,
            exported: false,
            created_ms: now,
        };
        db.put(&wallet)?;
        Ok(wallet)
    }

    /// Executes an approved activity; a failure marks it FAILED and rolls back its effects.
    fn run(
        &self,
        db: &Db<'_>,
        org: &Organization,
        a: &mut Activity,
        intent: &Intent,
    ) -> Result<(), ApiError> {
        db.savepoint()?;
        let (_, result_key) = intent_and_result_keys(&a.activity_type);
        match self.execute(db, org, a, intent) {
            Ok(result) => {
                db.release()?;
                a.status = status::COMPLETED.to_owned();
                a.result = Some(json!({ result_key: result }));
            }
            Err(e) => {
                db.rollback_to_savepoint()?;
                a.status = status::FAILED.to_owned();
                a.failure =
                    Some(json!({ "code": e.grpc_code(), "message": e.to_string(), "details": [] }));
            }
        }
        a.updated_ms = now_ms();
        Ok(())
    }

    fn execute(
        &self,
        db: &Db<'_>,
        org: &Organization,
        a: &Activity,
        intent: &Intent,
    ) -> Result<Value, ApiError> {
        let initiator = a
            .votes
            .first()
            .map(|v| v.user_id.clone())
            .unwrap_or_default();
        match intent {
            Intent::CreateSubOrg(p) => {
                let sub_id = new_id();
                let users = self.build_root_users(p, &sub_id)?;
                let now = now_ms();
                db.put(&Organization {
                    id: sub_id.clone(),
                    name: p.sub_organization_name.clone(),
                    parent_id: Some(org.id.clone()),
                    root_quorum: RootQuorum {
                        threshold: p.root_quorum_threshold,
                        user_ids: users.iter().map(|u| u.id.clone()).collect(),
                    },
                    created_ms: now,
                })?;
                for u in &users {
                    db.put(u)?;
                }
                let wallet = match &p.wallet {
                    Some(w) => {
                        let w = Self::create_wallet(db, &sub_id, w)?;
                        json!({ "walletId": w.id, "addresses": w.accounts.iter().map(|a| a.address.clone()).collect::<Vec<_>>() })
                    }
                    None => Value::Null,
                };
                Ok(json!({
                    "subOrganizationId": sub_id,
                    "wallet": wallet,
                    "rootUserIds": users.iter().map(|u| u.id.clone()).collect::<Vec<_>>(),
                }))
            }
            Intent::CreatePolicy(p) => {
                Self::check_policy(p)?;
                let policy = Policy {
                    id: new_id(),
                    org_id: org.id.clone(),
                    name: p.policy_name.clone(),
                    effect: p.effect.clone(),
                    condition: p.condition.clone().filter(|s| !s.trim().is_empty()),
                    consensus: p.consensus.clone().filter(|s| !s.trim().is_empty()),
                    notes: p.notes.clone().unwrap_or_default(),
                    created_ms: now_ms(),
                };
                db.put(&policy)?;
                Ok(json!({ "policyId": policy.id }))
            }
            Intent::UpdateRootQuorum(p) => {
                Self::check_quorum(db, org, p)?;
                let mut o = Self::org(db, &org.id)?;
                o.root_quorum = RootQuorum {
                    threshold: p.threshold,
                    user_ids: p.user_ids.clone(),
                };
                db.put(&o)?;
                Ok(json!({}))
            }
            Intent::CreateWallet(w) => {
                let w = Self::create_wallet(db, &org.id, w)?;
                Ok(
                    json!({ "walletId": w.id, "addresses": w.accounts.iter().map(|a| a.address.clone()).collect::<Vec<_>>() }),
                )
            }
            Intent::SignTransaction(p) => {
                let (w, acc) = Self::account(db, &org.id, &p.sign_with)?;
                let d = enclave::derive(&w.mnemonic, &acc.curve, &acc.path, &acc.address_format)?;
                let raw =
                    hex::decode(p.unsigned_transaction.trim_start_matches("0x")).map_err(|e| {
                        ApiError::InvalidArgument(format!("unsignedTransaction is not hex: {e}"))
                    })?;
                let signed = enclave::sign_eip1559(d.key.secp256k1("sign_transaction")?, &raw)?;
                Ok(json!({ "signedTransaction": hex_encode(&signed) }))
            }
            Intent::SignRawPayload(p) => {
                let (w, acc) = Self::account(db, &org.id, &p.sign_with)?;
                let d = enclave::derive(&w.mnemonic, &acc.curve, &acc.path, &acc.address_format)?;
                let sig = d.key.sign_raw(&p.payload, &p.encoding, &p.hash_function)?;
                Ok(
                    json!({ "r": hex_encode(&sig.r), "s": hex_encode(&sig.s), "v": format!("{:02x}", sig.v) }),
                )
            }
            Intent::ExportWallet(p) => {
                let mut w = Self::wallet(db, &org.id, &p.wallet_id)?;
                let target = parse_target(&p.target_public_key)?;
                let bundle =
                    enclave::export_bundle(w.mnemonic.as_bytes(), &target, &org.id, &self.signer)?;
                w.exported = true;
                db.put(&w)?;
                Ok(json!({ "walletId": w.id, "exportBundle": bundle }))
            }
            Intent::ExportWalletAccount(p) => {
                let (w, acc) = Self::account(db, &org.id, &p.address)?;
                let target = parse_target(&p.target_public_key)?;
                let d = enclave::derive(&w.mnemonic, &acc.curve, &acc.path, &acc.address_format)?;
                let secret = d.key.private_bytes();
                let bundle = enclave::export_bundle(&secret, &target, &org.id, &self.signer)?;
                Ok(json!({ "address": acc.address, "exportBundle": bundle }))
            }
            Intent::Session(p) => {
                let target = parse_target(&p.target_public_key)?;
                let user_id = p.user_id.clone().unwrap_or(initiator);
                let mut user = db
                    .get::<User>(&user_id)?
                    .filter(|u| u.org_id == org.id)
                    .ok_or_else(|| ApiError::NotFound(format!("user {user_id} not found")))?;
                let seconds = parse_seconds(p.expiration_seconds.as_deref(), 900)?;
                let key = P256KeyPair::generate();
                let now = now_ms();
                let api_key = ApiKey {
                    id: new_id(),
                    name: p
                        .api_key_name
                        .clone()
                        .unwrap_or_else(|| format!("Read Write Session - {now}")),
                    public_key: key.public_key_compressed().to_hex(),
                    expires_at_ms: Some(now + seconds * 1000),
                    created_ms: now,
                };
                let bundle = enclave::credential_bundle(key.private_key_bytes().as_ref(), &target)?;
                let api_key_id = api_key.id.clone();
                user.api_keys.push(api_key);
                user.updated_ms = now;
                db.put(&user)?;
                Ok(json!({
                    "organizationId": org.id,
                    "organizationName": org.name,
                    "userId": user.id,
                    "username": user.name,
                    "apiKeyId": api_key_id,
                    "credentialBundle": bundle,
                }))
            }
            Intent::Vote { .. } => Ok(json!({})),
        }
    }

    /// Activities awaiting consensus in an organization (for the platform's co-signer).
    ///
    /// # Errors
    /// Storage failures.
    pub fn pending(&self, org_id: &str) -> Result<Vec<Activity>, ApiError> {
        self.store.tx(|db| {
            Ok(db
                .list_by_org::<Activity>(org_id)?
                .into_iter()
                .filter(|a| a.status == status::CONSENSUS_NEEDED)
                .collect())
        })
    }
}
