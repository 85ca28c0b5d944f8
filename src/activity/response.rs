//! The activity as Turnkey returns it: `{"activity": {id, organizationId, status, type, intent,
//! result, votes[], fingerprint, canApprove, canReject, createdAt, updatedAt, failure?}}`.

use crate::prelude::*;

use serde::{Deserialize, Serialize};

use super::intents::Intent;
use super::{ActivityError, ActivityStatus};

/// The `{"activity": …}` wrapper of every activity response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEnvelope {
    /// The activity.
    pub activity: Activity,
}

/// A vote on an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    /// Vote id.
    #[serde(default)]
    pub id: String,
    /// The voter.
    #[serde(default)]
    pub user_id: String,
    /// `VOTE_SELECTION_APPROVED` or `VOTE_SELECTION_REJECTED`.
    #[serde(default)]
    pub selection: String,
}

/// Why an activity failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// A gRPC-style code.
    #[serde(default)]
    pub code: i64,
    /// The server's message.
    #[serde(default)]
    pub message: String,
}

/// An activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Activity id.
    pub id: String,
    /// The organization it runs in.
    pub organization_id: String,
    /// Its status.
    pub status: ActivityStatus,
    /// `ACTIVITY_TYPE_…`.
    #[serde(rename = "type")]
    pub activity_type: String,
    /// The intent, as sent back by the server.
    #[serde(default)]
    pub intent: serde_json::Value,
    /// The result, once completed.
    #[serde(default)]
    pub result: serde_json::Value,
    /// Votes so far.
    #[serde(default)]
    pub votes: Vec<Vote>,
    /// `sha256:<hex>` of the submitted body.
    #[serde(default)]
    pub fingerprint: String,
    /// Whether the caller may still approve.
    #[serde(default)]
    pub can_approve: bool,
    /// Whether the caller may still reject.
    #[serde(default)]
    pub can_reject: bool,
    /// Creation time (`{seconds, nanos}` on the wire).
    #[serde(default)]
    pub created_at: serde_json::Value,
    /// Last update time.
    #[serde(default)]
    pub updated_at: serde_json::Value,
    /// Why it failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl Activity {
    /// Parses a `{"activity": …}` response body.
    ///
    /// # Errors
    /// [`ActivityError::Response`] if the JSON is not an activity response.
    pub fn from_response(json: &str) -> Result<Self, ActivityError> {
        serde_json::from_str::<ActivityEnvelope>(json)
            .map(|e| e.activity)
            .map_err(|e| ActivityError::Response(e.to_string()))
    }

    /// The typed result of a completed activity of intent `I`.
    ///
    /// # Errors
    /// [`ActivityError::MissingResult`] if the result is absent, [`ActivityError::Response`]
    /// if it has the wrong shape.
    pub fn result_of<I: Intent>(&self) -> Result<I::Output, ActivityError> {
        let value = self
            .result
            .get(I::RESULT_KEY)
            .ok_or(ActivityError::MissingResult(I::RESULT_KEY))?;
        serde_json::from_value(value.clone()).map_err(|e| ActivityError::Response(e.to_string()))
    }

    /// The user ids that voted to approve.
    #[must_use]
    pub fn approvals(&self) -> Vec<&str> {
        self.votes
            .iter()
            .filter(|v| v.selection == "VOTE_SELECTION_APPROVED")
            .map(|v| v.user_id.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::intents::{SignRawPayload, SignTransaction};

    const PENDING: &str = r#"{"activity":{"id":"a1","organizationId":"o","status":"ACTIVITY_STATUS_CONSENSUS_NEEDED","type":"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2","intent":{},"result":{},"votes":[{"id":"v","userId":"u1","selection":"VOTE_SELECTION_APPROVED","extra":1}],"fingerprint":"sha256:00","canApprove":false,"canReject":false,"createdAt":{"seconds":"1","nanos":"0"},"updatedAt":{"seconds":"1","nanos":"0"}}}"#;

    #[test]
    fn pending_activity_parses_with_votes() {
        let a = Activity::from_response(PENDING).unwrap();
        assert_eq!(a.status, ActivityStatus::ConsensusNeeded);
        assert_eq!(a.approvals(), vec!["u1"]);
        assert_eq!(
            a.result_of::<SignRawPayload>(),
            Err(ActivityError::MissingResult("signRawPayloadResult"))
        );
    }

    #[test]
    fn completed_result_is_typed() {
        let json = PENDING.replace("CONSENSUS_NEEDED", "COMPLETED").replace(
            r#""result":{}"#,
            r#""result":{"signRawPayloadResult":{"r":"01","s":"02","v":"00"}}"#,
        );
        let a = Activity::from_response(&json).unwrap();
        assert_eq!(a.result_of::<SignRawPayload>().unwrap().r, "01");
        assert!(matches!(
            a.result_of::<SignTransaction>(),
            Err(ActivityError::MissingResult(_))
        ));
        assert!(matches!(
            Activity::from_response("{}"),
            Err(ActivityError::Response(_))
        ));
    }
}
