//! The Turnkey-compatible core: authentication of stamps, root quorum and policies, votes and
//! idempotency. Parameters live in `intent`, reads in `query`, validation and execution in `execute`.

use axum::http::HeaderMap;
use quorum_kit::encoding::base64url_decode;
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use quorum_kit::stamp::webauthn::WebauthnStampValue;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{APPROVAL_WINDOW_MS, TIMESTAMP_MAX_AGE_MS, TIMESTAMP_MAX_FUTURE_MS};
use crate::enclave::EnclaveError;
use crate::error::ApiError;
use crate::model::{
    Activity, ApiKey, Organization, Policy, RootQuorum, User, VOTE_APPROVED, VOTE_REJECTED, Vote,
    Wallet, WalletAccount, activity_lookup, new_id, now_ms, status,
};
use crate::policy;
use crate::store::{Db, Store};
use crate::webauthn::{self, RelyingParty};

mod execute;
mod intent;
mod query;

use intent::Intent;

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

    /// Whether neither header is present.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.api_key.is_none() && self.webauthn.is_none()
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

    fn unstamped() -> ApiError {
        ApiError::Unauthenticated(
            "the request is not stamped: send X-Stamp or X-Stamp-WebAuthn".to_owned(),
        )
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
        Err(Self::unstamped())
    }

    /// Authenticates a submission. An identical re-send of a submission already recorded (same
    /// body, same passkey assertion: what a client does when the response was lost) passes
    /// even though the authenticator's counter no longer increases; it can only get back the
    /// activity it already created.
    fn authenticate_resend(
        &self,
        db: &Db<'_>,
        stamp: &StampHeaders,
        body: &str,
        org: &Organization,
        existing: Option<&Activity>,
    ) -> Result<Principal, ApiError> {
        match self.authenticate(db, stamp, body, org, Access::Write) {
            Err(ApiError::Unauthenticated(msg))
                if msg.ends_with(&webauthn::WebauthnError::CounterNotIncreasing.to_string()) =>
            {
                let resent = existing.and_then(|a| {
                    let value = stamp.webauthn.as_deref()?;
                    let parsed = WebauthnStampValue::parse(value)
                        .and_then(|v| v.to_assertion())
                        .ok()?;
                    let signature = quorum_kit::encoding::base64url_encode(&parsed.signature);
                    a.votes
                        .iter()
                        .find(|v| v.message == body && v.signature == signature)
                        .cloned()
                });
                let Some(vote) = resent else {
                    return Err(ApiError::Unauthenticated(msg));
                };
                let user = db
                    .list_by_org::<User>(&org.id)?
                    .into_iter()
                    .find(|u| u.id == vote.user_id)
                    .ok_or(ApiError::Unauthenticated(msg))?;
                Ok(Principal {
                    user,
                    public_key: vote.public_key,
                    signature: vote.signature,
                    scheme: "SIGNATURE_SCHEME_TK_API_P256",
                })
            }
            other => other,
        }
    }

    fn render(db: &Db<'_>, activity: &Activity, viewer: Option<&str>) -> Result<Value, ApiError> {
        let users = db.list_by_org::<User>(&activity.org_id)?;
        Ok(activity.to_json(viewer, &users))
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
        let allowed = crate::routes::submission_types(route)
            .ok_or_else(|| crate::routes::unknown(&format!("/public/v1/submit/{route}")))?;
        if stamp.is_empty() {
            return Err(Self::unstamped());
        }
        let env: Envelope = serde_json::from_str(body)
            .map_err(|e| ApiError::InvalidArgument(format!("invalid request body: {e}")))?;
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
            let existing = db.find::<Activity>(&activity_lookup(&org.id, &fingerprint))?;
            let who = self.authenticate_resend(db, stamp, body, &org, existing.as_ref())?;
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
            if let Some(existing) = existing {
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

    /// Activities awaiting consensus in every organization, oldest first (for the platform's
    /// co-signer): one indexed query, decoding only the pending activities.
    ///
    /// # Errors
    /// Storage failures.
    pub fn pending(&self) -> Result<Vec<Activity>, ApiError> {
        self.store
            .tx(|db| db.list_by_status::<Activity>(status::CONSENSUS_NEEDED))
    }
}
