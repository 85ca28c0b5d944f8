//! Activity statuses. Unknown statuses are kept verbatim, not rejected, so a newer server
//! never breaks an older kit.

use crate::prelude::*;

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The status of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActivityStatus {
    /// `ACTIVITY_STATUS_CREATED`.
    Created,
    /// `ACTIVITY_STATUS_PENDING`.
    Pending,
    /// `ACTIVITY_STATUS_COMPLETED` (terminal).
    Completed,
    /// `ACTIVITY_STATUS_FAILED` (terminal).
    Failed,
    /// `ACTIVITY_STATUS_CONSENSUS_NEEDED`: waiting for more approvals (pending platform approval).
    ConsensusNeeded,
    /// `ACTIVITY_STATUS_REJECTED` (terminal).
    Rejected,
    /// `ACTIVITY_STATUS_AUTHENTICATORS_NEEDED`.
    AuthenticatorsNeeded,
    /// A status this kit does not know, kept as sent.
    Unknown(String),
}

impl ActivityStatus {
    /// The wire name, e.g. `ACTIVITY_STATUS_COMPLETED`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "ACTIVITY_STATUS_CREATED",
            Self::Pending => "ACTIVITY_STATUS_PENDING",
            Self::Completed => "ACTIVITY_STATUS_COMPLETED",
            Self::Failed => "ACTIVITY_STATUS_FAILED",
            Self::ConsensusNeeded => "ACTIVITY_STATUS_CONSENSUS_NEEDED",
            Self::Rejected => "ACTIVITY_STATUS_REJECTED",
            Self::AuthenticatorsNeeded => "ACTIVITY_STATUS_AUTHENTICATORS_NEEDED",
            Self::Unknown(s) => s,
        }
    }

    /// Parses a wire name; anything unrecognised becomes [`ActivityStatus::Unknown`].
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match s {
            "ACTIVITY_STATUS_CREATED" => Self::Created,
            "ACTIVITY_STATUS_PENDING" => Self::Pending,
            "ACTIVITY_STATUS_COMPLETED" => Self::Completed,
            "ACTIVITY_STATUS_FAILED" => Self::Failed,
            "ACTIVITY_STATUS_CONSENSUS_NEEDED" => Self::ConsensusNeeded,
            "ACTIVITY_STATUS_REJECTED" => Self::Rejected,
            "ACTIVITY_STATUS_AUTHENTICATORS_NEEDED" => Self::AuthenticatorsNeeded,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// Whether the activity can change no further (completed, failed or rejected).
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Rejected)
    }
}

impl fmt::Display for ActivityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ActivityStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ActivityStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(Self::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_statuses_round_trip_and_unknown_ones_are_kept() {
        for s in [
            ActivityStatus::Created,
            ActivityStatus::Pending,
            ActivityStatus::Completed,
            ActivityStatus::Failed,
            ActivityStatus::ConsensusNeeded,
            ActivityStatus::Rejected,
            ActivityStatus::AuthenticatorsNeeded,
        ] {
            assert_eq!(ActivityStatus::parse(s.as_str()), s);
        }
        let unknown: ActivityStatus =
            serde_json::from_str("\"ACTIVITY_STATUS_NEW_THING\"").unwrap();
        assert_eq!(
            unknown,
            ActivityStatus::Unknown("ACTIVITY_STATUS_NEW_THING".into())
        );
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            "\"ACTIVITY_STATUS_NEW_THING\""
        );
        assert!(!unknown.is_terminal());
        assert!(ActivityStatus::Rejected.is_terminal());
        assert!(!ActivityStatus::ConsensusNeeded.is_terminal());
    }
}
