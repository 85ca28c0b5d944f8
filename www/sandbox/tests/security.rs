//! The admin token (required on admin writes, kept across restarts, served same-origin with no
//! CORS headers) and the headers every page is served with (strict CSP, nosniff, no-referrer).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{Sandbox, path, temp_dir};
use quorum_sandbox::Config;
use reqwest::Method;
use serde_json::{Value, json};

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors 'none'";

fn assert_turnkey_error(code: u16, v: &Value, status: u16, grpc: u64) {
    assert_eq!(code, status, "{v}");
    assert_eq!(v["code"].as_u64(), Some(grpc), "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert_eq!(v["details"], json!([]));
}

async fn send(
    sb: &Sandbox,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> reqwest::Response {
    let mut req = sb.http.request(method, format!("{}{path}", sb.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_owned());
    }
    req.send().await.unwrap()
}

async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let code = resp.status().as_u16();
    (code, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_require_the_token_and_never_answer_cross_origin() {
    let dir = temp_dir();
    let config = || Config::for_tests(path(&dir));
    let sb = Sandbox::start_config(config()).await;
    let token = sb.admin_token.clone();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("admin-token"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the token file is readable by others");
    }

    // Served same-origin, uncached, without CORS headers.
    let resp = send(&sb, Method::GET, "/platform/admin/token", &[], None).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["token"], token);
    // A DNS-rebound host name or a cross-site fetch does not get it.
    for headers in [
        vec![("host", "evil.example:8787")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
    ] {
        let (code, v) =
            json_of(send(&sb, Method::GET, "/platform/admin/token", &headers, None).await).await;
        assert_turnkey_error(code, &v, 403, 7);
        assert!(v.get("token").is_none());
    }

    // A preflight for the custom header is refused, with no CORS headers, on every admin path.
    for p in [
        "/platform/admin/rules",
        "/platform/admin/billing",
        "/platform/admin/token",
        "/sandbox/v1/faults",
    ] {
        let resp = send(
            &sb,
            Method::OPTIONS,
            p,
            &[
                ("origin", "http://evil.example"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "content-type,x-platform-admin-token",
                ),
            ],
            None,
        )
        .await;
        assert_eq!(resp.status(), 403, "{p}");
        for h in [
            "access-control-allow-origin",
            "access-control-allow-headers",
            "access-control-allow-methods",
        ] {
            assert!(resp.headers().get(h).is_none(), "{p} sends {h}");
        }
    }
    // The Turnkey API keeps its CORS (the kit calls it from pages).
    let resp = send(
        &sb,
        Method::OPTIONS,
        "/public/v1/query/whoami",
        &[("origin", "http://evil.example")],
        None,
    )
    .await;
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    let allowed = resp.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!allowed.contains("x-platform-admin-token"));

    // Every mutating admin route: no token or a wrong one → 401 in Turnkey's shape, nothing changes.
    let (_, rules_before) = sb.get("/platform/admin/rules").await;
    let writes: [(Method, &str, Option<String>); 4] = [
        (
            Method::POST,
            "/platform/admin/rules",
            Some(json!({"maxValueWei": "1", "denyRecipients": ["0x1111111111111111111111111111111111111111"]}).to_string()),
        ),
        (
            Method::POST,
            "/platform/admin/billing",
            Some(json!({"subOrganizationId": "nope", "status": "suspended"}).to_string()),
        ),
        (
            Method::POST,
            "/sandbox/v1/faults",
            Some(json!({"path": "/public/v1/query/whoami", "kind": "status"}).to_string()),
        ),
        (Method::DELETE, "/sandbox/v1/faults", None),
    ];
    let wrong = "0".repeat(64);
    let almost = format!("{}x", &token[..63]);
    for (method, p, body) in &writes {
        for headers in [
            vec![],
            vec![("x-platform-admin-token", wrong.as_str())],
            vec![("x-platform-admin-token", almost.as_str())],
            vec![("x-platform-admin-token", "")],
        ] {
            let resp = send(&sb, method.clone(), p, &headers, body.as_deref()).await;
            assert!(resp.headers().get("access-control-allow-origin").is_none());
            let (code, v) = json_of(resp).await;
            assert_turnkey_error(code, &v, 401, 16);
        }
    }
    assert_eq!(sb.get("/platform/admin/rules").await.1, rules_before);
    assert_eq!(sb.get("/sandbox/v1/faults").await.1, json!({"faults": []}));

    // With the token they work (and still carry no CORS headers).
    let resp = send(
        &sb,
        Method::POST,
        "/platform/admin/rules",
        &[("x-platform-admin-token", &token)],
        Some(r#"{"maxValueWei":"5"}"#),
    )
    .await;
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    let (code, v) = json_of(resp).await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["maxValueWei"], "5");
    let (code, v) = sb
        .admin_post(
            "/sandbox/v1/faults",
            &json!({"path": "/public/v1/query/whoami", "kind": "latency", "ms": 1}).to_string(),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let (code, v) = sb
        .send_admin(Method::DELETE, "/sandbox/v1/faults", None)
        .await;
    assert_eq!((code, v["cleared"].as_u64()), (200, Some(1)));

    // The token survives a restart (same data directory) and a new directory gets a new one.
    sb.stop().await;
    let sb = Sandbox::start_config(config()).await;
    assert_eq!(sb.admin_token, token);
    let (code, _) = sb
        .admin_post("/platform/admin/rules", r#"{"maxValueWei":"6"}"#)
        .await;
    assert_eq!(code, 200);
    sb.stop().await;
    let other = temp_dir();
    let sb2 = Sandbox::start(&path(&other)).await;
    assert_ne!(sb2.admin_token, token);
    sb2.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_served_with_a_strict_csp() {
    let dir = temp_dir();
    let www = temp_dir();
    std::fs::write(
        www.path().join("index.html"),
        "<!doctype html><script type=module src=app.js></script>",
    )
    .unwrap();
    std::fs::create_dir(www.path().join("docs")).unwrap();
    std::fs::write(www.path().join("docs").join("page.htm"), "<p>hi</p>").unwrap();
    std::fs::write(www.path().join("docs").join("index.html"), "<p>docs</p>").unwrap();
    std::fs::write(www.path().join("app.js"), "export {};").unwrap();
    let pkg = temp_dir();
    std::fs::write(pkg.path().join("quorum_kit.js"), "export {};").unwrap();
    std::fs::write(pkg.path().join("quorum_kit_bg.wasm"), b"\0asm").unwrap();
    let mut config = Config::for_tests(path(&dir));
    config.www_dir = www.path().to_path_buf();
    config.pkg_dir = pkg.path().to_path_buf();
    let sb = Sandbox::start_config(config).await;

    for page in ["/", "/index.html", "/docs/", "/docs/page.htm"] {
        let resp = send(&sb, Method::GET, page, &[], None).await;
        assert_eq!(resp.status(), 200, "{page}");
        let h = resp.headers();
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{page}"
        );
        assert_eq!(h["content-security-policy"], CSP, "{page}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{page}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{page}");
    }
    // Scripts, wasm and JSON: nosniff and no-referrer (the CSP is a document's).
    for p in [
        "/app.js",
        "/pkg/quorum_kit.js",
        "/pkg/quorum_kit_bg.wasm",
        "/sandbox/v1/info",
    ] {
        let resp = send(&sb, Method::GET, p, &[], None).await;
        assert_eq!(resp.status(), 200, "{p}");
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff", "{p}");
        assert_eq!(resp.headers()["referrer-policy"], "no-referrer", "{p}");
        assert!(resp.headers().get("content-security-policy").is_none());
    }
    sb.stop().await;
}
