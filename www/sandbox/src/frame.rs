//! The isolated export frame's own server: `www/export-frame/` and the package, on a second
//! origin (`http://127.0.0.1:<port>`: another *site* than the demo's `localhost`, so Chromium
//! runs it in its own renderer process). The frame holds the export target key, decrypts the
//! bundle and reveals the phrase; the host page only relays the bundle. In production the
//! integrator hosts these files on an origin of their own.
//!
//! Every page is served with `frame-ancestors` listing the demo's origins (only they may embed
//! it); `config.json` tells the frame which parent origins it may talk to.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::api::serve_file;

struct FrameState {
    www_dir: PathBuf,
    pkg_dir: PathBuf,
    parent_origins: Vec<String>,
    csp: HeaderValue,
}

/// The frame's router: `/export-frame/…`, `/export-frame/config.json` and `/pkg/…`.
pub fn router(www_dir: PathBuf, pkg_dir: PathBuf, parent_origins: Vec<String>) -> Router {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors {}",
        parent_origins.join(" ")
    );
    let state = Arc::new(FrameState {
        www_dir,
        pkg_dir,
        csp: HeaderValue::from_str(&csp)
            .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'")),
        parent_origins,
    });
    Router::new()
        .route("/export-frame/config.json", get(config))
        .route("/export-frame/", get(page_index))
        .route("/export-frame/{*path}", get(page))
        .route("/pkg/{*path}", get(pkg))
        .with_state(state)
}

async fn config(State(s): State<Arc<FrameState>>) -> Response {
    axum::Json(json!({ "allowedParentOrigins": s.parent_origins })).into_response()
}

fn with_headers(s: &FrameState, mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, s.csp.clone());
    crate::security::insert_common_headers(h);
    resp
}

async fn page_index(State(s): State<Arc<FrameState>>) -> Response {
    let resp = serve_file(&s.www_dir.join("export-frame"), "index.html").await;
    with_headers(&s, resp)
}

async fn page(State(s): State<Arc<FrameState>>, UrlPath(path): UrlPath<String>) -> Response {
    let resp = serve_file(&s.www_dir.join("export-frame"), &path).await;
    with_headers(&s, resp)
}

async fn pkg(State(s): State<Arc<FrameState>>, UrlPath(path): UrlPath<String>) -> Response {
    let resp = serve_file(&s.pkg_dir, &path).await;
    with_headers(&s, resp)
}
