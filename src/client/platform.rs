//! The platform's own endpoint for sign-up (not Turnkey's API): the demo backend's
//! `POST /platform/signup` shape, `{userName, authenticatorName, challenge, attestation}` in,
//! `{subOrganizationId, userId, walletId, addresses}` out. Platforms with another shape pass their
//! own function to the sign-up component instead.

use serde::{Deserialize, Serialize};

use super::{LocalBoxFuture, Transport};
use crate::passkey::{Attestation, Registration};

/// What the platform's sign-up returns (the demo backend's `/platform/signup` shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedUp {
    /// The user's new sub-organization.
    pub sub_organization_id: String,
    /// The user's id (as the platform reports it).
    #[serde(default)]
    pub user_id: String,
    /// The wallet created with it.
    #[serde(default)]
    pub wallet_id: String,
    /// The wallet's addresses.
    #[serde(default)]
    pub addresses: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignUpBody<'a> {
    user_name: &'a str,
    authenticator_name: &'a str,
    challenge: &'a str,
    attestation: &'a Attestation,
}

/// POSTs the sign-up to `url` and reads the created wallet.
///
/// # Errors
/// A message naming the HTTP status and the platform's `message`/`error` field, a network error,
/// or an unreadable answer.
#[must_use]
pub fn sign_up<T: Transport>(
    transport: &T,
    url: &str,
    user_name: &str,
    registration: &Registration,
) -> LocalBoxFuture<Result<SignedUp, String>> {
    let body = serde_json::to_string(&SignUpBody {
        user_name,
        authenticator_name: &registration.authenticator_name,
        challenge: &registration.challenge,
        attestation: &registration.attestation,
    });
    let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
    let pending = body.map(|b| transport.post(url, &headers, &b));
    Box::pin(async move {
        let response = pending
            .map_err(|e| e.to_string())?
            .await
            .map_err(|e| e.to_string())?;
        if !(200..300).contains(&response.status) {
            let message = crate::flat_json::Object::parse(&response.body)
                .ok()
                .and_then(|v| {
                    ["message", "error"]
                        .iter()
                        .find_map(|k| v.string(k).ok().flatten().map(str::to_owned))
                })
                .unwrap_or_else(|| format!("HTTP {}", response.status));
            return Err(message);
        }
        serde_json::from_str(&response.body)
            .map_err(|e| format!("the platform's answer is not a wallet: {e}"))
    })
}
