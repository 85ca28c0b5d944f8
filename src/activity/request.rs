//! Request bodies, serialized once so the stamped bytes are the sent bytes.

use crate::prelude::*;

use serde::Serialize;

use super::ActivityError;
use super::intents::Intent;
use crate::flat_json::object_of_strings;
use crate::stamp::webauthn::challenge_for_body;

/// `"sha256:" + hex(SHA-256(body))`: how Turnkey names an activity (idempotency and votes).
#[must_use]
pub fn fingerprint(body: &str) -> String {
    format!("sha256:{}", challenge_for_body(body))
}

/// The envelope of a submission: `{type, timestampMs, organizationId, parameters}`, in Turnkey's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a, P> {
    #[serde(rename = "type")]
    activity_type: &'a str,
    timestamp_ms: String,
    organization_id: &'a str,
    parameters: &'a P,
}

/// A submission ready to stamp and send: its path, its exact body and the fingerprint the
/// resulting activity will carry. Re-sending the same value is idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRequest {
    /// `/public/v1/submit/<name>`.
    pub path: &'static str,
    /// The exact JSON body.
    pub body: String,
    /// `sha256:<hex>` of the body.
    pub fingerprint: String,
}

impl ActivityRequest {
    /// Builds the body for `intent` in `organization_id` at `timestamp_ms` (milliseconds since
    /// the Unix epoch; Turnkey wants it as a string).
    ///
    /// # Errors
    /// [`ActivityError::Serialize`] if the parameters cannot be serialized (never for the kit's
    /// own intent types).
    pub fn new<I: Intent>(
        intent: &I,
        organization_id: &str,
        timestamp_ms: u64,
    ) -> Result<Self, ActivityError> {
        let body = serde_json::to_string(&Envelope {
            activity_type: I::TYPE,
            timestamp_ms: timestamp_ms.to_string(),
            organization_id,
            parameters: intent,
        })
        .map_err(|e| ActivityError::Serialize(e.to_string()))?;
        Ok(Self {
            path: I::PATH,
            fingerprint: fingerprint(&body),
            body,
        })
    }
}

/// A read-only query (`/public/v1/query/…`): its path and exact body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRequest {
    /// `/public/v1/query/<name>`.
    pub path: &'static str,
    /// The exact JSON body.
    pub body: String,
}

impl QueryRequest {
    /// `get_activity` for one activity.
    #[must_use]
    pub fn get_activity(organization_id: &str, activity_id: &str) -> Self {
        Self {
            path: "/public/v1/query/get_activity",
            // Members in serde_json's (sorted) order, as the body has always been written.
            body: object_of_strings(&[
                ("activityId", activity_id),
                ("organizationId", organization_id),
            ]),
        }
    }

    /// `whoami` for the stamping user.
    #[must_use]
    pub fn whoami(organization_id: &str) -> Self {
        Self {
            path: "/public/v1/query/whoami",
            body: object_of_strings(&[("organizationId", organization_id)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::intents::{ApproveActivity, ExportWallet};

    #[test]
    fn body_has_turnkeys_shape_and_order() {
        let req = ActivityRequest::new(
            &ApproveActivity {
                fingerprint: "sha256:ab".into(),
            },
            "org-1",
            1_754_952_030_221,
        )
        .unwrap();
        assert_eq!(req.path, "/public/v1/submit/approve_activity");
        assert_eq!(
            req.body,
            r#"{"type":"ACTIVITY_TYPE_APPROVE_ACTIVITY","timestampMs":"1754952030221","organizationId":"org-1","parameters":{"fingerprint":"sha256:ab"}}"#
        );
        assert_eq!(req.fingerprint, fingerprint(&req.body));
    }

    #[test]
    fn optional_fields_are_omitted_and_timestamps_change_fingerprints() {
        let intent = ExportWallet {
            wallet_id: "w".into(),
            target_public_key: "04ab".into(),
            language: None,
        };
        let a = ActivityRequest::new(&intent, "o", 1).unwrap();
        let b = ActivityRequest::new(&intent, "o", 2).unwrap();
        assert!(!a.body.contains("language"));
        assert_ne!(a.fingerprint, b.fingerprint);
        assert_eq!(a, ActivityRequest::new(&intent, "o", 1).unwrap());
    }

    #[test]
    fn protocol_vector_e_fingerprint() {
        let body = r#"{"type":"ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION","timestampMs":"1754952030221","organizationId":"35e5c619-ba95-417c-bb48-b16f1543aea0","parameters":{"deleteWithoutExport":true}}"#;
        assert_eq!(
            fingerprint(body),
            "sha256:143e777f907453d71c5a3213059d641f54b28737276c4bc6b405ef06831876cb"
        );
    }

    #[test]
    fn queries_are_json() {
        let q = QueryRequest::get_activity("o", "a\"b");
        let v: serde_json::Value = serde_json::from_str(&q.body).unwrap();
        assert_eq!(v["activityId"], "a\"b");
        // The bytes serde_json writes for the same object.
        assert_eq!(
            q.body,
            serde_json::json!({ "organizationId": "o", "activityId": "a\"b" }).to_string()
        );
        assert_eq!(QueryRequest::whoami("o").body, r#"{"organizationId":"o"}"#);
    }
}
