//! Validation before an activity is recorded, and execution once it is approved.

use quorum_kit::encoding::hex_encode;
use quorum_kit::keys::{CompressedP256, P256KeyPair};
use serde_json::{Value, json};

use super::intent::*;
use super::{Engine, Principal};
use crate::enclave;
use crate::error::ApiError;
use crate::model::{
    Activity, ApiKey, Authenticator, Organization, Policy, RootQuorum, User, Wallet, WalletAccount,
    intent_and_result_keys, new_id, now_ms, status,
};
use crate::policy;
use crate::store::Db;
use crate::webauthn;

impl Engine {
    /// Checks parameters against the organization before an activity is recorded, so bad
    /// input is refused with nothing stored.
    pub(super) fn validate(
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
                if let Some(u) = &p.user_id
                    && u != &who.user.id
                {
                    db.get::<User>(u)?
                        .filter(|x| x.org_id == org.id)
                        .ok_or_else(|| ApiError::NotFound(format!("user {u} not found")))?;
                }
            }
            Intent::Vote { .. } => {}
        }
        Ok(())
    }

    pub(super) fn check_policy(p: &CreatePolicyParams) -> Result<(), ApiError> {
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

    pub(super) fn check_quorum(
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

    pub(super) fn check_wallet_params(w: &WalletParams) -> Result<(), ApiError> {
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

    pub(super) fn build_root_users(
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
                        if let Some(c) = &k.curve_type
                            && c != "API_KEY_CURVE_P256"
                        {
                            return Err(ApiError::InvalidArgument(format!(
                                "API key curve {c} is not supported (only API_KEY_CURVE_P256)"
                            )));
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

    pub(super) fn create_wallet(
        db: &Db<'_>,
        org_id: &str,
        w: &WalletParams,
    ) -> Result<Wallet, ApiError> {
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
    pub(super) fn run(
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

    pub(super) fn execute(
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
                let mut result = json!({
                    "subOrganizationId": sub_id,
                    "rootUserIds": users.iter().map(|u| u.id.clone()).collect::<Vec<_>>(),
                });
                if let Some(w) = &p.wallet {
                    let w = Self::create_wallet(db, &sub_id, w)?;
                    crate::model::set(
                        &mut result,
                        "wallet",
                        json!({ "walletId": w.id, "addresses": w.accounts.iter().map(|a| a.address.clone()).collect::<Vec<_>>() }),
                    );
                }
                Ok(result)
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
}
