//! The Turnkey world's records and their JSON renderings (camelCase, as Turnkey's API returns them).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::store::Record;

/// Milliseconds since the Unix epoch.
#[must_use]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Turnkey's timestamp shape: `{"seconds": "…", "nanos": "…"}` (strings).
#[must_use]
pub fn timestamp(ms: i64) -> Value {
    json!({
        "seconds": (ms.div_euclid(1000)).to_string(),
        "nanos": (ms.rem_euclid(1000) * 1_000_000).to_string(),
    })
}

/// A fresh random id (UUID v4, as Turnkey's ids are).
#[must_use]
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The root quorum of an organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RootQuorum {
    /// How many root users must approve.
    pub threshold: u32,
    /// The root users.
    pub user_ids: Vec<String>,
}

/// An organization or sub-organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organization {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The parent organization, for a sub-organization.
    pub parent_id: Option<String>,
    /// Its root quorum.
    pub root_quorum: RootQuorum,
    /// Creation time.
    pub created_ms: i64,
}

impl Record for Organization {
    const KIND: &'static str = "organization";
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
}

/// An API key of a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKey {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Compressed P-256 public key, lowercase hex.
    pub public_key: String,
    /// Expiry, if any.
    pub expires_at_ms: Option<i64>,
    /// Creation time.
    pub created_ms: i64,
}

/// A passkey of a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Authenticator {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// The credential's P-256 public key, uncompressed hex (from the COSE key).
    pub public_key: String,
    /// The last signature counter seen.
    pub sign_count: u32,
    /// Transports as Turnkey names them.
    pub transports: Vec<String>,
    /// The authenticator's AAGUID, hex.
    pub aaguid: String,
    /// The attestation format (`none` or `packed`).
    pub attestation_format: String,
    /// Creation time.
    pub created_ms: i64,
}

/// A user of an organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: String,
    /// Its name.
    pub name: String,
    /// Its email, if any.
    pub email: Option<String>,
    /// Its API keys.
    pub api_keys: Vec<ApiKey>,
    /// Its passkeys.
    pub authenticators: Vec<Authenticator>,
    /// Creation time.
    pub created_ms: i64,
    /// Last update.
    pub updated_ms: i64,
}

impl Record for User {
    const KIND: &'static str = "user";
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }
}

impl User {
    /// The user as Turnkey's `v1User` (absent optional fields are omitted, never `null`).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut user = json!({
            "userId": self.id,
            "userName": self.name,
            "authenticators": self.authenticators.iter().map(|a| json!({
                "transports": a.transports,
                "attestationType": a.attestation_format,
                "aaguid": a.aaguid,
                "credentialId": a.credential_id,
                "model": a.name,
                "credential": {"publicKey": a.public_key, "type": "CREDENTIAL_TYPE_WEBAUTHN_AUTHENTICATOR"},
                "authenticatorId": a.id,
                "authenticatorName": a.name,
                "createdAt": timestamp(a.created_ms),
                "updatedAt": timestamp(a.created_ms),
            })).collect::<Vec<_>>(),
            "apiKeys": self.api_keys.iter().map(|k| {
                let mut key = json!({
                    "credential": {"publicKey": k.public_key, "type": "CREDENTIAL_TYPE_API_KEY_P256"},
                    "apiKeyId": k.id,
                    "apiKeyName": k.name,
                    "createdAt": timestamp(k.created_ms),
                    "updatedAt": timestamp(k.created_ms),
                });
                if let Some(e) = k.expires_at_ms {
                    set(&mut key, "expirationSeconds", json!(((e - k.created_ms) / 1000).to_string()));
                }
                key
            }).collect::<Vec<_>>(),
            "userTags": [],
            "oauthProviders": [],
            "mfaPolicies": [],
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.updated_ms),
        });
        if let Some(email) = &self.email {
            set(&mut user, "userEmail", json!(email));
        }
        user
    }
}

/// Sets `key` on a JSON object (an optional field that is present); other values are left alone.
pub fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

/// One account (address) of a wallet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalletAccount {
    /// Its id.
    pub id: String,
    /// `CURVE_SECP256K1`.
    pub curve: String,
    /// `PATH_FORMAT_BIP32`.
    pub path_format: String,
    /// The derivation path.
    pub path: String,
    /// `ADDRESS_FORMAT_ETHEREUM`, …
    pub address_format: String,
    /// The address.
    pub address: String,
    /// The compressed public key, hex.
    pub public_key: String,
    /// Creation time.
    pub created_ms: i64,
}

/// An HD wallet. The mnemonic is kept in the local database: this is a sandbox, not an enclave.
#[derive(Clone, Serialize, Deserialize)]
pub struct Wallet {
    /// Its id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: String,
    /// Its name.
    pub name: String,
    /// The BIP-39 mnemonic.
    pub mnemonic: String,
    /// Its accounts.
    pub accounts: Vec<WalletAccount>,
    /// Whether it has been exported.
    pub exported: bool,
    /// Creation time.
    pub created_ms: i64,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("mnemonic", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Record for Wallet {
    const KIND: &'static str = "wallet";
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }
}

impl Wallet {
    /// The wallet as Turnkey's `v1Wallet`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "walletId": self.id,
            "walletName": self.name,
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.created_ms),
            "exported": self.exported,
            "imported": false,
        })
    }

    /// An account as Turnkey's `v1WalletAccount`.
    #[must_use]
    pub fn account_json(&self, a: &WalletAccount) -> Value {
        json!({
            "walletAccountId": a.id,
            "organizationId": self.org_id,
            "walletId": self.id,
            "curve": a.curve,
            "pathFormat": a.path_format,
            "path": a.path,
            "addressFormat": a.address_format,
            "address": a.address,
            "publicKey": a.public_key,
            "createdAt": timestamp(a.created_ms),
            "updatedAt": timestamp(a.created_ms),
        })
    }
}

/// A policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    /// Its id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: String,
    /// Its name.
    pub name: String,
    /// `EFFECT_ALLOW` or `EFFECT_DENY`.
    pub effect: String,
    /// The condition expression, if any.
    pub condition: Option<String>,
    /// The consensus expression, if any.
    pub consensus: Option<String>,
    /// Free-form notes.
    pub notes: String,
    /// Creation time.
    pub created_ms: i64,
}

impl Record for Policy {
    const KIND: &'static str = "policy";
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }
}

impl Policy {
    /// The policy as Turnkey's `v1Policy` (`condition` and `consensus` are required strings:
    /// empty when the policy has none).
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "policyId": self.id,
            "policyName": self.name,
            "effect": self.effect,
            "condition": self.condition.as_deref().unwrap_or_default(),
            "consensus": self.consensus.as_deref().unwrap_or_default(),
            "notes": self.notes,
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.created_ms),
        })
    }
}

/// A vote on an activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vote {
    /// Its id.
    pub id: String,
    /// Who voted.
    pub user_id: String,
    /// `VOTE_SELECTION_APPROVED` or `VOTE_SELECTION_REJECTED`.
    pub selection: String,
    /// The exact request body the voter stamped.
    pub message: String,
    /// The credential's public key, hex.
    pub public_key: String,
    /// The stamp's signature (hex DER for API keys, base64url for passkeys).
    pub signature: String,
    /// The stamp's scheme.
    pub scheme: String,
    /// When.
    pub created_ms: i64,
}

/// The approval state of an activity.
pub const VOTE_APPROVED: &str = "VOTE_SELECTION_APPROVED";
/// A rejection vote.
pub const VOTE_REJECTED: &str = "VOTE_SELECTION_REJECTED";

/// Activity statuses.
pub mod status {
    /// Executed.
    pub const COMPLETED: &str = "ACTIVITY_STATUS_COMPLETED";
    /// Execution failed.
    pub const FAILED: &str = "ACTIVITY_STATUS_FAILED";
    /// Waiting for more votes.
    pub const CONSENSUS_NEEDED: &str = "ACTIVITY_STATUS_CONSENSUS_NEEDED";
    /// Rejected by votes or a DENY policy.
    pub const REJECTED: &str = "ACTIVITY_STATUS_REJECTED";
}

/// An activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activity {
    /// Its id.
    pub id: String,
    /// The organization it runs in.
    pub org_id: String,
    /// `ACTIVITY_STATUS_…`.
    pub status: String,
    /// `ACTIVITY_TYPE_…`.
    pub activity_type: String,
    /// The request's `parameters`.
    pub parameters: Value,
    /// The result, once completed: `{"<resultKey>": {...}}`.
    pub result: Option<Value>,
    /// The votes, the initiator's first.
    pub votes: Vec<Vote>,
    /// `sha256:<hex>` of the exact request body.
    pub fingerprint: String,
    /// The failure, if it failed.
    pub failure: Option<Value>,
    /// For approve/reject activities: the activity voted on.
    pub target_activity_id: Option<String>,
    /// Creation time.
    pub created_ms: i64,
    /// Last update.
    pub updated_ms: i64,
}

impl Record for Activity {
    const KIND: &'static str = "activity";
    fn id(&self) -> &str {
        &self.id
    }
    fn org_id(&self) -> Option<&str> {
        Some(&self.org_id)
    }
    fn lookup(&self) -> Option<String> {
        Some(activity_lookup(&self.org_id, &self.fingerprint))
    }
}

/// The lookup key of an activity by fingerprint.
#[must_use]
pub fn activity_lookup(org_id: &str, fingerprint: &str) -> String {
    format!("{org_id}|{fingerprint}")
}

/// `ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2` → (`signRawPayloadIntentV2`, `signRawPayloadResult`).
#[must_use]
pub fn intent_and_result_keys(activity_type: &str) -> (String, String) {
    let base = activity_type.trim_start_matches("ACTIVITY_TYPE_");
    let (stem, version) = match base.rsplit_once('_') {
        Some((stem, v))
            if v.len() >= 2
                && v.starts_with('V')
                && v.chars().skip(1).all(|c| c.is_ascii_digit()) =>
        {
            (stem, Some(v))
        }
        _ => (base, None),
    };
    let mut camel = String::new();
    for (i, word) in stem.split('_').enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            camel.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                camel.push(first.to_ascii_uppercase());
                camel.push_str(chars.as_str());
            }
        }
    }
    let v = version.unwrap_or("");
    let intent = format!("{camel}Intent{v}");
    // Turnkey versions the result only where its shape changed.
    let result = match activity_type {
        "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"
        | "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"
        | "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2" => format!("{camel}Result{v}"),
        _ => format!("{camel}Result"),
    };
    (intent, result)
}

impl Activity {
    /// The activity as Turnkey's `v1Activity`, seen by `viewer` (for `canApprove`/`canReject`).
    #[must_use]
    pub fn to_json(&self, viewer: Option<&str>, users: &[User]) -> Value {
        let (intent_key, _) = intent_and_result_keys(&self.activity_type);
        let voted = viewer.is_some_and(|v| self.votes.iter().any(|vote| vote.user_id == v));
        let open = self.status == status::CONSENSUS_NEEDED;
        let mut activity = json!({
            "id": self.id,
            "organizationId": self.org_id,
            "status": self.status,
            "type": self.activity_type,
            "intent": { intent_key: self.parameters },
            "result": self.result.clone().unwrap_or_else(|| json!({})),
            "votes": self.votes.iter().map(|v| {
                let mut vote = json!({
                    "id": v.id,
                    "userId": v.user_id,
                    "activityId": self.id,
                    "selection": v.selection,
                    "message": v.message,
                    "publicKey": v.public_key,
                    "signature": v.signature,
                    "scheme": v.scheme,
                    "createdAt": timestamp(v.created_ms),
                });
                if let Some(u) = users.iter().find(|u| u.id == v.user_id) {
                    set(&mut vote, "user", u.to_json());
                }
                vote
            }).collect::<Vec<_>>(),
            "fingerprint": self.fingerprint,
            "canApprove": open && !voted,
            "canReject": open && !voted,
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.updated_ms),
        });
        if let Some(failure) = &self.failure {
            set(&mut activity, "failure", failure.clone());
        }
        activity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_keys_follow_turnkey_naming() {
        assert_eq!(
            intent_and_result_keys("ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"),
            (
                "signRawPayloadIntentV2".to_owned(),
                "signRawPayloadResult".to_owned()
            )
        );
        assert_eq!(
            intent_and_result_keys("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"),
            (
                "createSubOrganizationIntentV8".to_owned(),
                "createSubOrganizationResultV8".to_owned()
            )
        );
        assert_eq!(
            intent_and_result_keys("ACTIVITY_TYPE_EXPORT_WALLET"),
            (
                "exportWalletIntent".to_owned(),
                "exportWalletResult".to_owned()
            )
        );
        assert_eq!(
            intent_and_result_keys("ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2").1,
            "createReadWriteSessionResultV2"
        );
    }
}
