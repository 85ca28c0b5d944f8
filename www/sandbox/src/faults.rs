//! Fault injection, configured at run time through `/sandbox/v1/faults`: added latency, HTTP
//! errors, dropped connections, truncated and slow bodies, per route. Rules live in memory only
//! (a restart clears them).
//!
//! A rule applies to requests whose path equals `path` (or starts with it when `path` ends
//! with `*`), optionally only for one `method`. `count` limits how many requests it hits (the
//! rule is spent afterwards); `probability` (0–1) makes each hit a coin toss. `when` says
//! whether the fault strikes `before` the request is handled (nothing is executed) or `after`
//! (the request is executed and only its response is lost or damaged).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::ApiError;

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Waits `ms` before handling the request (then answers normally).
    Latency,
    /// Answers `status` (default 503) in Turnkey's error shape.
    Status,
    /// Closes the connection without any response.
    Drop,
    /// Sends the status, headers and the first half of the body (with the full
    /// `Content-Length`), then closes the connection.
    Truncate,
    /// Sends the body in small chunks spread over `ms`.
    Slow,
}

/// Whether a fault strikes before or after the request is executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// The request is not executed.
    Before,
    /// The request is executed; its response is lost or damaged.
    After,
}

/// A rule as posted to `POST /sandbox/v1/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// The request path (`/public/v1/query/get_activity`), or a prefix ending in `*`.
    pub path: String,
    /// What happens.
    pub kind: FaultKind,
    /// Only this method (e.g. `POST`); any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Milliseconds: the delay for `latency`, the whole body's duration for `slow` (default 1000).
    #[serde(default)]
    pub ms: Option<u64>,
    /// The HTTP status for `status` (500–599, default 503).
    #[serde(default)]
    pub status: Option<u16>,
    /// How many requests the rule hits before it is spent; unlimited when absent.
    #[serde(default)]
    pub count: Option<u64>,
    /// The chance (0–1) that a matching request is hit; 1 when absent.
    #[serde(default)]
    pub probability: Option<f64>,
    /// `before` or `after` the request is executed. Default: `before` for `latency` and
    /// `status`, `after` for the others (`drop` after execution is a lost response).
    #[serde(default)]
    pub when: Option<When>,
}

/// An installed rule, as `GET /sandbox/v1/faults` shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Its id.
    pub id: String,
    /// The path or prefix.
    pub path: String,
    /// What happens.
    pub kind: FaultKind,
    /// Only this method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Milliseconds (latency, slow).
    pub ms: u64,
    /// HTTP status (status).
    pub status: u16,
    /// Hits left; `null` for unlimited.
    pub remaining: Option<u64>,
    /// The chance of a hit.
    pub probability: f64,
    /// Before or after execution.
    pub when: When,
    /// How many requests it has hit.
    pub hits: u64,
    /// When each hit happened (milliseconds since the Unix epoch; the last 100).
    pub hit_times_ms: Vec<i64>,
}

impl FaultRule {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.path,
        };
        path_ok
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.remaining != Some(0)
    }
}

/// The installed rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

/// A fault chosen for one request.
#[derive(Debug, Clone, Copy)]
pub struct Strike {
    /// What happens.
    pub kind: FaultKind,
    /// Milliseconds.
    pub ms: u64,
    /// HTTP status.
    pub status: u16,
    /// Before or after execution.
    pub when: When,
}

/// A uniform number in `[0, 1)`.
fn coin() -> f64 {
    let mut b = [0u8; 8];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut b);
    #[allow(clippy::cast_precision_loss)]
    let x = (u64::from_le_bytes(b) >> 11) as f64;
    x / (1u64 << 53) as f64
}

impl Faults {
    /// Validates and installs a rule.
    ///
    /// # Errors
    /// [`ApiError::InvalidArgument`] for a path not starting with `/`, a status outside
    /// 400–599, a probability outside 0–1, or a count of 0.
    pub fn add(&self, spec: FaultSpec) -> Result<FaultRule, ApiError> {
        if !spec.path.starts_with('/') {
            return Err(ApiError::invalid("path must start with /"));
        }
        if spec.path.starts_with("/sandbox/v1/faults") {
            return Err(ApiError::invalid(
                "the faults endpoint itself cannot be faulted",
            ));
        }
        let status = spec.status.unwrap_or(503);
        if !(400..=599).contains(&status) {
            return Err(ApiError::invalid("status must be within 400–599"));
        }
        let probability = spec.probability.unwrap_or(1.0);
        if !(0.0..=1.0).contains(&probability) {
            return Err(ApiError::invalid("probability must be within 0–1"));
        }
        if spec.count == Some(0) {
            return Err(ApiError::invalid("count must be at least 1"));
        }
        let ms = spec.ms.unwrap_or(match spec.kind {
            FaultKind::Slow => 1000,
            _ => 0,
        });
        if ms > 600_000 {
            return Err(ApiError::invalid("ms must be at most 600000"));
        }
        let when = spec.when.unwrap_or(match spec.kind {
            FaultKind::Latency | FaultKind::Status => When::Before,
            FaultKind::Drop | FaultKind::Truncate | FaultKind::Slow => When::After,
        });
        let rule = FaultRule {
            id: crate::model::new_id(),
            path: spec.path,
            kind: spec.kind,
            method: spec.method,
            ms,
            status,
            remaining: spec.count,
            probability,
            when,
            hits: 0,
            hit_times_ms: Vec::new(),
        };
        self.lock()?.push(rule.clone());
        Ok(rule)
    }

    /// The installed rules.
    ///
    /// # Errors
    /// [`ApiError::Internal`] if the lock is poisoned.
    pub fn list(&self) -> Result<Vec<FaultRule>, ApiError> {
        Ok(self.lock()?.clone())
    }

    /// Removes every rule.
    ///
    /// # Errors
    /// [`ApiError::Internal`] if the lock is poisoned.
    pub fn clear(&self) -> Result<usize, ApiError> {
        let mut rules = self.lock()?;
        let n = rules.len();
        rules.clear();
        Ok(n)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Vec<FaultRule>>, ApiError> {
        self.rules
            .lock()
            .map_err(|_| ApiError::Internal("faults lock poisoned".to_owned()))
    }

    /// The first rule that hits this request, if any (its count and hits are updated).
    #[must_use]
    pub fn strike(&self, method: &str, path: &str) -> Option<Strike> {
        let mut rules = self.rules.lock().ok()?;
        let rule = rules.iter_mut().find(|r| {
            r.matches(method, path) && (r.probability >= 1.0 || coin() < r.probability)
        })?;
        if let Some(n) = rule.remaining.as_mut() {
            *n = n.saturating_sub(1);
        }
        rule.hits += 1;
        if rule.hit_times_ms.len() >= 100 {
            rule.hit_times_ms.remove(0);
        }
        rule.hit_times_ms.push(crate::model::now_ms());
        Some(Strike {
            kind: rule.kind,
            ms: rule.ms,
            status: rule.status,
            when: rule.when,
        })
    }
}

/// The error a `status` fault answers with.
#[must_use]
pub fn status_response(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let grpc = match status {
        503 => 14,
        504 => 4,
        501 => 12,
        _ => 13,
    };
    (
        code,
        axum::Json(serde_json::json!({
            "code": grpc,
            "message": format!("injected fault: HTTP {status}"),
            "details": [],
        })),
    )
        .into_response()
}

/// `resp` with a body that fails at once (after a non-zero `Content-Length`): the client gets
/// the status line and headers, then a broken connection.
#[must_use]
pub fn truncated(resp: Response) -> Response {
    let (mut parts, _) = resp.into_parts();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("1"));
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Err(std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "injected fault: connection dropped",
    ))];
    Response::from_parts(parts, Body::from_stream(futures_util::stream::iter(chunks)))
}

/// Rebuilds `resp` so its body is cut in half (after the full `Content-Length` was announced)
/// or dribbled out over `ms`.
pub async fn damage_body(resp: Response, kind: FaultKind, ms: u64) -> Response {
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return status_response(500);
    };
    if let Ok(v) = HeaderValue::from_str(&bytes.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, v);
    }
    let body = match kind {
        FaultKind::Truncate => {
            let half = bytes.slice(..bytes.len() / 2);
            // The half goes out (and is flushed) before the connection breaks.
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let half = half.clone();
                async move {
                    match step {
                        0 => Some((Ok(half), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Some((
                                Err(std::io::Error::new(
                                    std::io::ErrorKind::ConnectionAborted,
                                    "injected fault: truncated body",
                                )),
                                2,
                            ))
                        }
                        _ => None,
                    }
                }
            });
            Body::from_stream(stream)
        }
        _ => {
            let pieces = 10usize;
            let step = bytes.len().div_ceil(pieces).max(1);
            let delay = Duration::from_millis(ms / pieces as u64);
            let stream = futures_util::stream::unfold(0usize, move |at| {
                let bytes = bytes.clone();
                async move {
                    if at >= bytes.len() {
                        return None;
                    }
                    tokio::time::sleep(delay).await;
                    let end = (at + step).min(bytes.len());
                    Some((Ok::<Bytes, std::io::Error>(bytes.slice(at..end)), end))
                }
            });
            Body::from_stream(stream)
        }
    };
    Response::from_parts(parts, body)
}

/// The handle a connection's requests use to drop it.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    /// The peer.
    pub peer: SocketAddr,
    killed: Arc<AtomicBool>,
}

impl ConnHandle {
    /// Makes every further write on the connection fail, so it closes without a response.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

/// A TCP connection that can be killed by a `drop` fault.
#[derive(Debug)]
pub struct FaultStream {
    inner: tokio::net::TcpStream,
    killed: Arc<AtomicBool>,
}

fn killed_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "injected fault: connection dropped",
    )
}

impl AsyncRead for FaultStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A TCP listener whose connections a `drop` fault can kill.
#[derive(Debug)]
pub struct FaultListener(pub tokio::net::TcpListener);

impl axum::serve::Listener for FaultListener {
    type Io = FaultStream;
    type Addr = ConnHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, peer) = axum::serve::Listener::accept(&mut self.0).await;
        let _ = stream.set_nodelay(true);
        let killed = Arc::new(AtomicBool::new(false));
        (
            FaultStream {
                inner: stream,
                killed: killed.clone(),
            },
            ConnHandle { peer, killed },
        )
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(ConnHandle {
            peer: self.0.local_addr()?,
            killed: Arc::default(),
        })
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, FaultListener>>
    for ConnHandle
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, FaultListener>) -> Self {
        stream.remote_addr().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: FaultKind) -> FaultSpec {
        FaultSpec {
            path: "/public/v1/query/*".to_owned(),
            kind,
            method: None,
            ms: None,
            status: None,
            count: Some(2),
            probability: None,
            when: None,
        }
    }

    #[test]
    fn count_prefix_and_defaults() {
        let f = Faults::default();
        let rule = f.add(spec(FaultKind::Drop)).ok();
        assert_eq!(rule.map(|r| r.when), Some(When::After));
        assert!(f.strike("POST", "/public/v1/submit/x").is_none());
        assert!(f.strike("POST", "/public/v1/query/whoami").is_some());
        assert!(f.strike("POST", "/public/v1/query/get_activity").is_some());
        assert!(f.strike("POST", "/public/v1/query/whoami").is_none());
        let listed = f.list().unwrap_or_default();
        assert_eq!(listed.first().map(|r| r.hits), Some(2));
        assert_eq!(f.clear().ok(), Some(1));
    }

    #[test]
    fn probability_zero_never_hits_and_bad_specs_are_refused() {
        let f = Faults::default();
        let mut s = spec(FaultKind::Status);
        s.probability = Some(0.0);
        s.count = None;
        assert!(f.add(s).is_ok());
        for _ in 0..100 {
            assert!(f.strike("POST", "/public/v1/query/whoami").is_none());
        }
        let mut s = spec(FaultKind::Status);
        s.status = Some(200);
        assert!(f.add(s).is_err());
        let mut s = spec(FaultKind::Status);
        s.probability = Some(1.5);
        assert!(f.add(s).is_err());
        let mut s = spec(FaultKind::Status);
        s.path = "/sandbox/v1/faults".to_owned();
        assert!(f.add(s).is_err());
    }
}
