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

use common::{Sandbox, path, recover_eip1559_signer, temp_dir, unsigned_eip1559};
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
