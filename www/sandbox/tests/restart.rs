//! Persistence: stop (or kill -9) the sandbox and start it again on the same data directory;
//! organizations, wallets, activities, votes, keys and the platform's records survive.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use common::{
    Sandbox, eth_account, key, path, recover_eip1559_signer, sub_org, temp_dir, unsigned_eip1559,
};
use quorum_sandbox::Config;
use quorum_sandbox::soft_passkey::SoftPasskey;
use serde_json::{Value, json};

const ORIGIN: &str = "http://localhost:8787";

/// Signs up, runs a co-signed transaction, returns (user, activity id, unsigned tx).
async fn act(sb: &Sandbox, passkey: &SoftPasskey) -> (Value, String, String) {
    let user = sb.signup(passkey, "frank").await;
    let sub = user["subOrganizationId"].as_str().unwrap();
    let unsigned = unsigned_eip1559([0x44; 20], 7, 0);
    let (code, v) = sb
        .submit_with(
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            sub,
            json!({"signWith": user["addresses"][0], "unsignedTransaction": unsigned, "type": "TRANSACTION_TYPE_ETHEREUM"}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let id = v["activity"]["id"].as_str().unwrap().to_owned();
    let done = sb.wait_terminal(sub, &id).await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED");
    (user, id, unsigned)
}

/// Everything from `act` is still there, and the passkey and platform still work.
async fn check(
    sb: &Sandbox,
    passkey: &SoftPasskey,
    user: &Value,
    id: &str,
    unsigned: &str,
    parent: &str,
    signer: &str,
) {
    assert_eq!(sb.parent_org, parent);
    assert_eq!(sb.signer, signer);
    let sub = user["subOrganizationId"].as_str().unwrap();
    let (code, v) = sb
        .query_with(
            "get_activity",
            json!({"organizationId": sub, "activityId": id}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let a = &v["activity"];
    assert_eq!(a["status"], "ACTIVITY_STATUS_COMPLETED");
    assert_eq!(a["votes"].as_array().unwrap().len(), 2);
    let signed = a["result"]["signTransactionResult"]["signedTransaction"]
        .as_str()
        .unwrap();
    assert_eq!(
        recover_eip1559_signer(signed, unsigned),
        user["addresses"][0].as_str().unwrap()
    );
    let (_, w) = sb
        .query_with("list_wallets", json!({"organizationId": sub}), |b| {
            passkey.stamp(b)
        })
        .await;
    assert_eq!(w["wallets"][0]["walletId"], user["walletId"]);
    let (_, c) = sb
        .query_with(
            "get_organization_configs",
            json!({"organizationId": sub}),
            sb.as_platform(),
        )
        .await;
    assert_eq!(c["configs"]["quorum"]["threshold"], 2);
    let (code, pu) = sb
        .get(&format!(
            "/platform/users/{}",
            user["userId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(code, 200);
    assert_eq!(pu["subOrganizationId"], sub);
    let (_, d) = sb
        .get(&format!("/platform/decisions?subOrganizationId={sub}"))
        .await;
    assert_eq!(d["decisions"][0]["activityId"], id);
    // Still working: a new co-signed activity after the restart.
    let (_, v) = sb
        .submit_with(
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            sub,
            json!({"signWith": user["addresses"][0], "payload": "after restart", "encoding": "PAYLOAD_ENCODING_TEXT_UTF8", "hashFunction": "HASH_FUNCTION_KECCAK256"}),
            |b| passkey.stamp(b),
        )
        .await;
    let done = sb
        .wait_terminal(sub, v["activity"]["id"].as_str().unwrap())
        .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_and_start_again_keeps_everything() {
    let dir = temp_dir();
    let config = || {
        let mut c = Config::for_tests(path(&dir));
        c.origins = vec![ORIGIN.to_owned()];
        c
    };
    let passkey = SoftPasskey::new(ORIGIN, "localhost");
    let sb = Sandbox::start_config(config()).await;
    let (user, id, unsigned) = act(&sb, &passkey).await;
    let (parent, signer) = (sb.parent_org.clone(), sb.signer.clone());
    sb.stop().await;
    let sb = Sandbox::start_config(config()).await;
    check(&sb, &passkey, &user, &id, &unsigned, &parent, &signer).await;
    sb.stop().await;
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real binary on a free port; returns it and its port.
fn spawn(dir: &std::path::Path) -> (Proc, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quorum-sandbox"))
        .env("PORT", "0")
        .env("QUORUM_SANDBOX_DATA", dir)
        .env("QUORUM_SANDBOX_ORIGINS", ORIGIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    // Keep draining stdout (the server also copes with a closed pipe).
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let port = line
        .split("http://localhost:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (Proc(child), port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_and_start_again_keeps_everything() {
    let dir = temp_dir();
    let passkey = SoftPasskey::new(ORIGIN, "localhost");
    let (mut proc1, port) = spawn(dir.path());
    let sb = Sandbox::connect(None, port, dir.path()).await;
    let (user, id, unsigned) = act(&sb, &passkey).await;
    let (parent, signer) = (sb.parent_org.clone(), sb.signer.clone());
    proc1.0.kill().unwrap(); // SIGKILL: no graceful shutdown
    proc1.0.wait().unwrap();
    let (_proc2, port) = spawn(dir.path());
    let sb = Sandbox::connect(None, port, dir.path()).await;
    check(&sb, &passkey, &user, &id, &unsigned, &parent, &signer).await;
}

/// kill -9 in the middle of many pending approvals (2-of-2 API-key root users, approvals in
/// flight; and passkey users' transactions the co-signer has not all decided yet): after the
/// restart every activity is still there, none executed twice, and each can be approved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_with_many_pending_approvals_loses_none() {
    const PENDING: usize = 40;
    const COSIGNED: usize = 12;
    let dir = temp_dir();
    let (mut proc1, port) = spawn(dir.path());
    let sb = std::sync::Arc::new(Sandbox::connect(None, port, dir.path()).await);
    let (a, b) = (key(), key());
    let (sub, _) = sub_org(&sb, &[&a, &b], 2).await;
    let mut pending = Vec::new();
    for i in 0..PENDING {
        let (code, v) = sb
            .submit_with(
                "create_wallet",
                "ACTIVITY_TYPE_CREATE_WALLET",
                &sub,
                json!({"walletName": format!("pending-{i}"), "accounts": [eth_account()]}),
                |x| a.stamp_body(x),
            )
            .await;
        assert_eq!(code, 200, "{v}");
        assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
        pending.push((
            v["activity"]["id"].as_str().unwrap().to_owned(),
            v["activity"]["fingerprint"].as_str().unwrap().to_owned(),
        ));
    }
    // Passkey users: transactions the co-signer approves every 250 ms.
    let passkey = SoftPasskey::new(ORIGIN, "localhost");
    let user = sb.signup(&passkey, "grace").await;
    let user_sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let mut cosigned = Vec::new();
    for i in 0..COSIGNED {
        let (code, v) = sb
            .submit_with(
                "sign_transaction",
                "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
                &user_sub,
                json!({"signWith": user["addresses"][0], "unsignedTransaction": unsigned_eip1559([0x55; 20], 1, i as u64), "type": "TRANSACTION_TYPE_ETHEREUM"}),
                |x| passkey.stamp(x),
            )
            .await;
        assert_eq!(code, 200, "{v}");
        cosigned.push(v["activity"]["id"].as_str().unwrap().to_owned());
    }
    // B approves all of them concurrently; kill -9 while those approvals are in flight.
    let approve = |fp: &str| {
        let bd = common::body(
            "ACTIVITY_TYPE_APPROVE_ACTIVITY",
            &sub,
            json!({"fingerprint": fp}),
        );
        let st = b.stamp_body(&bd);
        (bd, st)
    };
    let votes: Vec<_> = pending.iter().map(|(_, fp)| approve(fp)).collect();
    let mut inflight = Vec::new();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for (bd, st) in votes.clone() {
        let sb = sb.clone();
        let done = done.clone();
        inflight.push(tokio::spawn(async move {
            let resp = sb
                .http
                .post(format!("{}/public/v1/submit/approve_activity", sb.base))
                .header(st.header_name, st.header_value)
                .body(bd)
                .send()
                .await;
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            resp.map(|r| r.status().as_u16()).ok()
        }));
    }
    // Kill once a quarter of them have been answered: the rest are queued or executing.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while done.load(std::sync::atomic::Ordering::SeqCst) < PENDING / 4
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    proc1.0.kill().unwrap();
    proc1.0.wait().unwrap();
    let mut answered = 0;
    for t in inflight {
        if t.await.unwrap() == Some(200) {
            answered += 1;
        }
    }
    eprintln!("{answered} of {PENDING} approvals answered before kill -9");

    let (_proc2, port) = spawn(dir.path());
    let sb = Sandbox::connect(None, port, dir.path()).await;
    let (mut completed_before, mut still_pending) = (0, 0);
    for (id, _) in &pending {
        let (code, v) = sb
            .query_with(
                "get_activity",
                json!({"organizationId": sub, "activityId": id}),
                |x| a.stamp_body(x),
            )
            .await;
        assert_eq!(code, 200, "activity {id} lost: {v}");
        match v["activity"]["status"].as_str().unwrap() {
            "ACTIVITY_STATUS_COMPLETED" => completed_before += 1,
            "ACTIVITY_STATUS_CONSENSUS_NEEDED" => {
                assert_eq!(v["activity"]["votes"].as_array().unwrap().len(), 1);
                still_pending += 1;
            }
            other => panic!("{id} is {other}"),
        }
    }
    assert_eq!(completed_before + still_pending, PENDING);
    assert!(
        completed_before >= answered,
        "an answered approval was lost"
    );
    eprintln!("after restart: {completed_before} completed, {still_pending} still pending");
    // The same approvals, re-sent identically after the restart: each pending one executes;
    // those that had committed answer with the same (completed) activity.
    for (bd, st) in votes {
        let (code, v) = sb
            .post("/public/v1/submit/approve_activity", &bd, Some(st))
            .await;
        assert_eq!(code, 200, "{v}");
        assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED", "{v}");
    }
    for (id, _) in &pending {
        let (_, v) = sb
            .query_with(
                "get_activity",
                json!({"organizationId": sub, "activityId": id}),
                |x| b.stamp_body(x),
            )
            .await;
        assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED");
        assert_eq!(v["activity"]["votes"].as_array().unwrap().len(), 2);
    }
    let (_, w) = sb
        .query_with("list_wallets", json!({"organizationId": sub}), |x| {
            a.stamp_body(x)
        })
        .await;
    assert_eq!(
        w["wallets"].as_array().unwrap().len(),
        1 + PENDING,
        "each executed once"
    );
    let acts = sb.activities(&sub).await;
    let kinds = |t: &str| acts.iter().filter(|x| x["type"] == t).count();
    assert_eq!(kinds("ACTIVITY_TYPE_CREATE_WALLET"), PENDING);
    assert_eq!(kinds("ACTIVITY_TYPE_APPROVE_ACTIVITY"), PENDING);
    // The passkey user's transactions: all there, and the co-signer finishes them after the restart.
    for id in &cosigned {
        let done = sb.wait_terminal(&user_sub, id).await;
        assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
        assert_eq!(done["votes"].as_array().unwrap().len(), 2);
    }
    let signs = sb
        .activities(&user_sub)
        .await
        .into_iter()
        .filter(|x| x["type"] == "ACTIVITY_TYPE_SIGN_TRANSACTION_V2")
        .count();
    assert_eq!(signs, COSIGNED);
}
