//! The kit's own request builders and response types against the sandbox; approval expiry;
//! static files and CORS.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{Sandbox, body, now_ms, path, recover_eip1559_signer, temp_dir, unsigned_eip1559};
use quorum_kit::activity::intents::{ApproveActivity, SignTransaction};
use quorum_kit::activity::{
    Activity as KitActivity, ActivityRequest, ActivityStatus, QueryRequest,
};
use quorum_kit::keys::P256KeyPair;
use quorum_kit::stamp::ApiKeyStamper;
use quorum_sandbox::ApiError;
use quorum_sandbox::engine::{Engine, StampHeaders};
use quorum_sandbox::model::Activity;
use quorum_sandbox::webauthn::RelyingParty;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kits_requests_and_response_types_work_against_the_sandbox() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "kit").await;
    let sub = user["subOrganizationId"].as_str().unwrap();
    let address = user["addresses"][0].as_str().unwrap();
    let unsigned = unsigned_eip1559([0x55; 20], 3, 0);
    let req = ActivityRequest::new(
        &SignTransaction {
            sign_with: address.to_owned(),
            unsigned_transaction: unsigned.clone(),
            transaction_type: "TRANSACTION_TYPE_ETHEREUM".to_owned(),
        },
        sub,
        u64::try_from(now_ms()).unwrap(),
    )
    .unwrap();
    let (code, v) = sb
        .post(req.path, &req.body, Some(passkey.stamp(&req.body)))
        .await;
    assert_eq!(code, 200, "{v}");
    let pending = KitActivity::from_response(&v.to_string()).unwrap();
    assert_eq!(pending.status, ActivityStatus::ConsensusNeeded);
    assert_eq!(pending.fingerprint, req.fingerprint);
    let mut done = pending.clone();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let q = QueryRequest::get_activity(sub, &pending.id);
        let (_, v) = sb.post(q.path, &q.body, Some(passkey.stamp(&q.body))).await;
        done = KitActivity::from_response(&v.to_string()).unwrap();
        if done.status != ActivityStatus::ConsensusNeeded {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(done.status, ActivityStatus::Completed);
    assert_eq!(done.approvals().len(), 2);
    let result = done.result_of::<SignTransaction>().unwrap();
    assert_eq!(
        recover_eip1559_signer(&result.signed_transaction, &unsigned),
        address
    );
    let q = QueryRequest::whoami(sub);
    let (code, who) = sb.post(q.path, &q.body, Some(passkey.stamp(&q.body))).await;
    assert_eq!(code, 200);
    assert_eq!(who["userId"], user["endUserId"]);
    sb.stop().await;
}

#[test]
fn approvals_expire_24_hours_after_the_first_vote() {
    let dir = temp_dir();
    let rp = RelyingParty {
        origins: vec![],
        rp_id: "localhost".to_owned(),
    };
    let engine = Engine::open(dir.path(), rp).unwrap();
    let platform = ApiKeyStamper::new(engine.platform_key.clone());
    let (a, b) = (
        ApiKeyStamper::new(P256KeyPair::generate()),
        ApiKeyStamper::new(P256KeyPair::generate()),
    );
    let stamp = |k: &ApiKeyStamper, bd: &str| StampHeaders::api_key(k.stamp_body(bd).header_value);
    let user = |name: &str, k: &ApiKeyStamper| json!({"userName": name, "apiKeys": [{"apiKeyName": name, "publicKey": k.public_key_hex(), "curveType": "API_KEY_CURVE_P256"}], "authenticators": [], "oauthProviders": []});
    let bd = body(
        "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
        &engine.parent_org_id,
        json!({"subOrganizationName": "expiry", "rootUsers": [user("a", &a), user("b", &b)], "rootQuorumThreshold": 2}),
    );
    let v = engine
        .submit("create_sub_organization", &stamp(&platform, &bd), &bd)
        .unwrap();
    let sub = v["activity"]["result"]["createSubOrganizationResultV8"]["subOrganizationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let bd = body(
        "ACTIVITY_TYPE_CREATE_WALLET",
        &sub,
        json!({"walletName": "late", "accounts": []}),
    );
    let v = engine
        .submit("create_wallet", &stamp(&a, &bd), &bd)
        .unwrap();
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    let id = v["activity"]["id"].as_str().unwrap().to_owned();
    let fp = v["activity"]["fingerprint"].as_str().unwrap().to_owned();
    // Age the first vote by 25 hours.
    engine
        .store
        .tx(|db| {
            let mut act = db.get::<Activity>(&id)?.unwrap();
            for vote in &mut act.votes {
                vote.created_ms -= 25 * 60 * 60 * 1000;
            }
            db.put(&act)
        })
        .unwrap();
    let approve = ActivityRequest::new(
        &ApproveActivity { fingerprint: fp },
        &sub,
        u64::try_from(now_ms()).unwrap(),
    )
    .unwrap();
    let err = engine
        .submit("approve_activity", &stamp(&b, &approve.body), &approve.body)
        .unwrap_err();
    assert!(
        matches!(err, ApiError::FailedPrecondition(ref m) if m.contains("24 h")),
        "{err}"
    );
    let act = engine
        .store
        .tx(|db| db.get::<Activity>(&id))
        .unwrap()
        .unwrap();
    assert_eq!(act.status, "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    assert_eq!(act.votes.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_and_cors() {
    let dir = temp_dir();
    let site = temp_dir();
    let pkg = temp_dir();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    std::fs::create_dir(site.path().join("sandbox")).unwrap();
    std::fs::write(
        site.path().join("sandbox").join("secret.rs"),
        "fn main() {}",
    )
    .unwrap();
    std::fs::write(pkg.path().join("quorum_kit_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.path().join("quorum_kit.js"), "export default 1;").unwrap();
    let mut config = quorum_sandbox::Config::for_tests(path(&dir));
    config.www_dir = site.path().to_path_buf();
    config.pkg_dir = pkg.path().to_path_buf();
    let sb = Sandbox::start_config(config).await;
    let get = |p: &str| sb.http.get(format!("{}{p}", sb.base)).send();
    let r = get("/").await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let r = get("/pkg/quorum_kit_bg.wasm").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/wasm");
    let r = get("/pkg/quorum_kit.js").await.unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    for p in ["/sandbox/secret.rs", "/missing.html", "/.hidden"] {
        assert_eq!(get(p).await.unwrap().status(), 404, "{p}");
    }
    // Path traversal, sent raw (HTTP clients normalize dot segments away).
    for p in [
        "/pkg/../index.html",
        "/pkg/%2e%2e/index.html",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/pkg/%2e%2e%2fCargo.toml",
    ] {
        let addr = sb.server.as_ref().unwrap().addr;
        let request = format!("GET {p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let out = tokio::task::spawn_blocking(move || {
            use std::io::{Read as _, Write as _};
            let mut tcp = std::net::TcpStream::connect(addr).unwrap();
            tcp.write_all(request.as_bytes()).unwrap();
            let mut out = String::new();
            tcp.read_to_string(&mut out).unwrap();
            out
        })
        .await
        .unwrap();
        assert!(
            out.starts_with("HTTP/1.1 404") || out.starts_with("HTTP/1.1 400"),
            "{p}: {out}"
        );
    }
    let r = sb
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/public/v1/query/whoami", sb.base),
        )
        .header("origin", "http://localhost:9999")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "x-stamp-webauthn, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("x-stamp-webauthn")
    );
    sb.stop().await;
}
