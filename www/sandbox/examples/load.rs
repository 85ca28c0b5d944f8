//! `make load`: drives a sandbox (started in this process, on 127.0.0.1 with a fresh data
//! directory) with many concurrent users: each signs up through `/platform/signup` with a
//! software passkey (the kit's core WebAuthn stamp), then submits transactions one after another
//! that the platform's co-signer approves (2-of-2), polling `get_activity` until each is done.
//! Afterwards it reads the sandbox's store and checks that no activity was lost, duplicated, or
//! executed without quorum; then prints throughput and p50/p99 latency per route and, with
//! `--write FILE`, puts them into FILE between `<!-- load:start -->` and `<!-- load:end -->`.
//!
//! ```sh
//! cargo run --profile server -p quorum-sandbox --example load -- --users 200 --per-user 10 --write bench/README.md
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    missing_docs
)]

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use quorum_kit::keys::P256KeyPair;
use quorum_sandbox::model::{Activity, Organization, VOTE_APPROVED};
use quorum_sandbox::platform::PlatformUser;
use quorum_sandbox::soft_passkey::SoftPasskey;
use quorum_sandbox::store::Store;
use serde_json::{Value, json};

#[path = "../tests/common/mod.rs"]
mod common;
use common::{now_ms, unsigned_eip1559};

#[derive(Default)]
struct Stats {
    by_route: Mutex<BTreeMap<String, Vec<f64>>>,
}

impl Stats {
    fn record(&self, route: &str, ms: f64) {
        self.by_route
            .lock()
            .unwrap()
            .entry(route.to_owned())
            .or_default()
            .push(ms);
    }
}

struct Ctx {
    http: reqwest::Client,
    base: String,
    stats: Stats,
    errors: Mutex<Vec<String>>,
}

impl Ctx {
    async fn post(
        &self,
        route: &str,
        body: &str,
        stamp: Option<quorum_kit::stamp::Stamp>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}{route}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(s) = stamp {
            req = req.header(s.header_name, s.header_value);
        }
        let t = Instant::now();
        let resp = req.send().await.unwrap();
        let code = resp.status().as_u16();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        self.stats.record(route, t.elapsed().as_secs_f64() * 1000.0);
        (code, v)
    }
}

/// One user: sign up, then `per_user` co-signed transactions. Returns (sub-org, activity ids).
async fn user(
    ctx: Arc<Ctx>,
    origin: String,
    n: usize,
    per_user: usize,
) -> Option<(String, Vec<String>)> {
    let passkey = SoftPasskey::new(&origin, "localhost");
    let challenge = *P256KeyPair::generate().private_key_bytes();
    let reg = passkey.register("load", &challenge);
    let req = json!({
        "userName": format!("load-{n}"),
        "authenticatorName": reg["authenticatorName"],
        "challenge": reg["challenge"],
        "attestation": reg["attestation"],
    });
    let (code, u) = ctx.post("/platform/signup", &req.to_string(), None).await;
    if code != 200 {
        ctx.errors
            .lock()
            .unwrap()
            .push(format!("signup {n}: {code} {u}"));
        return None;
    }
    let sub = u["subOrganizationId"].as_str()?.to_owned();
    let address = u["addresses"][0].as_str()?.to_owned();
    let mut ids = Vec::new();
    for i in 0..per_user {
        let started = Instant::now();
        let body = json!({
            "type": "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            "timestampMs": now_ms().to_string(),
            "organizationId": sub,
            "parameters": {"signWith": address, "unsignedTransaction": unsigned_eip1559([0x42; 20], 1, i as u64), "type": "TRANSACTION_TYPE_ETHEREUM"},
        })
        .to_string();
        let (code, v) = ctx
            .post(
                "/public/v1/submit/sign_transaction",
                &body,
                Some(passkey.stamp(&body)),
            )
            .await;
        let Some(id) = v["activity"]["id"].as_str().filter(|_| code == 200) else {
            ctx.errors
                .lock()
                .unwrap()
                .push(format!("submit {n}/{i}: {code} {v}"));
            continue;
        };
        ids.push(id.to_owned());
        let mut status = v["activity"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        while status == "ACTIVITY_STATUS_CONSENSUS_NEEDED" {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let q = json!({"organizationId": sub, "activityId": id}).to_string();
            let (code, a) = ctx
                .post("/public/v1/query/get_activity", &q, Some(passkey.stamp(&q)))
                .await;
            if code != 200 {
                ctx.errors
                    .lock()
                    .unwrap()
                    .push(format!("poll {n}/{i}: {code} {a}"));
                break;
            }
            a["activity"]["status"]
                .as_str()
                .unwrap_or_default()
                .clone_into(&mut status);
        }
        if status != "ACTIVITY_STATUS_COMPLETED" {
            ctx.errors
                .lock()
                .unwrap()
                .push(format!("activity {id} ended {status}"));
        }
        ctx.stats.record(
            "co-signed transaction (submit → COMPLETED)",
            started.elapsed().as_secs_f64() * 1000.0,
        );
    }
    Some((sub, ids))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut users, mut per_user, mut write) = (200usize, 10usize, None::<String>);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--users" => users = args.next().and_then(|v| v.parse().ok()).expect("--users N"),
            "--per-user" => {
                per_user = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--per-user N")
            }
            "--write" => write = args.next(),
            other => panic!("unknown argument {other}"),
        }
    }
    let data = tempfile::tempdir().unwrap();
    let mut config = quorum_sandbox::Config::for_tests(data.path().to_path_buf());
    config.cosigner_interval_ms = 250; // as `make demo` runs it
    let server = quorum_sandbox::start(config).await.unwrap();
    let port = server.addr.port();
    let origin = format!("http://localhost:{port}");
    let ctx = Arc::new(Ctx {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(users)
            .build()
            .unwrap(),
        base: server.base_url(),
        stats: Stats::default(),
        errors: Mutex::default(),
    });
    eprintln!(
        "load: {users} users × {per_user} co-signed transactions against {}",
        ctx.base
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..users)
        .map(|n| tokio::spawn(user(ctx.clone(), origin.clone(), n, per_user)))
        .collect();
    let mut submitted: Vec<(String, Vec<String>)> = Vec::new();
    for t in tasks {
        if let Ok(Some(r)) = t.await {
            submitted.push(r);
        }
    }
    let wall = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.stop().await;

    // Check from the store.
    let store = Store::open(data.path()).unwrap();
    let (platform_users, by_org) = store
        .tx(|db| {
            let pu = db.list_all::<PlatformUser>()?;
            let mut by_org = Vec::new();
            for u in &pu {
                let org = db.get::<Organization>(&u.sub_organization_id)?.unwrap();
                by_org.push((
                    u.clone(),
                    org,
                    db.list_by_org::<Activity>(&u.sub_organization_id)?,
                ));
            }
            Ok((pu, by_org))
        })
        .unwrap();
    let (mut lost, mut duplicated, mut without_quorum, mut not_completed, mut txs) =
        (0, 0, 0, 0, 0);
    for (sub, ids) in &submitted {
        let (_, org, acts) = by_org
            .iter()
            .find(|(u, _, _)| &u.sub_organization_id == sub)
            .unwrap();
        let signs: Vec<&Activity> = acts
            .iter()
            .filter(|a| a.activity_type == "ACTIVITY_TYPE_SIGN_TRANSACTION_V2")
            .collect();
        txs += signs.len();
        lost += ids
            .iter()
            .filter(|id| !signs.iter().any(|a| &&a.id == id))
            .count();
        duplicated += signs.len().saturating_sub(ids.len());
        let fps: HashSet<&str> = signs.iter().map(|a| a.fingerprint.as_str()).collect();
        duplicated += signs.len() - fps.len();
        for a in &signs {
            let approvers: HashSet<&str> = a
                .votes
                .iter()
                .filter(|v| v.selection == VOTE_APPROVED)
                .map(|v| v.user_id.as_str())
                .collect();
            let root = org
                .root_quorum
                .user_ids
                .iter()
                .filter(|u| approvers.contains(u.as_str()))
                .count();
            if a.result.is_some() && (root < 2 || org.root_quorum.threshold < 2) {
                without_quorum += 1;
            }
            if a.status != "ACTIVITY_STATUS_COMPLETED" {
                not_completed += 1;
            }
        }
    }
    let errors = ctx.errors.lock().unwrap().clone();
    let ok = errors.is_empty()
        && platform_users.len() == users
        && txs == users * per_user
        && lost == 0
        && duplicated == 0
        && without_quorum == 0
        && not_completed == 0;

    let mut table = String::from(
        "| route | requests | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (route, samples) in ctx.stats.by_route.lock().unwrap().iter_mut() {
        samples.sort_by(f64::total_cmp);
        table.push_str(&format!(
            "| `{route}` | {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            samples.len(),
            samples.len() as f64 / wall,
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            samples.last().copied().unwrap_or(0.0),
        ));
    }
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let section = format!(
        "Recorded by `make load` (`server` profile: release at opt-level 3, sandbox and driver in one process on {cores} cores, \
co-signer polling every 250 ms as in `make demo`): {users} concurrent users signed up, then each submitted \
{per_user} `sign_transaction` activities one after another (passkey-stamped with the kit's core WebAuthn \
stamp), each co-signed by the platform (2-of-2) and polled with `get_activity` every 100 ms until \
`COMPLETED`. Wall time {wall:.1} s: {:.1} co-signed activities/s.\n\n{table}\n\
Checked from the sandbox's store afterwards: {} platform users, {txs} `sign_transaction` activities \
({} intended); lost {lost}, duplicated {duplicated}, executed without a 2-of-2 quorum {without_quorum}, \
not completed {not_completed}; client errors {}. **{}**\n",
        txs as f64 / wall,
        platform_users.len(),
        users * per_user,
        errors.len(),
        if ok {
            "All checks passed."
        } else {
            "CHECKS FAILED."
        },
    );
    println!("{section}");
    for e in errors.iter().take(10) {
        eprintln!("error: {e}");
    }
    if let Some(file) = write {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let (start, end) = ("<!-- load:start -->", "<!-- load:end -->");
        let block = format!("{start}\n{section}{end}");
        let new = match (text.find(start), text.find(end)) {
            (Some(a), Some(b)) if b > a => {
                format!("{}{block}{}", &text[..a], &text[b + end.len()..])
            }
            _ => format!("{}\n\n## Load (`make load`)\n\n{block}\n", text.trim_end()),
        };
        std::fs::write(&file, new).unwrap();
        eprintln!("load: wrote {file}");
    }
    if !ok {
        std::process::exit(1);
    }
}
