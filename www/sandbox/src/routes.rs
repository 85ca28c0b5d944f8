//! The route table: which paths of Turnkey's public API the sandbox serves, and the answer for
//! the others. A path in Turnkey's published spec that the sandbox does not implement answers
//! 501 in Turnkey's error shape ("not supported by the sandbox"); anything else is a 404.
//!
//! `spec-paths.txt` (beside `Cargo.toml`) lists the spec's paths; `scripts/spec-coverage.mjs`
//! regenerates it from the spec and writes the coverage figure into the README.

use serde_json::{Value, json};

use crate::error::ApiError;

/// `/public/v1/submit/<name>` routes the sandbox executes, with the activity types each accepts.
pub const SUBMISSIONS: &[(&str, &[&str])] = &[
    (
        "create_sub_organization",
        &[
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7",
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
        ],
    ),
    ("create_policy", &["ACTIVITY_TYPE_CREATE_POLICY_V3"]),
    ("update_root_quorum", &["ACTIVITY_TYPE_UPDATE_ROOT_QUORUM"]),
    ("create_wallet", &["ACTIVITY_TYPE_CREATE_WALLET"]),
    ("sign_transaction", &["ACTIVITY_TYPE_SIGN_TRANSACTION_V2"]),
    ("sign_raw_payload", &["ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"]),
    ("export_wallet", &["ACTIVITY_TYPE_EXPORT_WALLET"]),
    (
        "export_wallet_account",
        &["ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT"],
    ),
    (
        "create_read_write_session",
        &["ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2"],
    ),
    ("approve_activity", &["ACTIVITY_TYPE_APPROVE_ACTIVITY"]),
    ("reject_activity", &["ACTIVITY_TYPE_REJECT_ACTIVITY"]),
];

/// `/public/v1/query/<name>` routes the sandbox answers.
pub const QUERIES: &[&str] = &[
    "whoami",
    "get_activity",
    "list_activities",
    "get_organization",
    "get_organization_configs",
    "list_suborgs",
    "list_users",
    "get_user",
    "list_wallets",
    "get_wallet",
    "list_wallet_accounts",
    "list_policies",
    "get_policy",
];

/// The paths of Turnkey's published API spec, one a line (`#` starts a comment).
const SPEC_PATHS: &str = include_str!("../spec-paths.txt");

/// Every path of Turnkey's published spec.
pub fn spec_paths() -> impl Iterator<Item = &'static str> {
    SPEC_PATHS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Whether `path` is in Turnkey's published spec.
#[must_use]
pub fn in_spec(path: &str) -> bool {
    spec_paths().any(|p| p == path)
}

/// The activity types a submission route accepts, or `None` when the sandbox does not serve it.
#[must_use]
pub fn submission_types(route: &str) -> Option<&'static [&'static str]> {
    SUBMISSIONS
        .iter()
        .find(|(name, _)| *name == route)
        .map(|(_, types)| *types)
}

/// Whether the sandbox answers `/public/v1/query/<route>`.
#[must_use]
pub fn is_query(route: &str) -> bool {
    QUERIES.contains(&route)
}

/// Every Turnkey path the sandbox implements, sorted.
#[must_use]
pub fn implemented() -> Vec<String> {
    let mut all: Vec<String> = SUBMISSIONS
        .iter()
        .map(|(name, _)| format!("/public/v1/submit/{name}"))
        .chain(
            QUERIES
                .iter()
                .map(|name| format!("/public/v1/query/{name}")),
        )
        .collect();
    all.sort();
    all
}

/// The refusal for a path the sandbox does not serve: 501 when Turnkey's spec has it, else 404.
#[must_use]
pub fn unknown(path: &str) -> ApiError {
    if in_spec(path) {
        ApiError::Unimplemented(format!(
            "{path} is part of Turnkey's API but not supported by the sandbox (see GET /sandbox/v1/routes)"
        ))
    } else {
        ApiError::NotFound(format!("{path} is not a Turnkey API path"))
    }
}

/// `GET /sandbox/v1/routes`: what the sandbox implements, for `scripts/spec-coverage.mjs`.
#[must_use]
pub fn to_json() -> Value {
    json!({
        "implemented": implemented(),
        "specPaths": spec_paths().count(),
        "unsupported": "every other path of the spec answers HTTP 501 (gRPC code 12, not supported by the sandbox)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_path_is_in_the_spec() {
        let paths = implemented();
        assert_eq!(paths.len(), SUBMISSIONS.len() + QUERIES.len());
        for p in &paths {
            assert!(in_spec(p), "{p} is not in Turnkey's spec");
        }
        assert!(spec_paths().count() > 100);
    }

    #[test]
    fn unknown_paths_are_501_in_the_spec_and_404_outside() {
        let e = unknown("/public/v1/submit/create_users");
        assert_eq!(e.http_status().as_u16(), 501);
        assert_eq!(e.grpc_code(), 12);
        assert!(e.to_string().contains("not supported by the sandbox"));
        assert_eq!(
            unknown("/public/v1/query/get_wallets")
                .http_status()
                .as_u16(),
            404
        );
    }
}
