//! Runtime configuration from the environment.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// How long an activity's approvals stay open after its first vote (Turnkey: 24 h).
pub const APPROVAL_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// How far in the past a `timestampMs` may be. Turnkey's exact window is not published; this
/// sandbox picks one hour.
pub const TIMESTAMP_MAX_AGE_MS: i64 = 60 * 60 * 1000;

/// How far in the future a `timestampMs` may be (clock skew allowance; also a local choice).
pub const TIMESTAMP_MAX_FUTURE_MS: i64 = 5 * 60 * 1000;

/// Everything the sandbox needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where the isolated export frame is served (`QUORUM_SANDBOX_FRAME_PORT`; `0` = any free
    /// port), on `127.0.0.1`: another site than `localhost`, so browsers isolate it in its own
    /// process. `None`: not served.
    pub frame_port: Option<u16>,
    /// Where the SQLite database and `platform-api-key.json` live.
    pub data_dir: PathBuf,
    /// The demo site served at `/`.
    pub www_dir: PathBuf,
    /// The built npm package served at `/pkg/`.
    pub pkg_dir: PathBuf,
    /// Allowed WebAuthn origins; empty means `http://localhost:<bound port>`.
    pub origins: Vec<String>,
    /// The WebAuthn relying-party id whose SHA-256 must match `rpIdHash`.
    pub rp_id: String,
    /// How often the platform's co-signer looks for activities to decide, in milliseconds.
    pub cosigner_interval_ms: u64,
    /// The co-signer leaves an activity pending at least this long, in milliseconds.
    pub cosigner_delay_ms: i64,
    /// Log each request to stderr.
    pub log_requests: bool,
}

impl Config {
    /// Reads `PORT`, `QUORUM_SANDBOX_DATA`, `QUORUM_SANDBOX_WWW`, `QUORUM_SANDBOX_PKG`,
    /// `QUORUM_SANDBOX_ORIGINS` (comma-separated), `QUORUM_SANDBOX_RP_ID` and `QUORUM_SANDBOX_LOG`.
    #[must_use]
    pub fn from_env() -> Self {
        let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let repo_root = crate_dir.join("..").join("..");
        let port = std::env::var("PORT")
            .ok()
            .and_then(|p| p.trim().parse::<u16>().ok())
            .unwrap_or(8787);
        let path_var = |name: &str, default: PathBuf| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or(default)
        };
        let origins = std::env::var("QUORUM_SANDBOX_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            frame_port: std::env::var("QUORUM_SANDBOX_FRAME_PORT")
                .ok()
                .and_then(|v| v.parse().ok()),
            data_dir: path_var("QUORUM_SANDBOX_DATA", repo_root.join(".sandbox-data")),
            www_dir: path_var("QUORUM_SANDBOX_WWW", crate_dir.join("..")),
            pkg_dir: path_var("QUORUM_SANDBOX_PKG", repo_root.join("pkg")),
            origins,
            rp_id: std::env::var("QUORUM_SANDBOX_RP_ID")
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "localhost".to_owned()),
            cosigner_interval_ms: std::env::var("QUORUM_SANDBOX_COSIGNER_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(250),
            cosigner_delay_ms: std::env::var("QUORUM_SANDBOX_COSIGNER_DELAY_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            log_requests: std::env::var("QUORUM_SANDBOX_LOG")
                .is_ok_and(|v| !v.is_empty() && v != "0"),
        }
    }

    /// A configuration for tests: `127.0.0.1:0`, the given data directory, defaults elsewhere.
    #[must_use]
    pub fn for_tests(data_dir: PathBuf) -> Self {
        let mut config = Self::from_env();
        config.listen = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
        config.data_dir = data_dir;
        config.origins = Vec::new();
        config.rp_id = "localhost".to_owned();
        config.cosigner_interval_ms = 50;
        config
    }
}
