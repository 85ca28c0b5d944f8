//! The demo platform backend: the role a platform plays in Turnkey's wallet-as-a-service guide.
//! It owns the parent organization and the platform API key, signs users up with the staged
//! flow, and co-signs (or refuses) its users' activities by its rules.

use std::collections::HashMap;
use std::sync::Arc;

use quorum_kit::stamp::ApiKeyStamper;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::enclave;
use crate::engine::{Engine, StampHeaders};
use crate::error::ApiError;
use crate::model::{Activity, new_id, now_ms, status};
use crate::store::{Record, Table};
use crate::webauthn::AttestationParams;

/// A user of the platform and the sub-organization that holds their wallet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformUser {
    /// The platform's own id for the user.
    pub user_id: String,
    /// Display name.
    pub user_name: String,
    /// Email, if given.
    pub email: Option<String>,
    /// The user's sub-organization.
    pub sub_organization_id: String,
    /// The Turnkey user id of the passkey user.
    pub end_user_id: String,
    /// The Turnkey user id of the platform's root user in the sub-organization.
    pub platform_user_id: String,
    /// The wallet created at sign-up.
    pub wallet_id: String,
    /// Its addresses.
    pub addresses: Vec<String>,
    /// `active` or `suspended`.
    pub billing: String,
    /// Sign-up time.
    pub created_ms: i64,
}

impl Record for PlatformUser {
    const KIND: &'static str = "user";
    const TABLE: Table = Table::Platform;
    fn id(&self) -> &str {
        &self.user_id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.sub_organization_id)
    }
}

/// The co-signer's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// The largest `value` a transaction may move, in wei (decimal string).
    pub max_value_wei: String,
    /// Recipients the platform never co-signs for (lowercase `0x…`).
    pub deny_recipients: Vec<String>,
    /// Whether the platform co-signs `sign_raw_payload` at all.
    pub allow_sign_raw_payload: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            max_value_wei: "1000000000000000000".to_owned(),
            deny_recipients: Vec::new(),
            allow_sign_raw_payload: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRules {
    id: String,
    rules: Rules,
}

impl Record for StoredRules {
    const KIND: &'static str = "rules";
    const TABLE: Table = Table::Platform;
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        None
    }
}

/// One co-signing decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Its id.
    pub id: String,
    /// The sub-organization.
    pub sub_organization_id: String,
    /// The activity decided.
    pub activity_id: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its type.
    pub activity_type: String,
    /// `APPROVED` or `REJECTED`; `NOT_CAST` when the sandbox refused the vote (the reason says why).
    pub decision: String,
    /// Why.
    pub reason: String,
    /// When.
    pub created_ms: i64,
}

impl Record for Decision {
    const KIND: &'static str = "decision";
    const TABLE: Table = Table::Platform;
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.sub_organization_id)
    }
}

/// `POST /platform/signup`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupRequest {
    /// Display name.
    pub user_name: String,
    /// Optional email.
    #[serde(default)]
    pub email: Option<String>,
    /// Passkey name (defaults to "Passkey").
    #[serde(default)]
    pub authenticator_name: Option<String>,
    /// base64url of the registration challenge.
    pub challenge: String,
    /// The registration, as in Turnkey's authenticator params.
    pub attestation: AttestationParams,
}

/// `POST /platform/admin/rules` (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesUpdate {
    /// New value limit in wei.
    pub max_value_wei: Option<String>,
    /// New deny list.
    pub deny_recipients: Option<Vec<String>>,
    /// Allow raw payload signing.
    pub allow_sign_raw_payload: Option<bool>,
}

/// `POST /platform/admin/billing`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingUpdate {
    /// The platform user id…
    #[serde(default)]
    pub user_id: Option<String>,
    /// …or their sub-organization id.
    #[serde(default)]
    pub sub_organization_id: Option<String>,
    /// `active` or `suspended`.
    pub status: String,
}

/// The platform backend.
#[derive(Debug)]
pub struct Platform {
    engine: Arc<Engine>,
    stamper: ApiKeyStamper,
    /// Activities the co-signer could not vote on (e.g. expired): not retried.
    given_up: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The co-signer leaves an activity pending at least this long (a platform that takes its time).
    min_pending_ms: i64,
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

impl Platform {
    /// The platform acting with the engine's platform API key.
    #[must_use]
    pub fn new(engine: Arc<Engine>) -> Self {
        let stamper = ApiKeyStamper::new(engine.platform_key.clone());
        Self {
            engine,
            stamper,
            given_up: std::sync::Mutex::default(),
            min_pending_ms: 0,
        }
    }

    /// Lets the co-signer decide an activity only once it has been pending `ms` milliseconds.
    #[must_use]
    pub fn with_min_pending_ms(mut self, ms: i64) -> Self {
        self.min_pending_ms = ms;
        self
    }

    /// Submits a stamped activity as the platform, through the same verification as HTTP.
    fn submit(
        &self,
        route: &str,
        activity_type: &str,
        org_id: &str,
        parameters: Value,
    ) -> Result<Value, ApiError> {
        let body = json!({
            "type": activity_type,
            "timestampMs": now_ms().to_string(),
            "organizationId": org_id,
            "parameters": parameters,
        })
        .to_string();
        let stamp = self.stamper.stamp_body(&body);
        let out = self
            .engine
            .submit(route, &StampHeaders::api_key(stamp.header_value), &body)?;
        out.get("activity")
            .cloned()
            .ok_or_else(|| ApiError::Internal("no activity in the response".to_owned()))
    }

    fn completed(activity: &Value, step: &str) -> Result<(), ApiError> {
        let st = activity
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if st == status::COMPLETED {
            Ok(())
        } else {
            Err(ApiError::FailedPrecondition(format!(
                "sign-up step {step} ended {st}: {}",
                activity.get("failure").cloned().unwrap_or(Value::Null)
            )))
        }
    }

    /// The staged sign-up: sub-organization (both root users, threshold 1, an Ethereum wallet),
    /// the user's export policy, then threshold 2.
    ///
    /// # Errors
    /// The first step's error (a bad attestation is a 400).
    pub fn signup(&self, req: &SignupRequest) -> Result<Value, ApiError> {
        if req.user_name.trim().is_empty() {
            return Err(ApiError::InvalidArgument(
                "userName must not be empty".to_owned(),
            ));
        }
        let parent = self.engine.parent_org_id.clone();
        let sub = self.submit(
            "create_sub_organization",
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
            &parent,
            json!({
                "subOrganizationName": format!("{} ({})", req.user_name, new_id().chars().take(8).collect::<String>()),
                "rootUsers": [
                    {
                        "userName": req.user_name,
                        "userEmail": req.email,
                        "apiKeys": [],
                        "authenticators": [{
                            "authenticatorName": req.authenticator_name.clone().unwrap_or_else(|| "Passkey".to_owned()),
                            "challenge": req.challenge,
                            "attestation": {
                                "credentialId": req.attestation.credential_id,
                                "clientDataJson": req.attestation.client_data_json,
                                "attestationObject": req.attestation.attestation_object,
                                "transports": req.attestation.transports,
                            },
                        }],
                        "oauthProviders": [],
                    },
                    {
                        "userName": "platform",
                        "apiKeys": [{
                            "apiKeyName": "platform",
                            "publicKey": self.stamper.public_key_hex(),
                            "curveType": "API_KEY_CURVE_P256",
                        }],
                        "authenticators": [],
                        "oauthProviders": [],
                    }
                ],
                "rootQuorumThreshold": 1,
                "wallet": {
                    "walletName": "Default wallet",
                    "accounts": [{
                        "curve": "CURVE_SECP256K1",
                        "pathFormat": "PATH_FORMAT_BIP32",
                        "path": "m/44'/60'/0'/0/0",
                        "addressFormat": "ADDRESS_FORMAT_ETHEREUM",
                    }],
                    "mnemonicLength": 12,
                },
            }),
        )?;
        Self::completed(&sub, "create_sub_organization")?;
        let result = field(&sub, &["result", "createSubOrganizationResultV8"])
            .ok_or_else(|| ApiError::Internal("no createSubOrganizationResultV8".to_owned()))?;
        let text = |p: &[&str]| {
            field(result, p)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ApiError::Internal(format!("missing {}", p.join("."))))
        };
        let sub_id = text(&["subOrganizationId"])?;
        let wallet_id = text(&["wallet", "walletId"])?;
        let addresses: Vec<String> = field(result, &["wallet", "addresses"])
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        let ids: Vec<String> = field(result, &["rootUserIds"])
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        let (Some(end_user_id), Some(platform_user_id)) =
            (ids.first().cloned(), ids.get(1).cloned())
        else {
            return Err(ApiError::Internal("expected two root user ids".to_owned()));
        };
        let policy = self.submit(
            "create_policy",
            "ACTIVITY_TYPE_CREATE_POLICY_V3",
            &sub_id,
            json!({
                "policyName": "The user can export their wallet alone",
                "effect": "EFFECT_ALLOW",
                "consensus": format!("approvers.any(user, user.id == '{end_user_id}')"),
                "condition": format!(
                    "(activity.type == 'ACTIVITY_TYPE_EXPORT_WALLET' || activity.type == 'ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT') && wallet.id == '{wallet_id}'"
                ),
                "notes": "wallet-as-a-service: export needs only the end user",
            }),
        )?;
        Self::completed(&policy, "create_policy")?;
        let quorum = self.submit(
            "update_root_quorum",
            "ACTIVITY_TYPE_UPDATE_ROOT_QUORUM",
            &sub_id,
            json!({ "threshold": 2, "userIds": [end_user_id, platform_user_id] }),
        )?;
        Self::completed(&quorum, "update_root_quorum")?;
        let user = PlatformUser {
            user_id: new_id(),
            user_name: req.user_name.clone(),
            email: req.email.clone(),
            sub_organization_id: sub_id,
            end_user_id,
            platform_user_id,
            wallet_id,
            addresses,
            billing: "active".to_owned(),
            created_ms: now_ms(),
        };
        self.engine.store.tx(|db| db.put(&user))?;
        Ok(serde_json::to_value(&user)?)
    }

    /// Every platform user, oldest first.
    ///
    /// # Errors
    /// Storage failures.
    pub fn users(&self) -> Result<Vec<PlatformUser>, ApiError> {
        self.engine.store.tx(|db| db.list_all::<PlatformUser>())
    }

    /// A platform user by the platform's id.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn user(&self, user_id: &str) -> Result<PlatformUser, ApiError> {
        self.engine
            .store
            .tx(|db| db.get::<PlatformUser>(user_id))?
            .ok_or_else(|| ApiError::NotFound(format!("platform user {user_id} not found")))
    }

    /// The platform user a passkey (credential id, base64url) belongs to.
    ///
    /// # Errors
    /// [`ApiError::NotFound`].
    pub fn lookup_by_credential(&self, credential_id: &str) -> Result<PlatformUser, ApiError> {
        let wanted = credential_id.trim_end_matches('=');
        self.engine.store.tx(|db| {
            for pu in db.list_all::<PlatformUser>()? {
                let users = db.list_by_org::<crate::model::User>(&pu.sub_organization_id)?;
                if users
                    .iter()
                    .any(|u| u.authenticators.iter().any(|a| a.credential_id == wanted))
                {
                    return Ok(pu);
                }
            }
            Err(ApiError::NotFound(format!(
                "no platform user has credential {wanted}"
            )))
        })
    }

    /// The current rules.
    ///
    /// # Errors
    /// Storage failures.
    pub fn rules(&self) -> Result<Rules, ApiError> {
        Ok(self
            .engine
            .store
            .tx(|db| db.get::<StoredRules>("global"))?
            .map(|s| s.rules)
            .unwrap_or_default())
    }

    /// Changes some rules.
    ///
    /// # Errors
    /// [`ApiError::InvalidArgument`] for a limit that is not a decimal integer or a bad address.
    pub fn update_rules(&self, update: &RulesUpdate) -> Result<Rules, ApiError> {
        let mut rules = self.rules()?;
        if let Some(v) = &update.max_value_wei {
            v.parse::<u128>().map_err(|_| {
                ApiError::InvalidArgument(format!("maxValueWei {v:?} is not a decimal integer"))
            })?;
            rules.max_value_wei.clone_from(v);
        }
        if let Some(list) = &update.deny_recipients {
            rules.deny_recipients = list
                .iter()
                .map(|a| {
                    let lower = a.to_ascii_lowercase();
                    let ok = lower.len() == 42
                        && lower.starts_with("0x")
                        && lower.chars().skip(2).all(|c| c.is_ascii_hexdigit());
                    if ok {
                        Ok(lower)
                    } else {
                        Err(ApiError::InvalidArgument(format!(
                            "{a:?} is not an address"
                        )))
                    }
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(b) = update.allow_sign_raw_payload {
            rules.allow_sign_raw_payload = b;
        }
        self.engine.store.tx(|db| {
            db.put(&StoredRules {
                id: "global".to_owned(),
                rules: rules.clone(),
            })
        })?;
        Ok(rules)
    }

    /// Sets a user's billing status.
    ///
    /// # Errors
    /// [`ApiError::NotFound`] for an unknown user, [`ApiError::InvalidArgument`] for a bad status.
    pub fn set_billing(&self, update: &BillingUpdate) -> Result<PlatformUser, ApiError> {
        if update.status != "active" && update.status != "suspended" {
            return Err(ApiError::InvalidArgument(
                "status must be \"active\" or \"suspended\"".to_owned(),
            ));
        }
        self.engine.store.tx(|db| {
            let user = match (&update.user_id, &update.sub_organization_id) {
                (Some(id), _) => db.get::<PlatformUser>(id)?,
                (None, Some(sub)) => db.list_by_org::<PlatformUser>(sub)?.into_iter().next(),
                (None, None) => {
                    return Err(ApiError::InvalidArgument(
                        "give userId or subOrganizationId".to_owned(),
                    ));
                }
            };
            let mut user =
                user.ok_or_else(|| ApiError::NotFound("platform user not found".to_owned()))?;
            user.billing.clone_from(&update.status);
            db.put(&user)?;
            Ok(user)
        })
    }

    /// Decisions, newest first, optionally for one sub-organization.
    ///
    /// # Errors
    /// Storage failures.
    pub fn decisions(&self, sub_org: Option<&str>) -> Result<Vec<Decision>, ApiError> {
        let mut list = self.engine.store.tx(|db| match sub_org {
            Some(s) => db.list_by_org::<Decision>(s),
            None => db.list_all::<Decision>(),
        })?;
        list.reverse();
        Ok(list)
    }

    /// What the rules say about an activity: `(approve, reason)`.
    fn judge(user: &PlatformUser, activity: &Activity, rules: &Rules) -> (bool, String) {
        if user.billing != "active" {
            return (false, format!("billing status is {}", user.billing));
        }
        match activity.activity_type.as_str() {
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2" => {
                let raw = activity
                    .parameters
                    .get("unsignedTransaction")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let tx = match hex::decode(raw.trim_start_matches("0x"))
                    .map_err(|e| e.to_string())
                    .and_then(|b| enclave::parse_eip1559(&b).map_err(|e| e.to_string()))
                {
                    Ok(tx) => tx,
                    Err(e) => return (false, format!("cannot read the transaction: {e}")),
                };
                if let Some(to) = &tx.to
                    && rules.deny_recipients.contains(to)
                {
                    return (false, format!("recipient {to} is on the deny list"));
                }
                let limit = rules.max_value_wei.parse::<u128>().unwrap_or(0);
                if tx.value > limit {
                    return (
                        false,
                        format!(
                            "value {} wei exceeds the per-transaction limit of {limit} wei",
                            tx.value
                        ),
                    );
                }
                (
                    true,
                    format!("value {} wei within the limit; recipient allowed", tx.value),
                )
            }
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2" => {
                if rules.allow_sign_raw_payload {
                    (true, "raw payload signing is allowed".to_owned())
                } else {
                    (
                        false,
                        "raw payload signing is disabled by the platform".to_owned(),
                    )
                }
            }
            "ACTIVITY_TYPE_CREATE_WALLET"
            | "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2"
            | "ACTIVITY_TYPE_EXPORT_WALLET"
            | "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT" => {
                (true, "routine activity for an active user".to_owned())
            }
            other => (false, format!("the platform does not co-sign {other}")),
        }
    }

    /// One pass of the co-signer over every user's pending activities; returns how many it decided.
    ///
    /// # Errors
    /// Storage failures (a refused vote is skipped, not an error).
    pub fn cosign_once(&self) -> Result<usize, ApiError> {
        let pending = self.engine.pending()?;
        if pending.is_empty() {
            return Ok(0);
        }
        let users: HashMap<String, PlatformUser> = self
            .users()?
            .into_iter()
            .map(|u| (u.sub_organization_id.clone(), u))
            .collect();
        let rules = self.rules()?;
        let mut decided = 0;
        // Activities of organizations the platform did not make are not its to vote on.
        for (user, activity) in pending
            .into_iter()
            .filter_map(|a| Some((users.get(&a.org_id)?, a)))
        {
            if now_ms() - activity.created_ms < self.min_pending_ms
                || activity
                    .votes
                    .iter()
                    .any(|v| v.user_id == user.platform_user_id)
                || self
                    .given_up
                    .lock()
                    .is_ok_and(|set| set.contains(&activity.id))
            {
                continue;
            }
            let (approve, reason) = Self::judge(user, &activity, &rules);
            let (route, kind) = if approve {
                ("approve_activity", "ACTIVITY_TYPE_APPROVE_ACTIVITY")
            } else {
                ("reject_activity", "ACTIVITY_TYPE_REJECT_ACTIVITY")
            };
            // The decision is stored before the vote is cast, so whoever sees the vote (the
            // browser, or a restart after kill -9) also finds why it was cast.
            let mut d = Decision {
                id: new_id(),
                sub_organization_id: user.sub_organization_id.clone(),
                activity_id: activity.id.clone(),
                fingerprint: activity.fingerprint.clone(),
                activity_type: activity.activity_type.clone(),
                decision: if approve { "APPROVED" } else { "REJECTED" }.to_owned(),
                reason,
                created_ms: now_ms(),
            };
            self.engine.store.tx(|db| db.put(&d))?;
            match self.submit(
                route,
                kind,
                &user.sub_organization_id,
                json!({ "fingerprint": activity.fingerprint }),
            ) {
                Ok(_) => decided += 1,
                Err(e) => {
                    log_line!("co-signer: could not vote on {}: {e}", activity.id);
                    d.decision = "NOT_CAST".to_owned();
                    d.reason = format!("{} (the vote was refused: {e})", d.reason);
                    self.engine.store.tx(|db| db.put(&d))?;
                    if let Ok(mut set) = self.given_up.lock() {
                        set.insert(activity.id.clone());
                    }
                }
            }
        }
        Ok(decided)
    }
}
