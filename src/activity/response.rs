//! The activity as Turnkey returns it: `{"activity": {id, organizationId, status, type, intent,
//! result, votes[], fingerprint, canApprove, canReject, createdAt, updatedAt, failure?}}`.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;

use crate::prelude::*;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::intents::Intent;
use super::{ActivityError, ActivityStatus};

/// A JSON value kept as its text: the parts of an activity the kit hands on without reading them
/// all (intent, result, timestamps). Reading them into `serde_json::Value`s cost the wasm about
/// 20 KB; the JS API parses the text with `JSON.parse`, and [`RawJson::member`] reads one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson(String);

impl RawJson {
    /// The JSON text (`null` when the member was absent).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON text of member `key`, when this is an object that has it.
    #[must_use]
    pub fn member(&self, key: &str) -> Option<String> {
        let members: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&self.0).ok()?;
        members.get(key).map(|v| String::from(v.get()))
    }
}

impl Default for RawJson {
    fn default() -> Self {
        Self("null".to_owned())
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(|v| Self(v.get().to_owned()))
    }
}

/// The `{"activity": …}` wrapper of every activity response.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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

/// An activity. (Not `Serialize`: the JS API builds its object field by field, parsing the
/// [`RawJson`] parts.)
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    pub intent: RawJson,
    /// The result, once completed.
    #[serde(default)]
    pub result: RawJson,
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
    pub created_at: RawJson,
    /// Last update time.
    #[serde(default)]
    pub updated_at: RawJson,
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
            .member(I::RESULT_KEY)
            .ok_or(ActivityError::MissingResult(I::RESULT_KEY))?;
        serde_json::from_str(&value).map_err(|e| ActivityError::Response(e.to_string()))
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
    fn raw_parts_keep_their_json_text() {
        let a = Activity::from_response(
            r#"{"activity":{"id":"a","organizationId":"o","status":"ACTIVITY_STATUS_COMPLETED","type":"T",
            "result":{"x\"y":[1, {"z":null}],"signRawPayloadResult":{"r":"01","s":"02","v":"00"}},
            "createdAt":{"seconds":"1","nanos":"0"}}}"#,
        )
        .unwrap();
        assert_eq!(a.created_at.as_str(), r#"{"seconds":"1","nanos":"0"}"#);
        // Absent parts are JSON null, as serde_json's `Value` defaulted to.
        assert_eq!(a.intent, RawJson::default());
        assert_eq!(a.intent.as_str(), "null");
        assert_eq!(a.updated_at.member("seconds"), None);
        assert_eq!(
            a.result.member("x\"y").as_deref(),
            Some(r#"[1, {"z":null}]"#)
        );
        assert_eq!(a.result.member("missing"), None);
        let r = a.result_of::<SignRawPayload>().unwrap();
        assert_eq!(
            (r.r.as_str(), r.s.as_str(), r.v.as_str()),
            ("01", "02", "00")
        );
    }

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
