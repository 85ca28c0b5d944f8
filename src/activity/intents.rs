//! Typed intents (the `parameters` of a submission) and their results, one pair per row of
//! PROTOCOL §4's table. Field names follow Turnkey's swagger (camelCase on the wire).

use crate::prelude::*;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// An activity's parameters, knowing its wire type, its submission path and its result.
pub trait Intent: Serialize {
    /// `ACTIVITY_TYPE_…`.
    const TYPE: &'static str;
    /// The submission path, `/public/v1/submit/<name>`.
    const PATH: &'static str;
    /// The key under `activity.result` that holds [`Intent::Output`].
    const RESULT_KEY: &'static str;
    /// The typed result.
    type Output: DeserializeOwned;
}

macro_rules! intent {
    ($params:ty, $ty:literal, $path:literal, $key:literal, $output:ty) => {
        impl Intent for $params {
            const TYPE: &'static str = $ty;
            const PATH: &'static str = concat!("/public/v1/submit/", $path);
            const RESULT_KEY: &'static str = $key;
            type Output = $output;
        }
    };
}

/// An API key for a new user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyParams {
    /// A label.
    pub api_key_name: String,
    /// Compressed P-256 public key, hex.
    pub public_key: String,
    /// `API_KEY_CURVE_P256`.
    pub curve_type: String,
    /// Lifetime in seconds, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_seconds: Option<String>,
}

/// A passkey registration (PROTOCOL §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    /// base64url of the credential's raw id.
    pub credential_id: String,
    /// base64url of `clientDataJSON`.
    pub client_data_json: String,
    /// base64url of the CBOR attestation object.
    pub attestation_object: String,
    /// `AUTHENTICATOR_TRANSPORT_…` values.
    pub transports: Vec<String>,
}

/// A passkey for a new user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorParams {
    /// A label.
    pub authenticator_name: String,
    /// base64url of the registration challenge.
    pub challenge: String,
    /// The attestation.
    pub attestation: Attestation,
}

/// A root user of a new sub-organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootUserParams {
    /// Display name.
    pub user_name: String,
    /// Optional email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// API keys.
    #[serde(default)]
    pub api_keys: Vec<ApiKeyParams>,
    /// Passkeys.
    #[serde(default)]
    pub authenticators: Vec<AuthenticatorParams>,
    /// OAuth providers.
    #[serde(default)]
    pub oauth_providers: Vec<OauthProviderParams>,
}

/// An OAuth provider of a root user (`v1OauthProviderParamsV2`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OauthProviderParams {
    /// A name for the provider.
    pub provider_name: String,
    /// The base64 OIDC token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_token: Option<String>,
    /// The token's claims that identify the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_claims: Option<OidcClaims>,
}

/// The OIDC claims that identify a user (`v1OidcClaims`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcClaims {
    /// The issuer (`iss`).
    pub iss: String,
    /// The subject (`sub`).
    pub sub: String,
    /// The audience (`aud`).
    pub aud: String,
}

/// One account of a wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletAccountParams {
    /// `CURVE_SECP256K1` or `CURVE_ED25519`.
    pub curve: String,
    /// `PATH_FORMAT_BIP32`.
    pub path_format: String,
    /// Derivation path, e.g. `m/44'/60'/0'/0/0`.
    pub path: String,
    /// `ADDRESS_FORMAT_ETHEREUM`, …
    pub address_format: String,
}

impl WalletAccountParams {
    /// The default Ethereum account `m/44'/60'/0'/0/<index>`.
    #[must_use]
    pub fn ethereum(index: u32) -> Self {
        Self {
            curve: "CURVE_SECP256K1".into(),
            path_format: "PATH_FORMAT_BIP32".into(),
            path: format!("m/44'/60'/0'/0/{index}"),
            address_format: "ADDRESS_FORMAT_ETHEREUM".into(),
        }
    }
}

/// A wallet created with a sub-organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletParams {
    /// Name.
    pub wallet_name: String,
    /// Accounts to derive.
    pub accounts: Vec<WalletAccountParams>,
    /// 12, 15, 18, 21 or 24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mnemonic_length: Option<u32>,
}

/// `create_sub_organization` (V8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSubOrganization {
    /// Name.
    pub sub_organization_name: String,
    /// Root users.
    pub root_users: Vec<RootUserParams>,
    /// Root quorum threshold.
    pub root_quorum_threshold: u32,
    /// An optional wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<WalletParams>,
}

/// A wallet and its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletResult {
    /// Wallet id.
    pub wallet_id: String,
    /// Derived addresses.
    #[serde(default)]
    pub addresses: Vec<String>,
}

/// Result of `create_sub_organization`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSubOrganizationResult {
    /// The new sub-organization.
    pub sub_organization_id: String,
    /// Its wallet, if one was asked for.
    #[serde(default)]
    pub wallet: Option<WalletResult>,
    /// Root user ids, in request order.
    #[serde(default)]
    pub root_user_ids: Vec<String>,
}
intent!(
    CreateSubOrganization,
    "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
    "create_sub_organization",
    "createSubOrganizationResultV8",
    CreateSubOrganizationResult
);

/// `create_policy` (V3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePolicy {
    /// Name.
    pub policy_name: String,
    /// `EFFECT_ALLOW` or `EFFECT_DENY`.
    pub effect: String,
    /// Condition expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Consensus expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consensus: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// Result of `create_policy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePolicyResult {
    /// The policy id.
    pub policy_id: String,
}
intent!(
    CreatePolicy,
    "ACTIVITY_TYPE_CREATE_POLICY_V3",
    "create_policy",
    "createPolicyResult",
    CreatePolicyResult
);

/// `update_root_quorum`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRootQuorum {
    /// New threshold.
    pub threshold: u32,
    /// Root user ids.
    pub user_ids: Vec<String>,
}

/// Result of `update_root_quorum` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EmptyResult {}
intent!(
    UpdateRootQuorum,
    "ACTIVITY_TYPE_UPDATE_ROOT_QUORUM",
    "update_root_quorum",
    "updateRootQuorumResult",
    EmptyResult
);

/// `create_wallet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWallet {
    /// Name.
    pub wallet_name: String,
    /// Accounts.
    pub accounts: Vec<WalletAccountParams>,
    /// Mnemonic length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mnemonic_length: Option<u32>,
}
intent!(
    CreateWallet,
    "ACTIVITY_TYPE_CREATE_WALLET",
    "create_wallet",
    "createWalletResult",
    WalletResult
);

/// `sign_transaction` (V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignTransaction {
    /// Address or private-key id.
    pub sign_with: String,
    /// Hex of the unsigned transaction.
    pub unsigned_transaction: String,
    /// `TRANSACTION_TYPE_ETHEREUM`, …
    #[serde(rename = "type")]
    pub transaction_type: String,
}

/// Result of `sign_transaction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignTransactionResult {
    /// Hex of the signed transaction.
    pub signed_transaction: String,
}
intent!(
    SignTransaction,
    "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    "sign_transaction",
    "signTransactionResult",
    SignTransactionResult
);

/// `sign_raw_payload` (V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRawPayload {
    /// Address or private-key id.
    pub sign_with: String,
    /// The payload.
    pub payload: String,
    /// `PAYLOAD_ENCODING_HEXADECIMAL` or `PAYLOAD_ENCODING_TEXT_UTF8`.
    pub encoding: String,
    /// `HASH_FUNCTION_KECCAK256`, `HASH_FUNCTION_SHA256`, `HASH_FUNCTION_NO_OP`, …
    pub hash_function: String,
}

/// Result of `sign_raw_payload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignRawPayloadResult {
    /// Hex of r.
    pub r: String,
    /// Hex of s.
    pub s: String,
    /// Hex of the recovery id.
    pub v: String,
}
intent!(
    SignRawPayload,
    "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
    "sign_raw_payload",
    "signRawPayloadResult",
    SignRawPayloadResult
);

/// `export_wallet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportWallet {
    /// The wallet.
    pub wallet_id: String,
    /// Uncompressed P-256 target key, hex.
    pub target_public_key: String,
    /// Mnemonic language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Result of `export_wallet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportWalletResult {
    /// The wallet.
    pub wallet_id: String,
    /// The v1.0.0 export bundle.
    pub export_bundle: String,
}
intent!(
    ExportWallet,
    "ACTIVITY_TYPE_EXPORT_WALLET",
    "export_wallet",
    "exportWalletResult",
    ExportWalletResult
);

/// `export_wallet_account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportWalletAccount {
    /// The account's address.
    pub address: String,
    /// Uncompressed P-256 target key, hex.
    pub target_public_key: String,
}

/// Result of `export_wallet_account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportWalletAccountResult {
    /// The account's address.
    pub address: String,
    /// The v1.0.0 export bundle.
    pub export_bundle: String,
}
intent!(
    ExportWalletAccount,
    "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT",
    "export_wallet_account",
    "exportWalletAccountResult",
    ExportWalletAccountResult
);

/// `create_read_write_session` (V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateReadWriteSession {
    /// Uncompressed P-256 target key, hex.
    pub target_public_key: String,
    /// The user the session is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// A label for the session key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_name: Option<String>,
    /// Lifetime in seconds, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_seconds: Option<String>,
}

/// Result of `create_read_write_session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateReadWriteSessionResult {
    /// The organization.
    pub organization_id: String,
    /// Its name.
    #[serde(default)]
    pub organization_name: String,
    /// The user.
    pub user_id: String,
    /// The user's name.
    #[serde(default)]
    pub username: String,
    /// The session key's id.
    pub api_key_id: String,
    /// The bs58check credential bundle (PROTOCOL §6).
    pub credential_bundle: String,
}
intent!(
    CreateReadWriteSession,
    "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2",
    "create_read_write_session",
    "createReadWriteSessionResultV2",
    CreateReadWriteSessionResult
);

/// `approve_activity`: a vote for the activity with this fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApproveActivity {
    /// `activity.fingerprint` of the activity voted on.
    pub fingerprint: String,
}
intent!(
    ApproveActivity,
    "ACTIVITY_TYPE_APPROVE_ACTIVITY",
    "approve_activity",
    "approveActivityResult",
    EmptyResult
);

/// `reject_activity`: a vote against the activity with this fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectActivity {
    /// `activity.fingerprint` of the activity voted on.
    pub fingerprint: String,
}
intent!(
    RejectActivity,
    "ACTIVITY_TYPE_REJECT_ACTIVITY",
    "reject_activity",
    "rejectActivityResult",
    EmptyResult
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_providers_follow_turnkeys_v2_params() {
        let json = r#"{"userName":"u","apiKeys":[],"authenticators":[],"oauthProviders":[{"providerName":"google","oidcClaims":{"iss":"https://accounts.google.com","sub":"1","aud":"app"}},{"providerName":"x","oidcToken":"dG9r"}]}"#;
        let user: RootUserParams = serde_json::from_str(json).unwrap();
        assert_eq!(user.oauth_providers.len(), 2);
        assert_eq!(
            user.oauth_providers
                .first()
                .and_then(|p| p.oidc_claims.as_ref())
                .map(|c| c.sub.as_str()),
            Some("1")
        );
        // Written back as Turnkey reads them: absent options stay absent.
        assert_eq!(serde_json::to_string(&user).unwrap(), json);
        // `providerName` is required; a claim set is whole or absent.
        for bad in [
            r#"{"userName":"u","oauthProviders":[{"oidcToken":"t"}]}"#,
            r#"{"userName":"u","oauthProviders":[{"providerName":"p","oidcClaims":{"iss":"i"}}]}"#,
            r#"{"userName":"u","oauthProviders":[{"providerName":7}]}"#,
        ] {
            assert!(
                serde_json::from_str::<RootUserParams>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
