//! Activities (PROTOCOL §4): the request envelope, typed intents and results, statuses,
//! fingerprints, and the response shape.
//!
//! A request body is serialized exactly once ([`ActivityRequest::new`]); the same string is
//! stamped and sent, so the signature and the fingerprint cover the bytes Turnkey receives.

use crate::prelude::*;

pub mod intents;
pub mod request;
pub mod response;
pub mod status;

pub use intents::Intent;
pub use request::{ActivityRequest, QueryRequest, fingerprint};
pub use response::{Activity, ActivityEnvelope, Failure, RawJson, Vote};
pub use status::ActivityStatus;

/// Why an activity could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    /// The request could not be serialized.
    #[error("cannot serialize the request: {0}")]
    Serialize(String),
    /// The response is not the JSON shape Turnkey returns.
    #[error("unexpected response shape: {0}")]
    Response(String),
    /// The activity has no result of the expected kind (it has not completed, or is another type).
    #[error("the activity has no `{0}` result")]
    MissingResult(&'static str),
}
