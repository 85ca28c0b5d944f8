//! `/public/v1/query/…`: reads, authenticated like submissions (a parent organization may read).

use serde_json::{Value, json};

use super::{Access, Engine, StampHeaders};
use crate::error::ApiError;
use crate::model::{Activity, Organization, Policy, User, Wallet};
use crate::store::Db;

impl Engine {
    /// Handles `POST /public/v1/query/<name>`.
    ///
    /// # Errors
    /// Turnkey-shaped errors for bad stamps, bad bodies and unknown resources.
    pub fn query(&self, name: &str, stamp: &StampHeaders, body: &str) -> Result<Value, ApiError> {
        if !crate::routes::is_query(name) {
            return Err(crate::routes::unknown(&format!("/public/v1/query/{name}")));
        }
        if stamp.is_empty() {
            return Err(Self::unstamped());
        }
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
                "list_wallets" => json!({
                    "wallets": db.list_by_org::<Wallet>(&org.id)?.iter().map(Wallet::to_json).collect::<Vec<_>>()
                }),
                "get_wallet" => {
                    let w = Self::wallet(db, &org.id, &str_field("walletId")?)?;
                    json!({ "wallet": w.to_json() })
                }
                "list_wallet_accounts" => {
                    let wallets = match req.get("walletId").and_then(Value::as_str) {
                        Some(id) => vec![Self::wallet(db, &org.id, id)?],
                        None => db.list_by_org::<Wallet>(&org.id)?,
                    };
                    let details = req.get("includeWalletDetails").and_then(Value::as_bool) == Some(true);
                    let accounts: Vec<Value> = wallets
                        .iter()
                        .flat_map(|w| w.accounts.iter().map(move |a| {
                            let mut v = w.account_json(a);
                            if details
                                && let Some(m) = v.as_object_mut() {
                                    m.insert("walletDetails".to_owned(), w.to_json());
                                }
                            v
                        }))
                        .collect();
                    json!({ "accounts": accounts })
                }
                "list_users" => json!({
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
                "list_policies" => json!({
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
                "get_organization" => json!({
                    "organizationData": {
                        "organizationId": org.id,
                        "name": org.name,
                        "users": db.list_by_org::<User>(&org.id)?.iter().map(User::to_json).collect::<Vec<_>>(),
                        "policies": db.list_by_org::<Policy>(&org.id)?.iter().map(Policy::to_json).collect::<Vec<_>>(),
                        "privateKeys": [],
                        "invitations": [],
                        "tags": [],
                        "rootQuorum": { "threshold": org.root_quorum.threshold, "userIds": org.root_quorum.user_ids },
                        "features": [],
                        "wallets": db.list_by_org::<Wallet>(&org.id)?.iter().map(Wallet::to_json).collect::<Vec<_>>(),
                        "smartContractInterfaceReferences": [],
                    }
                }),
                "list_suborgs" => {
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
                other => return Err(crate::routes::unknown(&format!("/public/v1/query/{other}"))),
            })
        })
    }

    /// `list_suborgs` filters.
    pub(super) fn sub_org_matches(
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
}
