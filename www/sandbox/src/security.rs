//! The platform's admin token and the headers every page is served with.
//!
//! Admin routes (`/platform/admin/*` writes, `/sandbox/v1/faults` writes) require
//! `X-Platform-Admin-Token`. The token is random, kept in `<data>/admin-token` (created on first
//! start, kept across restarts) and served same-origin at `GET /platform/admin/token` without
//! CORS headers: a page of another origin can neither read it nor send the custom header (the
//! preflight that header needs is refused).

use std::path::Path;

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;

/// The header carrying the admin token.
pub const ADMIN_TOKEN_HEADER: &str = "x-platform-admin-token";

/// The file in the data directory holding the token.
pub const ADMIN_TOKEN_FILE: &str = "admin-token";

/// `Content-Security-Policy` for every HTML page the sandbox serves.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors 'none'";

/// The page policy: [`CSP`], plus `frame-src` the isolated export frame's origin when it is served.
#[must_use]
pub fn page_csp(export_frame_origin: Option<&str>) -> HeaderValue {
    export_frame_origin
        .and_then(|o| HeaderValue::from_str(&format!("{CSP}; frame-src {o}")).ok())
        .unwrap_or_else(|| HeaderValue::from_static(CSP))
}

/// `nosniff` and `no-referrer`, on every response of both listeners.
pub fn insert_common_headers(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The admin token (redacted in `Debug`).
#[derive(Clone)]
pub struct AdminToken(String);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

impl AdminToken {
    /// Reads `<dir>/admin-token`, or creates it (32 random bytes, hex; mode 0600 on Unix).
    ///
    /// # Errors
    /// [`ApiError::Internal`] when the file cannot be read or written.
    pub fn load_or_create(dir: &Path) -> Result<Self, ApiError> {
        let file = dir.join(ADMIN_TOKEN_FILE);
        match std::fs::read_to_string(&file) {
            Ok(s) if s.trim().len() >= 32 => return Ok(Self(s.trim().to_owned())),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ApiError::internal(format!("{}: {e}", file.display()))),
        }
        let mut raw = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut raw);
        let token = hex::encode(raw);
        write_private(&file, &format!("{token}\n"))
            .map_err(|e| ApiError::internal(format!("{}: {e}", file.display())))?;
        Ok(Self(token))
    }

    /// The token.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the token (compared through hashes, so timing says nothing).
    #[must_use]
    pub fn matches(&self, candidate: &str) -> bool {
        Sha256::digest(candidate.as_bytes()) == Sha256::digest(self.0.as_bytes())
    }

    /// Accepts a request carrying the right `X-Platform-Admin-Token`.
    ///
    /// # Errors
    /// [`ApiError::Unauthenticated`] (401) when the header is missing or wrong.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        match headers
            .get(ADMIN_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            None => Err(ApiError::Unauthenticated(
                "admin routes require the X-Platform-Admin-Token header (GET /platform/admin/token, same origin)".to_owned(),
            )),
            Some(t) if self.matches(t.trim()) => Ok(()),
            Some(_) => Err(ApiError::Unauthenticated(
                "the X-Platform-Admin-Token is wrong".to_owned(),
            )),
        }
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

/// Whether a path is an admin route: no CORS headers, preflights refused.
#[must_use]
pub fn is_admin_path(path: &str) -> bool {
    path == "/platform/admin"
        || path.starts_with("/platform/admin/")
        || path == "/sandbox/v1/faults"
        || path.starts_with("/sandbox/v1/faults/")
}

/// Whether the request's `Host` names this machine (loopback) or one of the allowed origins'
/// hosts, so a DNS-rebound name cannot read the token; and a browser's `Sec-Fetch-Site`, when
/// present, says same-origin (or none: typed in the address bar).
#[must_use]
pub fn same_origin_request(headers: &HeaderMap, origins: &[String]) -> bool {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host.as_str(), |(n, _)| n);
    let loopback = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    let listed = origins.iter().any(|o| {
        o.split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host))
    });
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|s| s == "same-origin" || s == "none");
    (loopback || listed) && fetch_site_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn token_is_created_once_and_checked() {
        let dir = std::env::temp_dir().join(format!("qs-token-{}", crate::model::new_id()));
        let _ = std::fs::create_dir_all(&dir);
        let a = AdminToken::load_or_create(&dir).ok();
        let b = AdminToken::load_or_create(&dir).ok();
        assert!(a.is_some());
        assert_eq!(
            a.as_ref().map(AdminToken::as_str),
            b.as_ref().map(AdminToken::as_str)
        );
        let token = a.map(|t| t.0).unwrap_or_default();
        assert_eq!(token.len(), 64);
        let t = AdminToken(token.clone());
        let mut h = HeaderMap::new();
        assert!(t.check(&h).is_err());
        h.insert(ADMIN_TOKEN_HEADER, HeaderValue::from_static("nope"));
        assert!(t.check(&h).is_err());
        if let Ok(v) = HeaderValue::from_str(&token) {
            h.insert(ADMIN_TOKEN_HEADER, v);
        }
        assert!(t.check(&h).is_ok());
        assert!(!format!("{t:?}").contains(&token));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_loopback_or_listed_hosts_and_same_origin_fetches() {
        let origins = vec!["https://wallet.example".to_owned()];
        let with = |host: &str, site: Option<&str>| {
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(host) {
                h.insert(axum::http::header::HOST, v);
            }
            if let Some(s) = site.and_then(|s| HeaderValue::from_str(s).ok()) {
                h.insert("sec-fetch-site", s);
            }
            same_origin_request(&h, &origins)
        };
        assert!(with("localhost:8787", None));
        assert!(with("127.0.0.1:9", Some("same-origin")));
        assert!(with("wallet.example", None));
        assert!(!with("evil.example:8787", None));
        assert!(!with("localhost:8787", Some("cross-site")));
        assert!(!with("localhost:8787", Some("same-site")));
    }
}
