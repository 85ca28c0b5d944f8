//! Fault injection (`/sandbox/v1/faults`): each kind does what it says, and under each fault a
//! client that re-sends a lost submission identically (same body, same stamp, as the kit does)
//! gets exactly one activity per intended submission, checked from the store afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::time::{Duration, Instant};

use common::{Sandbox, body, path, temp_dir, unsigned_eip1559};
use quorum_kit::stamp::Stamp;
use quorum_sandbox::model::Activity;
use quorum_sandbox::store::Store;
use serde_json::{Value, json};

/// One attempt: `Ok((status, json))` or `Err` when no whole response arrived.
async fn attempt(
    sb: &Sandbox,
    path: &str,
    body: &str,
    stamp: &Stamp,
) -> Result<(u16, Value), String> {
    let resp = sb
        .http
        .post(format!("{}{path}", sb.base))
        .header("content-type", "application/json")
        .header(&stamp.header_name, &stamp.header_value)
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = resp.status().as_u16();
    let text = resp.text().await.map_err(|e| format!("body: {e}"))?;
    let v = serde_json::from_str(&text).map_err(|e| format!("json: {e} in {text:?}"))?;
    Ok((status, v))
}

/// What the kit does with a submission: send the one body and stamp, and re-send them unchanged
/// when no response arrived (up to 4 attempts). Returns the answer and how many attempts failed.
async fn submit_like_the_kit(
    sb: &Sandbox,
    path: &str,
    body: &str,
    stamp: &Stamp,
) -> ((u16, Value), u32) {
    let mut lost = 0;
    loop {
        match attempt(sb, path, body, stamp).await {
            Ok(r) => return (r, lost),
            Err(e) if lost < 3 => {
                lost += 1;
                eprintln!("attempt {lost} lost: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("no response after 4 attempts: {e}"),
        }
    }
}

/// Every activity of an organization, straight from the store (the server must be stopped or
/// idle: SQLite in WAL mode reads a consistent snapshot either way).
fn stored(dir: &std::path::Path, org: &str) -> Vec<Activity> {
    let store = Store::open(dir).unwrap();
    store.tx(|db| db.list_by_org::<Activity>(org)).unwrap()
}

fn fault_rules(v: &Value) -> Vec<Value> {
    v["faults"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_kind_does_what_it_says() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let q = json!({"organizationId": sb.parent_org}).to_string();
    let whoami = "/public/v1/query/whoami";
    let stamp = || sb.platform.stamp_body(&q);

    // Bad rules are refused.
    for bad in [
        json!({"path": "public/v1", "kind": "drop"}),
        json!({"path": "/x", "kind": "explode"}),
        json!({"path": "/x", "kind": "status", "status": 200}),
        json!({"path": "/x", "kind": "drop", "probability": 2}),
        json!({"path": "/x", "kind": "drop", "count": 0}),
        json!({"path": "/sandbox/v1/faults", "kind": "drop"}),
        json!({"path": "/x", "kind": "drop", "colour": "red"}),
    ] {
        let (code, v) = sb.admin_post("/sandbox/v1/faults", &bad.to_string()).await;
        assert_eq!((code, v["code"].as_u64()), (400, Some(3)), "{bad}: {v}");
    }
    assert!(fault_rules(&sb.get("/sandbox/v1/faults").await.1).is_empty());

    // latency
    sb.faults(json!({"path": whoami, "kind": "latency", "ms": 400, "count": 1}))
        .await;
    let t = Instant::now();
    assert_eq!(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    assert_eq!(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0, 200);
    assert!(
        t.elapsed() < Duration::from_millis(400),
        "a spent rule still delays"
    );

    // status: Turnkey's error shape; spent after `count`
    sb.faults(json!({"path": whoami, "kind": "status", "status": 502, "count": 2}))
        .await;
    for _ in 0..2 {
        let (code, v) = attempt(&sb, whoami, &q, &stamp()).await.unwrap();
        assert_eq!(code, 502);
        assert!(v["code"].is_u64() && v["message"].is_string() && v["details"] == json!([]));
    }
    assert_eq!(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0, 200);

    // drop: no response at all
    sb.faults(json!({"path": whoami, "kind": "drop", "count": 1}))
        .await;
    let e = attempt(&sb, whoami, &q, &stamp()).await.unwrap_err();
    assert!(e.starts_with("send:"), "{e}");
    assert_eq!(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0, 200);

    // truncate: status and headers, then half the body and a closed connection
    sb.faults(json!({"path": whoami, "kind": "truncate", "count": 1}))
        .await;
    let resp = sb
        .http
        .post(format!("{}{whoami}", sb.base))
        .header(stamp().header_name, stamp().header_value)
        .body(q.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let announced: usize = resp.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 10);
    let e = resp.bytes().await.unwrap_err();
    assert!(e.is_body() || e.is_decode() || e.is_request(), "{e}");

    // slow: the whole body, over `ms`
    sb.faults(json!({"path": whoami, "kind": "slow", "ms": 500, "count": 1}))
        .await;
    let t = Instant::now();
    let (code, v) = attempt(&sb, whoami, &q, &stamp()).await.unwrap();
    assert_eq!(code, 200);
    assert_eq!(v["organizationId"], sb.parent_org);
    assert!(
        t.elapsed() >= Duration::from_millis(450),
        "{:?}",
        t.elapsed()
    );

    // method filter, prefix, probability
    sb.faults(json!({"faults": [
        {"path": "/sandbox/v1/*", "method": "POST", "kind": "status"},
        {"path": "/public/v1/query/*", "kind": "status", "status": 500, "probability": 0.5},
    ]}))
    .await;
    assert_eq!(
        sb.get("/sandbox/v1/info").await.0,
        200,
        "GET is not filtered"
    );
    let mut codes = std::collections::HashMap::<u16, u32>::new();
    for _ in 0..60 {
        *codes
            .entry(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0)
            .or_default() += 1;
    }
    assert!(codes.get(&500).copied().unwrap_or(0) > 5, "{codes:?}");
    assert!(codes.get(&200).copied().unwrap_or(0) > 5, "{codes:?}");
    let (_, listed) = sb.get("/sandbox/v1/faults").await;
    let rules = fault_rules(&listed);
    assert_eq!(rules.len(), 7, "{listed}");
    let last = rules.last().unwrap();
    assert_eq!(
        last["hits"].as_u64(),
        codes.get(&500).map(|n| u64::from(*n))
    );
    assert_eq!(last["remaining"], Value::Null);
    // DELETE clears everything.
    sb.clear_faults().await;
    assert!(fault_rules(&sb.get("/sandbox/v1/faults").await.1).is_empty());
    assert_eq!(attempt(&sb, whoami, &q, &stamp()).await.unwrap().0, 200);
    sb.stop().await;
}

/// A passkey user's co-signed transaction and its polling, under one fault each on the
/// submission route and on `get_activity`: exactly one activity per intended submission,
/// executed once, with both votes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_one_activity_per_submission_under_each_fault() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "faulty").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let address = user["addresses"][0].as_str().unwrap().to_owned();
    let submit = "/public/v1/submit/sign_transaction";
    let before = stored(&path(&dir), &sub).len();

    let cases = [
        json!({"kind": "latency", "ms": 300}),
        json!({"kind": "latency", "ms": 300, "when": "after"}),
        json!({"kind": "status", "status": 503}),
        json!({"kind": "status", "status": 500, "when": "after"}),
        json!({"kind": "drop", "when": "before"}),
        json!({"kind": "drop"}),
        json!({"kind": "drop", "count": 3}),
        json!({"kind": "truncate"}),
        json!({"kind": "slow", "ms": 300}),
    ];
    let mut intended = Vec::new();
    for (i, fault) in cases.iter().enumerate() {
        let nonce = u64::try_from(i).unwrap();
        let b = body(
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            &sub,
            json!({"signWith": address, "unsignedTransaction": unsigned_eip1559([0x42; 20], 1, nonce), "type": "TRANSACTION_TYPE_ETHEREUM"}),
        );
        let stamp = passkey.stamp(&b);
        let mut rule = fault.clone();
        rule["path"] = json!(submit);
        if rule.get("count").is_none() {
            rule["count"] = json!(1);
        }
        sb.faults(rule).await;
        // A status fault is an answer, not a lost response: the kit reports it. The caller's
        // retry here re-sends the same request (idempotent: same fingerprint).
        let ((mut code, mut v), lost) = submit_like_the_kit(&sb, submit, &b, &stamp).await;
        if code >= 500 {
            assert_eq!(fault["kind"], "status", "{v}");
            ((code, v), _) = submit_like_the_kit(&sb, submit, &b, &stamp).await;
        }
        assert_eq!(code, 200, "{fault}: {v}");
        let expected_lost = match fault["kind"].as_str().unwrap() {
            "drop" => fault["count"].as_u64().unwrap_or(1),
            "truncate" => 1,
            _ => 0,
        };
        assert_eq!(u64::from(lost), expected_lost, "{fault}");
        let id = v["activity"]["id"].as_str().unwrap().to_owned();
        // Poll under a fault too: the first reads fail, the next ones answer.
        sb.faults(json!({"path": "/public/v1/query/get_activity", "kind": fault["kind"], "ms": 50, "count": 2}))
            .await;
        let done = loop {
            let q = json!({"organizationId": sub, "activityId": id}).to_string();
            match attempt(
                &sb,
                "/public/v1/query/get_activity",
                &q,
                &sb.platform.stamp_body(&q),
            )
            .await
            {
                Ok((200, a)) if a["activity"]["status"] != "ACTIVITY_STATUS_CONSENSUS_NEEDED" => {
                    break a["activity"].clone();
                }
                _ => tokio::time::sleep(Duration::from_millis(30)).await,
            }
        };
        assert_eq!(
            done["status"], "ACTIVITY_STATUS_COMPLETED",
            "{fault}: {done}"
        );
        sb.clear_faults().await;
        intended.push((id, quorum_kit::activity::fingerprint(&b)));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    sb.stop().await;

    let activities = stored(&path(&dir), &sub);
    let new: Vec<&Activity> = activities.iter().skip(before).collect();
    let txs: Vec<&&Activity> = new
        .iter()
        .filter(|a| a.activity_type == "ACTIVITY_TYPE_SIGN_TRANSACTION_V2")
        .collect();
    assert_eq!(
        txs.len(),
        cases.len(),
        "one activity per intended submission"
    );
    for (id, fp) in &intended {
        let a = txs.iter().find(|a| &a.id == id).expect("lost activity");
        assert_eq!(&a.fingerprint, fp);
        assert_eq!(a.status, "ACTIVITY_STATUS_COMPLETED");
        assert_eq!(a.votes.len(), 2, "executed with both votes");
        assert!(a.result.is_some());
    }
    // The only other new activities are the platform's approvals, one per transaction.
    let approvals = new
        .iter()
        .filter(|a| a.activity_type == "ACTIVITY_TYPE_APPROVE_ACTIVITY")
        .count();
    assert_eq!(approvals, cases.len());
    assert_eq!(new.len(), 2 * cases.len());
}

/// A submission re-sent identically is the same activity, even with a passkey whose counter a
/// replay would trip; a new assertion over the same body is too; a stamp over the same body by
/// another key is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_resends_are_deduplicated_by_fingerprint() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "resender").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let b = body(
        "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
        &sub,
        json!({"signWith": user["addresses"][0], "payload": "once", "encoding": "PAYLOAD_ENCODING_TEXT_UTF8", "hashFunction": "HASH_FUNCTION_KECCAK256"}),
    );
    let submit = "/public/v1/submit/sign_raw_payload";
    let stamp = passkey.stamp(&b);
    let (code, first) = sb.post(submit, &b, Some(stamp.clone())).await;
    assert_eq!(code, 200, "{first}");
    let id = first["activity"]["id"].clone();
    for s in [stamp.clone(), stamp, passkey.stamp(&b)] {
        let (code, again) = sb.post(submit, &b, Some(s)).await;
        assert_eq!(code, 200, "{again}");
        assert_eq!(again["activity"]["id"], id);
    }
    // Another user's passkey over the same body: refused (it is not theirs to see).
    let stranger = sb.passkey();
    sb.signup(&stranger, "stranger").await;
    let (code, v) = sb.post(submit, &b, Some(stranger.stamp(&b))).await;
    assert_eq!((code, v["code"].as_u64()), (401, Some(16)), "{v}");
    // A replayed passkey assertion on a read is still refused (no activity to return).
    let q = json!({"organizationId": sub}).to_string();
    let s = passkey.stamp(&q);
    assert_eq!(
        sb.post("/public/v1/query/whoami", &q, Some(s.clone()))
            .await
            .0,
        200
    );
    assert_eq!(sb.post("/public/v1/query/whoami", &q, Some(s)).await.0, 401);
    sb.wait_terminal(&sub, id.as_str().unwrap()).await;
    sb.stop().await;
    let raw: Vec<Activity> = stored(&path(&dir), &sub)
        .into_iter()
        .filter(|a| a.activity_type == "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2")
        .collect();
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].votes.len(), 2);
}
