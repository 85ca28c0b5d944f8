//! The parameters of each activity type, parsed once from the request's `parameters`.

use quorum_kit::keys::UncompressedP256;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::webauthn::AttestationParams;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ApiKeyParams {
    pub(super) api_key_name: String,
    pub(super) public_key: String,
    #[serde(default)]
    pub(super) curve_type: Option<String>,
    #[serde(default)]
    pub(super) expiration_seconds: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AuthenticatorParams {
    pub(super) authenticator_name: String,
    pub(super) challenge: String,
    pub(super) attestation: AttestationParams,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RootUserParams {
    pub(super) user_name: String,
    #[serde(default)]
    pub(super) user_email: Option<String>,
    #[serde(default)]
    pub(super) api_keys: Vec<ApiKeyParams>,
    #[serde(default)]
    pub(super) authenticators: Vec<AuthenticatorParams>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AccountParams {
    pub(super) curve: String,
    pub(super) path_format: String,
    pub(super) path: String,
    pub(super) address_format: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WalletParams {
    pub(super) wallet_name: String,
    #[serde(default)]
    pub(super) accounts: Vec<AccountParams>,
    #[serde(default)]
    pub(super) mnemonic_length: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateSubOrgParams {
    pub(super) sub_organization_name: String,
    pub(super) root_users: Vec<RootUserParams>,
    pub(super) root_quorum_threshold: u32,
    #[serde(default)]
    pub(super) wallet: Option<WalletParams>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreatePolicyParams {
    pub(super) policy_name: String,
    pub(super) effect: String,
    #[serde(default)]
    pub(super) condition: Option<String>,
    #[serde(default)]
    pub(super) consensus: Option<String>,
    #[serde(default)]
    pub(super) notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateRootQuorumParams {
    pub(super) threshold: u32,
    pub(super) user_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignTransactionParams {
    pub(super) sign_with: String,
    pub(super) unsigned_transaction: String,
    #[serde(rename = "type")]
    pub(super) transaction_type: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SignRawPayloadParams {
    pub(super) sign_with: String,
    pub(super) payload: String,
    pub(super) encoding: String,
    pub(super) hash_function: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExportWalletParams {
    pub(super) wallet_id: String,
    pub(super) target_public_key: String,
    #[serde(default)]
    pub(super) language: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExportWalletAccountParams {
    pub(super) address: String,
    pub(super) target_public_key: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionParams {
    pub(super) target_public_key: String,
    #[serde(default)]
    pub(super) user_id: Option<String>,
    #[serde(default)]
    pub(super) api_key_name: Option<String>,
    #[serde(default)]
    pub(super) expiration_seconds: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VoteParams {
    pub(super) fingerprint: String,
}

/// A parsed activity intent.
#[derive(Debug, Clone)]
pub(super) enum Intent {
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

pub(super) fn params<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, ApiError> {
    serde_json::from_value(v.clone())
        .map_err(|e| ApiError::InvalidArgument(format!("invalid parameters: {e}")))
}

impl Intent {
    pub(super) fn parse(activity_type: &str, p: &Value) -> Result<Self, ApiError> {
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

pub(super) fn parse_target(hex: &str) -> Result<UncompressedP256, ApiError> {
    UncompressedP256::from_hex(hex).map_err(|e| {
        ApiError::InvalidArgument(format!(
            "targetPublicKey must be an uncompressed P-256 key in hex: {e}"
        ))
    })
}

pub(super) fn parse_seconds(s: Option<&str>, default: i64) -> Result<i64, ApiError> {
    match s {
        None | Some("") => Ok(default),
        Some(s) => s.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
            ApiError::InvalidArgument(format!("expirationSeconds {s:?} is not a positive integer"))
        }),
    }
}
