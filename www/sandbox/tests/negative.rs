//! Refusals: bad or foreign stamps, replays, stale timestamps, 1-of-2 approvals, votes on
//! finished activities, malformed policies. Each is refused and leaves state unchanged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::time::Duration;

use common::{Sandbox, body, eth_account, key, now_ms, path, root_user, sub_org, temp_dir};
use quorum_kit::keys::P256KeyPair;
use quorum_kit::stamp::{ApiKeyStamper, Stamp};
use serde_json::{Value, json};

async fn count(sb: &Sandbox, query: &str, field: &str, org: &str, who: &ApiKeyStamper) -> usize {
    let (code, v) = sb
        .query_with(query, json!({"organizationId": org}), |b| who.stamp_body(b))
        .await;
    assert_eq!(code, 200, "{v}");
    v[field].as_array().unwrap().len()
}

fn assert_error(got: &(u16, Value), status: u16, grpc: u64) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["code"].as_u64(), Some(grpc), "{}", got.1);
    assert!(got.1["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(got.1["details"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_and_foreign_stamps_are_refused_and_change_nothing() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let (a, b) = (key(), key());
    let (sub, _) = sub_org(&sb, &[&a], 1).await;
    let (other_sub, _) = sub_org(&sb, &[&b], 1).await;
    let before_parent = count(
        &sb,
        "list_activities",
        "activities",
        &sb.parent_org,
        &sb.platform,
    )
    .await;
    let before_sub = count(&sb, "list_activities", "activities", &sub, &a).await;
    let wallet = json!({"walletName": "x", "accounts": [eth_account()]});
    let path = "/public/v1/submit/create_wallet";
    let good = body("ACTIVITY_TYPE_CREATE_WALLET", &sub, wallet.clone());

    // No stamp, garbage stamp, a stamp over another body.
    assert_error(&sb.post(path, &good, None).await, 401, 16);
    let garbage = Stamp {
        header_name: "X-Stamp".into(),
        header_value: "bm90IGEgc3RhbXA".into(),
    };
    assert_error(&sb.post(path, &good, Some(garbage)).await, 401, 16);
    let other_body = body(
        "ACTIVITY_TYPE_CREATE_WALLET",
        &sub,
        json!({"walletName": "y", "accounts": []}),
    );
    assert_error(
        &sb.post(path, &good, Some(a.stamp_body(&other_body))).await,
        401,
        16,
    );
    // A body altered after stamping.
    let stamp = a.stamp_body(&good);
    let altered = good.replace("\"x\"", "\"z\"");
    assert_error(&sb.post(path, &altered, Some(stamp)).await, 401, 16);
    // Header names are case-insensitive (lowercase works).
    let mut lower = a.stamp_body(&good);
    lower.header_name = "x-stamp".into();
    // (kept for the end: it must succeed)

    // A key no organization knows, and a key of another sub-organization.
    assert_error(
        &sb.post(path, &good, Some(key().stamp_body(&good))).await,
        401,
        16,
    );
    assert_error(
        &sb.post(path, &good, Some(b.stamp_body(&good))).await,
        401,
        16,
    );
    let (code, v) = sb
        .query_with("list_wallets", json!({"organizationId": sub}), |x| {
            b.stamp_body(x)
        })
        .await;
    assert_eq!(code, 401, "{v}");

    // The parent can read its sub-organization but not act in it.
    let (code, v) = sb
        .query_with(
            "list_wallets",
            json!({"organizationId": sub}),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_error(
        &sb.post(path, &good, Some(sb.platform.stamp_body(&good)))
            .await,
        403,
        7,
    );

    // Stale and future timestamps.
    for ts in [now_ms() - 2 * 60 * 60 * 1000, now_ms() + 60 * 60 * 1000] {
        let bad = json!({"type": "ACTIVITY_TYPE_CREATE_WALLET", "timestampMs": ts.to_string(), "organizationId": sub, "parameters": wallet}).to_string();
        assert_error(&sb.post(path, &bad, Some(a.stamp_body(&bad))).await, 400, 3);
    }
    // A numeric timestampMs is not Turnkey's shape either.
    let bad = json!({"type": "ACTIVITY_TYPE_CREATE_WALLET", "timestampMs": now_ms(), "organizationId": sub, "parameters": wallet}).to_string();
    assert_error(&sb.post(path, &bad, Some(a.stamp_body(&bad))).await, 400, 3);
    // Wrong type for the route, unknown route, bad parameters.
    let bad = body("ACTIVITY_TYPE_EXPORT_WALLET", &sub, json!({}));
    assert_error(&sb.post(path, &bad, Some(a.stamp_body(&bad))).await, 400, 3);
    assert_error(
        &sb.post(
            "/public/v1/submit/teleport",
            &good,
            Some(a.stamp_body(&good)),
        )
        .await,
        404,
        5,
    );
    // A path of Turnkey's API that the sandbox does not implement: 501, in Turnkey's shape, even unstamped.
    for spec_path in [
        "/public/v1/submit/create_users",
        "/public/v1/query/get_api_keys",
        "/tkhq/api/v1/noop-codegen-anchor",
    ] {
        let got = sb.post(spec_path, &good, Some(a.stamp_body(&good))).await;
        assert_error(&got, 501, 12);
        assert!(
            got.1["message"].as_str().is_some_and(
                |m| m.contains("not supported by the sandbox") && m.contains(spec_path)
            ),
            "{}",
            got.1
        );
        assert_error(&sb.post(spec_path, &good, None).await, 501, 12);
    }
    // The sandbox's old, non-Turnkey names are gone (404), while Turnkey's names answer.
    for (old, new) in [
        ("get_wallets", "list_wallets"),
        ("get_wallet_accounts", "list_wallet_accounts"),
        ("get_users", "list_users"),
        ("get_policies", "list_policies"),
        ("get_sub_org_ids", "list_suborgs"),
    ] {
        let q = json!({"organizationId": sub}).to_string();
        let old_path = format!("/public/v1/query/{old}");
        assert_error(
            &sb.post(&old_path, &q, Some(a.stamp_body(&q))).await,
            404,
            5,
        );
        let (code, v) = sb
            .post(
                &format!("/public/v1/query/{new}"),
                &q,
                Some(a.stamp_body(&q)),
            )
            .await;
        assert_eq!(code, 200, "{new}: {v}");
    }
    let bad = body(
        "ACTIVITY_TYPE_CREATE_WALLET",
        &sub,
        json!({"walletName": "x", "accounts": [{"curve": "CURVE_SECP256K1", "pathFormat": "PATH_FORMAT_BIP32", "path": "m/not/a/path", "addressFormat": "ADDRESS_FORMAT_ETHEREUM"}]}),
    );
    assert_error(&sb.post(path, &bad, Some(a.stamp_body(&bad))).await, 400, 3);

    // A sub-organization cannot create sub-organizations.
    let nested = body(
        "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
        &sub,
        json!({"subOrganizationName": "nested", "rootUsers": [root_user("n", &a)], "rootQuorumThreshold": 1}),
    );
    assert_error(
        &sb.post(
            "/public/v1/submit/create_sub_organization",
            &nested,
            Some(a.stamp_body(&nested)),
        )
        .await,
        400,
        3,
    );

    assert_eq!(
        count(
            &sb,
            "list_activities",
            "activities",
            &sb.parent_org,
            &sb.platform
        )
        .await,
        before_parent
    );
    assert_eq!(
        count(&sb, "list_activities", "activities", &sub, &a).await,
        before_sub
    );
    assert_eq!(count(&sb, "list_wallets", "wallets", &sub, &a).await, 1);
    assert_eq!(
        count(&sb, "list_wallets", "wallets", &other_sub, &b).await,
        1
    );

    // The good request with a lowercase header name goes through.
    let (code, v) = sb.post(path, &good, Some(lower)).await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED");
    assert_eq!(count(&sb, "list_wallets", "wallets", &sub, &a).await, 2);
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webauthn_checks_origin_rp_id_and_counter() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let mut passkey = sb.passkey();
    let user = sb.signup(&passkey, "dora").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let q = json!({"organizationId": sub}).to_string();
    let path = "/public/v1/query/whoami";
    assert_eq!(sb.post(path, &q, Some(passkey.stamp(&q))).await.0, 200);
    // A replayed assertion (same counter) is refused.
    let stamp = passkey.stamp(&q);
    assert_eq!(sb.post(path, &q, Some(stamp.clone())).await.0, 200);
    assert_error(&sb.post(path, &q, Some(stamp)).await, 401, 16);
    // An assertion over another body.
    let other = json!({"organizationId": sb.parent_org}).to_string();
    assert_error(
        &sb.post(path, &q, Some(passkey.stamp(&other))).await,
        401,
        16,
    );
    // Wrong origin, wrong relying party.
    passkey.set_origin("http://evil.example");
    assert_error(&sb.post(path, &q, Some(passkey.stamp(&q))).await, 401, 16);
    passkey.set_origin(&sb.origin());
    passkey.set_rp_id("evil.example");
    assert_error(&sb.post(path, &q, Some(passkey.stamp(&q))).await, 401, 16);
    passkey.set_rp_id("localhost");
    assert_eq!(sb.post(path, &q, Some(passkey.stamp(&q))).await.0, 200);
    // Another user's passkey cannot act in this sub-organization.
    let stranger = sb.passkey();
    sb.signup(&stranger, "eve").await;
    assert_error(&sb.post(path, &q, Some(stranger.stamp(&q))).await, 401, 16);
    // A registration whose challenge does not match is refused at sign-up, creating nothing.
    let before = count(
        &sb,
        "list_suborgs",
        "organizationIds",
        &sb.parent_org,
        &sb.platform,
    )
    .await;
    let fresh = sb.passkey();
    let reg = fresh.register("k", b"the real challenge");
    let req =
        json!({"userName": "mallory", "challenge": "b3RoZXI", "attestation": reg["attestation"]});
    assert_error(
        &sb.post("/platform/signup", &req.to_string(), None).await,
        400,
        3,
    );
    assert_eq!(
        count(
            &sb,
            "list_suborgs",
            "organizationIds",
            &sb.parent_org,
            &sb.platform
        )
        .await,
        before
    );
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_two_never_executes_replays_and_votes_on_finished_activities_are_refused() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let (a, b) = (key(), key());
    let (sub, _) = sub_org(&sb, &[&a, &b], 2).await;
    let wallet = json!({"walletName": "second", "accounts": [eth_account()]});
    let first = body("ACTIVITY_TYPE_CREATE_WALLET", &sub, wallet.clone());
    let first_stamp = a.stamp_body(&first);
    let (code, v) = sb
        .post(
            "/public/v1/submit/create_wallet",
            &first,
            Some(first_stamp.clone()),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let act = v["activity"].clone();
    assert_eq!(act["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    let fp = act["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fp, quorum_kit::activity::fingerprint(&first));

    // The initiator approving again is not a second vote.
    let vote = |who: &ApiKeyStamper, route: &str, kind: &str| {
        let b = body(kind, &sub, json!({"fingerprint": fp}));
        let s = who.stamp_body(&b);
        (format!("/public/v1/submit/{route}"), b, s)
    };
    let (p, bd, s) = vote(&a, "approve_activity", "ACTIVITY_TYPE_APPROVE_ACTIVITY");
    assert_error(&sb.post(&p, &bd, Some(s)).await, 400, 9);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let activities = count(&sb, "list_activities", "activities", &sub, &a).await;
    let (_, now) = sb
        .query_with(
            "get_activity",
            json!({"organizationId": sub, "activityId": act["id"]}),
            |x| a.stamp_body(x),
        )
        .await;
    assert_eq!(
        now["activity"]["status"],
        "ACTIVITY_STATUS_CONSENSUS_NEEDED"
    );
    assert_eq!(now["activity"]["votes"].as_array().unwrap().len(), 1);
    assert_eq!(count(&sb, "list_wallets", "wallets", &sub, &a).await, 1);

    // Replaying the submission returns the same activity and creates nothing.
    let (code, again) = sb
        .post("/public/v1/submit/create_wallet", &first, Some(first_stamp))
        .await;
    assert_eq!(code, 200);
    assert_eq!(again["activity"]["id"], act["id"]);
    assert_eq!(
        count(&sb, "list_activities", "activities", &sub, &a).await,
        activities
    );

    // B rejects: REJECTED. Approving afterwards is refused and changes nothing.
    let (p, bd, s) = vote(&b, "reject_activity", "ACTIVITY_TYPE_REJECT_ACTIVITY");
    let (code, rej) = sb.post(&p, &bd, Some(s)).await;
    assert_eq!(code, 200, "{rej}");
    assert_eq!(rej["activity"]["status"], "ACTIVITY_STATUS_REJECTED");
    let (p, bd, s) = vote(&b, "approve_activity", "ACTIVITY_TYPE_APPROVE_ACTIVITY");
    assert_error(&sb.post(&p, &bd, Some(s)).await, 400, 9);
    let (_, now) = sb
        .query_with(
            "get_activity",
            json!({"organizationId": sub, "activityId": act["id"]}),
            |x| a.stamp_body(x),
        )
        .await;
    assert_eq!(now["activity"]["status"], "ACTIVITY_STATUS_REJECTED");
    assert_eq!(now["activity"]["votes"].as_array().unwrap().len(), 2);
    assert_eq!(count(&sb, "list_wallets", "wallets", &sub, &a).await, 1);

    // Unknown fingerprint.
    let bd = body(
        "ACTIVITY_TYPE_APPROVE_ACTIVITY",
        &sub,
        json!({"fingerprint": "sha256:00"}),
    );
    assert_error(
        &sb.post(
            "/public/v1/submit/approve_activity",
            &bd,
            Some(b.stamp_body(&bd)),
        )
        .await,
        404,
        5,
    );

    // 2 of 2: the second approval executes it; replaying that approval is harmless.
    let (code, v) = sb
        .submit_with(
            "create_wallet",
            "ACTIVITY_TYPE_CREATE_WALLET",
            &sub,
            wallet,
            |x| a.stamp_body(x),
        )
        .await;
    assert_eq!(code, 200);
    let fp2 = v["activity"]["fingerprint"].as_str().unwrap().to_owned();
    let bd = body(
        "ACTIVITY_TYPE_APPROVE_ACTIVITY",
        &sub,
        json!({"fingerprint": fp2}),
    );
    let s = b.stamp_body(&bd);
    let (code, ok) = sb
        .post("/public/v1/submit/approve_activity", &bd, Some(s.clone()))
        .await;
    assert_eq!(code, 200, "{ok}");
    assert_eq!(ok["activity"]["status"], "ACTIVITY_STATUS_COMPLETED");
    assert!(ok["activity"]["result"]["createWalletResult"]["walletId"].is_string());
    let (code, replay) = sb
        .post("/public/v1/submit/approve_activity", &bd, Some(s))
        .await;
    assert_eq!(code, 200);
    assert_eq!(replay["activity"]["votes"].as_array().unwrap().len(), 2);
    assert_eq!(count(&sb, "list_wallets", "wallets", &sub, &a).await, 2);
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_policies_are_refused_and_policies_decide() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let (a, b) = (key(), key());
    let (sub, ids) = sub_org(&sb, &[&a, &b], 2).await;
    let before = count(&sb, "list_activities", "activities", &sub, &a).await;
    for (condition, consensus, effect) in [
        ("activity.type ==", "", "EFFECT_ALLOW"),
        ("activity.type == 'x", "", "EFFECT_ALLOW"),
        ("eth.tx.value < 100", "", "EFFECT_ALLOW"),
        ("", "approvers.count() >= 2", "EFFECT_ALLOW"),
        ("approvers.any(u, u.id == 'x')", "", "EFFECT_ALLOW"),
        ("true", "", "EFFECT_MAYBE"),
    ] {
        let got = sb
            .submit_with(
                "create_policy",
                "ACTIVITY_TYPE_CREATE_POLICY_V3",
                &sub,
                json!({"policyName": "p", "effect": effect, "condition": condition, "consensus": consensus, "notes": ""}),
                |x| a.stamp_body(x),
            )
            .await;
        assert_error(&got, 400, 3);
    }
    assert_eq!(
        count(&sb, "list_activities", "activities", &sub, &a).await,
        before
    );
    assert_eq!(count(&sb, "list_policies", "policies", &sub, &a).await, 0);

    // A valid ALLOW policy (A alone may create wallets), approved 2-of-2, then used.
    let approve = |who: &ApiKeyStamper, fp: &str| {
        let bd = body(
            "ACTIVITY_TYPE_APPROVE_ACTIVITY",
            &sub,
            json!({"fingerprint": fp}),
        );
        let s = who.stamp_body(&bd);
        (bd, s)
    };
    for (effect, condition) in [
        (
            "EFFECT_ALLOW",
            "activity.type == 'ACTIVITY_TYPE_CREATE_WALLET'",
        ),
        (
            "EFFECT_DENY",
            "activity.type == 'ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2'",
        ),
    ] {
        let (_, v) = sb
            .submit_with(
                "create_policy",
                "ACTIVITY_TYPE_CREATE_POLICY_V3",
                &sub,
                json!({"policyName": effect, "effect": effect, "condition": condition,
                       "consensus": format!("approvers.any(user, user.id == '{}')", ids[0]), "notes": ""}),
                |x| a.stamp_body(x),
            )
            .await;
        assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
        let (bd, s) = approve(&b, v["activity"]["fingerprint"].as_str().unwrap());
        let (code, v) = sb
            .post("/public/v1/submit/approve_activity", &bd, Some(s))
            .await;
        assert_eq!(code, 200, "{v}");
        assert!(
            v["activity"]["result"]["createPolicyResult"]["policyId"].is_string(),
            "{v}"
        );
    }
    let (_, v) = sb
        .submit_with(
            "create_wallet",
            "ACTIVITY_TYPE_CREATE_WALLET",
            &sub,
            json!({"walletName": "by policy", "accounts": [], "mnemonicLength": 24}),
            |x| a.stamp_body(x),
        )
        .await;
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED", "{v}");
    // B is not named in the consensus: B alone still needs A.
    let (_, v) = sb
        .submit_with(
            "create_wallet",
            "ACTIVITY_TYPE_CREATE_WALLET",
            &sub,
            json!({"walletName": "by b", "accounts": []}),
            |x| b.stamp_body(x),
        )
        .await;
    assert_eq!(
        v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED",
        "{v}"
    );
    // The DENY policy rejects A's raw signing outright.
    let (_, accounts) = sb
        .query_with(
            "list_wallet_accounts",
            json!({"organizationId": sub}),
            |x| a.stamp_body(x),
        )
        .await;
    let address = accounts["accounts"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, v) = sb
        .submit_with(
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            &sub,
            json!({"signWith": address, "payload": "00", "encoding": "PAYLOAD_ENCODING_HEXADECIMAL", "hashFunction": "HASH_FUNCTION_KECCAK256"}),
            |x| a.stamp_body(x),
        )
        .await;
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_REJECTED", "{v}");
    sb.stop().await;
}

/// An activity without a result (no signature, no bundle, no id of anything created).
fn unexecuted(activity: &Value) -> bool {
    activity
        .get("result")
        .is_none_or(|r| r.is_null() || r.as_object().is_some_and(serde_json::Map::is_empty))
}

/// Wallets, policies, users and root quorum of `sub`, read as the platform.
async fn snapshot(sb: &Sandbox, sub: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (q, field) in [
        ("list_wallets", "wallets"),
        ("list_policies", "policies"),
        ("list_users", "users"),
    ] {
        let (code, v) = sb
            .query_with(q, json!({"organizationId": sub}), sb.as_platform())
            .await;
        assert_eq!(code, 200, "{v}");
        out.push(v[field].clone());
    }
    let (_, c) = sb
        .query_with(
            "get_organization_configs",
            json!({"organizationId": sub}),
            sb.as_platform(),
        )
        .await;
    out.push(c["configs"]["quorum"].clone());
    out
}

/// The platform is a root user of every user's sub-organization, and the parent organization:
/// alone it can sign nothing, export nothing, change no policy or quorum there (each stays
/// `CONSENSUS_NEEDED` with its one vote, nothing executed, even after the co-signer's ticks);
/// a parent-organization key that is not a member is refused outright (403). Passkey
/// submissions from a wrong origin or relying party, or by another user's passkey, are refused
/// and create nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_alone_and_foreign_passkeys_change_nothing() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let mut passkey = sb.passkey();
    let user = sb.signup(&passkey, "ivy").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let address = user["addresses"][0].as_str().unwrap().to_owned();
    let wallet_id = user["walletId"].as_str().unwrap().to_owned();
    let before = snapshot(&sb, &sub).await;
    assert_eq!(before[3]["threshold"], 2);
    let activities_before = sb.activities(&sub).await.len();

    // The platform alone (a root user of the sub-organization): pending, never executed.
    let target = P256KeyPair::generate().public_key_uncompressed().to_hex();
    let attempts = [
        (
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            json!({"signWith": address, "unsignedTransaction": common::unsigned_eip1559([0x66; 20], 1, 0), "type": "TRANSACTION_TYPE_ETHEREUM"}),
        ),
        (
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            json!({"signWith": address, "payload": "platform alone", "encoding": "PAYLOAD_ENCODING_TEXT_UTF8", "hashFunction": "HASH_FUNCTION_KECCAK256"}),
        ),
        (
            "export_wallet",
            "ACTIVITY_TYPE_EXPORT_WALLET",
            json!({"walletId": wallet_id, "targetPublicKey": target}),
        ),
        (
            "export_wallet_account",
            "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT",
            json!({"address": address, "targetPublicKey": target}),
        ),
        (
            "create_policy",
            "ACTIVITY_TYPE_CREATE_POLICY_V3",
            json!({"policyName": "platform exports", "effect": "EFFECT_ALLOW", "condition": "activity.type == 'ACTIVITY_TYPE_EXPORT_WALLET'", "consensus": "true", "notes": ""}),
        ),
    ];
    let mut pending = Vec::new();
    for (route, kind, params) in attempts {
        let (code, v) = sb
            .submit_with(route, kind, &sub, params, sb.as_platform())
            .await;
        assert_eq!(code, 200, "{route}: {v}");
        let a = &v["activity"];
        assert_eq!(
            a["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED",
            "{route}: {a}"
        );
        assert!(unexecuted(a), "{route}: {a}");
        pending.push((
            route,
            a["id"].as_str().unwrap().to_owned(),
            a["fingerprint"].as_str().unwrap().to_owned(),
        ));
    }
    // Voting again on its own activity is refused.
    let (_, _, fp) = &pending[2];
    let bd = body(
        "ACTIVITY_TYPE_APPROVE_ACTIVITY",
        &sub,
        json!({"fingerprint": fp}),
    );
    assert_error(
        &sb.post(
            "/public/v1/submit/approve_activity",
            &bd,
            Some(sb.platform.stamp_body(&bd)),
        )
        .await,
        400,
        9,
    );
    // Lowering the quorum alone: the co-signer's own rules reject it, nothing changes.
    let users: Vec<Value> = before[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].clone())
        .collect();
    let (code, v) = sb
        .submit_with(
            "update_root_quorum",
            "ACTIVITY_TYPE_UPDATE_ROOT_QUORUM",
            &sub,
            json!({"threshold": 1, "userIds": users}),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    // Several co-signer ticks later: still nothing executed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (route, id, _) in &pending {
        let (_, v) = sb
            .query_with(
                "get_activity",
                json!({"organizationId": sub, "activityId": id}),
                sb.as_platform(),
            )
            .await;
        assert_eq!(
            v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED",
            "{route}"
        );
        assert_eq!(
            v["activity"]["votes"].as_array().unwrap().len(),
            1,
            "{route}"
        );
        assert!(unexecuted(&v["activity"]), "{route}");
    }
    assert_eq!(snapshot(&sb, &sub).await, before);

    // A parent-organization key that is not a root user of a sub-organization: 403, nothing made.
    let (a, _) = (key(), key());
    let (api_sub, _) = sub_org(&sb, &[&a], 1).await;
    let acts = count(&sb, "list_activities", "activities", &api_sub, &a).await;
    let (_, w) = sb
        .query_with("list_wallets", json!({"organizationId": api_sub}), |x| {
            a.stamp_body(x)
        })
        .await;
    let (_, accts) = sb
        .query_with(
            "list_wallet_accounts",
            json!({"organizationId": api_sub, "walletId": w["wallets"][0]["walletId"]}),
            |x| a.stamp_body(x),
        )
        .await;
    let api_address = accts["accounts"][0]["address"].as_str().unwrap().to_owned();
    for (route, kind, params) in [
        (
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            json!({"signWith": api_address, "unsignedTransaction": common::unsigned_eip1559([0x66; 20], 1, 0), "type": "TRANSACTION_TYPE_ETHEREUM"}),
        ),
        (
            "export_wallet",
            "ACTIVITY_TYPE_EXPORT_WALLET",
            json!({"walletId": w["wallets"][0]["walletId"], "targetPublicKey": target}),
        ),
    ] {
        let b = body(kind, &api_sub, params);
        assert_error(
            &sb.post(
                &format!("/public/v1/submit/{route}"),
                &b,
                Some(sb.platform.stamp_body(&b)),
            )
            .await,
            403,
            7,
        );
    }
    assert_eq!(
        count(&sb, "list_activities", "activities", &api_sub, &a).await,
        acts
    );

    // Passkey submissions: wrong origin, wrong relying party, another user's passkey.
    let tx = body(
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
        &sub,
        json!({"signWith": address, "unsignedTransaction": common::unsigned_eip1559([0x66; 20], 1, 9), "type": "TRANSACTION_TYPE_ETHEREUM"}),
    );
    let submit = "/public/v1/submit/sign_transaction";
    passkey.set_origin("https://evil.example");
    assert_error(
        &sb.post(submit, &tx, Some(passkey.stamp(&tx))).await,
        401,
        16,
    );
    passkey.set_origin(&sb.origin());
    passkey.set_rp_id("evil.example");
    assert_error(
        &sb.post(submit, &tx, Some(passkey.stamp(&tx))).await,
        401,
        16,
    );
    passkey.set_rp_id("localhost");
    let stranger = sb.passkey();
    sb.signup(&stranger, "judy").await;
    assert_error(
        &sb.post(submit, &tx, Some(stranger.stamp(&tx))).await,
        401,
        16,
    );
    // A stamp made for one body, replayed on another.
    let other = body(
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
        &sub,
        json!({"signWith": address, "unsignedTransaction": common::unsigned_eip1559([0x66; 20], 2, 9), "type": "TRANSACTION_TYPE_ETHEREUM"}),
    );
    assert_error(
        &sb.post(submit, &other, Some(passkey.stamp(&tx))).await,
        401,
        16,
    );
    assert_eq!(
        sb.activities(&sub).await.len(),
        activities_before + pending.len() + 1
    );
    assert_eq!(snapshot(&sb, &sub).await, before);
    sb.stop().await;
}
