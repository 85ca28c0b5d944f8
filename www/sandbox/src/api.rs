//! HTTP routing: the Turnkey API, the sandbox's own endpoints, the platform backend, and the
//! static demo site and npm package.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::engine::{Engine, StampHeaders};
use crate::error::ApiError;
use crate::faults::{ConnHandle, FaultKind, FaultSpec, Faults, When};
use crate::platform::{BillingUpdate, Platform, RulesUpdate, SignupRequest};
use crate::security::{self, AdminToken};

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    /// The Turnkey world.
    pub engine: Arc<Engine>,
    /// The platform backend.
    pub platform: Arc<Platform>,
    /// The demo site directory.
    pub www_dir: PathBuf,
    /// The npm package directory.
    pub pkg_dir: PathBuf,
    /// Log each request to stderr (`QUORUM_SANDBOX_LOG=1`).
    pub log_requests: bool,
    /// The fault-injection rules.
    pub faults: Arc<Faults>,
    /// The token admin routes require.
    pub admin_token: AdminToken,
    /// Where the isolated export frame is served, if it is.
    pub export_frame_url: Option<String>,
    /// The `Content-Security-Policy` of every page (made once, at start).
    pub page_csp: HeaderValue,
}

type Shared = Arc<AppState>;

/// The router.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/public/v1/submit/{name}", post(submit))
        .route("/public/v1/query/{name}", post(query))
        .route("/sandbox/v1/info", get(info))
        .route("/sandbox/v1/signer", get(signer))
        .route("/sandbox/v1/routes", get(routes))
        .route(
            "/sandbox/v1/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/platform/signup", post(signup))
        .route("/platform/decisions", get(decisions))
        .route("/platform/users", get(platform_users))
        .route("/platform/users/{id}", get(platform_user))
        .route("/platform/lookup", get(lookup))
        .route("/platform/admin/rules", get(get_rules).post(set_rules))
        .route("/platform/admin/billing", post(set_billing))
        .route("/platform/admin/token", get(admin_token))
        .route("/pkg/{*path}", get(pkg_file))
        .fallback(www_file)
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .layer(middleware::from_fn(cors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), log))
        .with_state(state)
}

async fn blocking<F>(f: F) -> Response
where
    F: FnOnce() -> Result<Value, ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => axum::Json(v).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

fn utf8(body: &Bytes) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::InvalidArgument("the body is not UTF-8".to_owned()))
}

fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::InvalidArgument(format!("invalid JSON body: {e}")))
}

async fn submit(
    State(s): State<Shared>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let stamp = StampHeaders::from_headers(&headers);
    blocking(move || s.engine.submit(&name, &stamp, &utf8(&body)?)).await
}

async fn query(
    State(s): State<Shared>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let stamp = StampHeaders::from_headers(&headers);
    blocking(move || s.engine.query(&name, &stamp, &utf8(&body)?)).await
}

async fn info(State(s): State<Shared>) -> Response {
    axum::Json(json!({
        "organizationId": s.engine.parent_org_id,
        "signerPublicKey": s.engine.signer.public_key_uncompressed().to_hex(),
        "version": env!("CARGO_PKG_VERSION"),
        "platformPublicKey": s.engine.platform_key.public_key_compressed().to_hex(),
        "rpId": s.engine.rp.rp_id,
        "origins": s.engine.rp.origins,
        "exportFrameUrl": s.export_frame_url,
    }))
    .into_response()
}

async fn signer(State(s): State<Shared>) -> Response {
    axum::Json(json!({ "signerPublicKey": s.engine.signer.public_key_uncompressed().to_hex() }))
        .into_response()
}

async fn routes() -> Response {
    axum::Json(crate::routes::to_json()).into_response()
}

async fn signup(State(s): State<Shared>, body: Bytes) -> Response {
    blocking(move || {
        let req: SignupRequest = json_body(&body)?;
        s.platform.signup(&req)
    })
    .await
}

async fn decisions(
    State(s): State<Shared>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    blocking(move || {
        let list = s
            .platform
            .decisions(q.get("subOrganizationId").map(String::as_str))?;
        Ok(json!({ "decisions": list }))
    })
    .await
}

async fn platform_users(State(s): State<Shared>) -> Response {
    blocking(move || Ok(json!({ "users": s.platform.users()? }))).await
}

async fn platform_user(State(s): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    blocking(move || Ok(serde_json::to_value(s.platform.user(&id)?)?)).await
}

async fn lookup(
    State(s): State<Shared>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    blocking(move || {
        let id = q
            .get("credentialId")
            .ok_or_else(|| ApiError::InvalidArgument("credentialId is required".to_owned()))?;
        Ok(serde_json::to_value(s.platform.lookup_by_credential(id)?)?)
    })
    .await
}

async fn get_rules(State(s): State<Shared>) -> Response {
    blocking(move || Ok(serde_json::to_value(s.platform.rules()?)?)).await
}

async fn set_rules(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = s.admin_token.check(&headers) {
        return e.into_response();
    }
    blocking(move || {
        let update: RulesUpdate = json_body(&body)?;
        Ok(serde_json::to_value(s.platform.update_rules(&update)?)?)
    })
    .await
}

async fn set_billing(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = s.admin_token.check(&headers) {
        return e.into_response();
    }
    blocking(move || {
        let update: BillingUpdate = json_body(&body)?;
        Ok(serde_json::to_value(s.platform.set_billing(&update)?)?)
    })
    .await
}

/// `GET /platform/admin/token`: same origin only (no CORS headers; a foreign `Host` or a
/// cross-site `Sec-Fetch-Site` is refused), never cached.
async fn admin_token(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if !security::same_origin_request(&headers, &s.engine.rp.origins) {
        return ApiError::PermissionDenied(
            "the admin token is served to same-origin requests on this machine only".to_owned(),
        )
        .into_response();
    }
    let mut resp = axum::Json(json!({ "token": s.admin_token.as_str() })).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn list_faults(State(s): State<Shared>) -> Response {
    match s.faults.list() {
        Ok(rules) => axum::Json(json!({ "faults": rules })).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /sandbox/v1/faults`: one rule, or `{"faults": [rules]}`.
async fn add_fault(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = s.admin_token.check(&headers) {
        return e.into_response();
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Posted {
        Many { faults: Vec<FaultSpec> },
        One(FaultSpec),
    }
    let specs = match json_body::<Posted>(&body) {
        Ok(Posted::Many { faults }) => faults,
        Ok(Posted::One(spec)) => vec![spec],
        Err(e) => return e.into_response(),
    };
    let mut added = Vec::new();
    for spec in specs {
        match s.faults.add(spec) {
            Ok(rule) => added.push(rule),
            Err(e) => return e.into_response(),
        }
    }
    axum::Json(json!({ "faults": added })).into_response()
}

async fn clear_faults(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(e) = s.admin_token.check(&headers) {
        return e.into_response();
    }
    match s.faults.clear() {
        Ok(n) => axum::Json(json!({ "cleared": n })).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Applies the first fault rule that hits the request (see [`crate::faults`]).
async fn inject_faults(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if security::is_admin_path(&path) {
        return next.run(req).await;
    }
    let Some(strike) = s.faults.strike(req.method().as_str(), &path) else {
        return next.run(req).await;
    };
    let conn = req
        .extensions()
        .get::<axum::extract::ConnectInfo<ConnHandle>>()
        .map(|c| c.0.clone());
    let drop_now = |resp: Response| match &conn {
        Some(c) => {
            c.kill();
            resp
        }
        // Without the connection handle (a router used directly), an empty body that fails.
        None => crate::faults::truncated(resp),
    };
    let delay = tokio::time::Duration::from_millis(strike.ms);
    match (strike.kind, strike.when) {
        (FaultKind::Latency, When::Before) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        (FaultKind::Latency, When::After) => {
            let resp = next.run(req).await;
            tokio::time::sleep(delay).await;
            resp
        }
        (FaultKind::Status, When::Before) => crate::faults::status_response(strike.status),
        (FaultKind::Status, When::After) => {
            let _ = next.run(req).await;
            crate::faults::status_response(strike.status)
        }
        (FaultKind::Drop, When::Before) => drop_now(StatusCode::NO_CONTENT.into_response()),
        (FaultKind::Drop, When::After) => {
            let resp = next.run(req).await;
            drop_now(resp)
        }
        (kind @ (FaultKind::Truncate | FaultKind::Slow), _) => {
            let resp = next.run(req).await;
            crate::faults::damage_body(resp, kind, strike.ms).await
        }
    }
}

/// `nosniff` and `no-referrer` on every response; the page policy on every HTML page that does
/// not set its own.
async fn security_headers(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    security::insert_common_headers(h);
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, s.page_csp.clone());
    }
    resp
}

async fn log(State(s): State<Shared>, req: Request, next: Next) -> Response {
    if !s.log_requests {
        return next.run(req).await;
    }
    let (method, uri) = (req.method().clone(), req.uri().clone());
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    log_line!(
        "{method} {} → {} ({} ms)",
        uri.path(),
        resp.status().as_u16(),
        started.elapsed().as_millis()
    );
    resp
}

async fn cors(req: Request, next: Next) -> Response {
    // Admin routes are same-origin only: no CORS headers, and preflights are refused.
    if security::is_admin_path(req.uri().path()) {
        return if req.method() == Method::OPTIONS {
            ApiError::PermissionDenied(
                "admin routes do not answer cross-origin requests".to_owned(),
            )
            .into_response()
        } else {
            next.run(req).await
        };
    }
    let mut resp = if req.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type, x-stamp, x-stamp-webauthn, x-client-version"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    resp
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "text/plain; charset=utf-8",
    }
}

fn not_found() -> Response {
    ApiError::NotFound("not found".to_owned()).into_response()
}

/// Serves `rel` under `root`, refusing `..`, hidden files and anything outside.
pub(crate) async fn serve_file(root: &Path, rel: &str) -> Response {
    let mut path = root.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        if seg.starts_with('.') || seg.contains('\\') {
            return not_found();
        }
        path.push(seg);
    }
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => Response::builder()
            .header(header::CONTENT_TYPE, content_type(&path))
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from(bytes))
            .unwrap_or_else(|_| not_found()),
        Err(_) => not_found(),
    }
}

async fn pkg_file(State(s): State<Shared>, UrlPath(path): UrlPath<String>) -> Response {
    serve_file(&s.pkg_dir, &path).await
}

async fn www_file(State(s): State<Shared>, method: Method, uri: axum::http::Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return if crate::routes::in_spec(uri.path()) {
            crate::routes::unknown(uri.path()).into_response()
        } else {
            not_found()
        };
    }
    let rel = uri.path().trim_start_matches('/');
    // The sandbox's own sources live under www/sandbox: never serve them.
    if rel == "sandbox" || rel.starts_with("sandbox/") {
        return not_found();
    }
    serve_file(&s.www_dir, rel).await
}
