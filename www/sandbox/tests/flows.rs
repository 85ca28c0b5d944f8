//! End-to-end flows over HTTP: staged sign-up, 2-of-2 transactions co-signed by the platform,
//! rejections by rule, user-only export, sessions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{Sandbox, path, recover, recover_eip1559_signer, temp_dir, unsigned_eip1559};
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use quorum_kit::stamp::ApiKeyStamper;
use serde_json::{Value, json};

const RECIPIENT: [u8; 20] = [0x22; 20];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_signer_and_whoami() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let (code, signer) = sb.get("/sandbox/v1/signer").await;
    assert_eq!(code, 200);
    assert_eq!(signer["signerPublicKey"].as_str().unwrap(), sb.signer);
    UncompressedP256::from_hex(&sb.signer).unwrap();
    let (code, who) = sb
        .query_with(
            "whoami",
            json!({"organizationId": sb.parent_org}),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{who}");
    assert_eq!(who["organizationId"], sb.parent_org.as_str());
    assert_eq!(who["username"], "platform");
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staged_signup_two_of_two_transaction_and_user_only_export() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "alice").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let address = user["addresses"][0].as_str().unwrap().to_owned();
    let wallet_id = user["walletId"].as_str().unwrap().to_owned();
    assert!(address.starts_with("0x") && address.len() == 42);

    // The staged flow left a 2-of-2 root quorum and the user's export policy.
    let (_, configs) = sb
        .query_with(
            "get_organization_configs",
            json!({"organizationId": sub}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(configs["configs"]["quorum"]["threshold"], 2);
    let ids = configs["configs"]["quorum"]["userIds"].as_array().unwrap();
    assert!(ids.contains(&user["endUserId"]) && ids.contains(&user["platformUserId"]));
    let (_, policies) = sb
        .query_with("list_policies", json!({"organizationId": sub}), |b| {
            passkey.stamp(b)
        })
        .await;
    assert_eq!(policies["policies"].as_array().unwrap().len(), 1);
    let (_, who) = sb
        .query_with("whoami", json!({"organizationId": sub}), |b| {
            passkey.stamp(b)
        })
        .await;
    assert_eq!(who["userId"], user["endUserId"]);
    let (_, accounts) = sb
        .query_with(
            "list_wallet_accounts",
            json!({"organizationId": sub, "walletId": wallet_id}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(
        accounts["accounts"][0]["address"].as_str().unwrap(),
        address
    );

    // Finding the user again from the passkey: Turnkey's list_suborgs filter, and the platform's lookup.
    let (code, ids) = sb
        .query_with(
            "list_suborgs",
            json!({"organizationId": sb.parent_org, "filterType": "CREDENTIAL_ID", "filterValue": passkey.credential_id()}),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{ids}");
    assert_eq!(ids["organizationIds"], json!([sub]));
    let (code, found) = sb
        .get(&format!(
            "/platform/lookup?credentialId={}",
            passkey.credential_id()
        ))
        .await;
    assert_eq!(code, 200, "{found}");
    assert_eq!(found["userId"], user["userId"]);
    let (code, _) = sb.get("/platform/lookup?credentialId=nope").await;
    assert_eq!(code, 404);
    let (_, users) = sb.get("/platform/users").await;
    assert_eq!(users["users"][0]["userId"], user["userId"]);

    // A transaction: the passkey's vote alone leaves it CONSENSUS_NEEDED; the platform co-signs.
    let unsigned = unsigned_eip1559(RECIPIENT, 1000, 0);
    let (code, v) = sb
        .submit_with(
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            &sub,
            json!({"signWith": address, "unsignedTransaction": unsigned, "type": "TRANSACTION_TYPE_ETHEREUM"}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    assert_eq!(v["activity"]["votes"].as_array().unwrap().len(), 1);
    assert!(
        v["activity"]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let id = v["activity"]["id"].as_str().unwrap().to_owned();
    let done = sb.wait_terminal(&sub, &id).await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
    assert_eq!(done["votes"].as_array().unwrap().len(), 2);
    let signed = done["result"]["signTransactionResult"]["signedTransaction"]
        .as_str()
        .unwrap();
    assert_eq!(recover_eip1559_signer(signed, &unsigned), address);
    let (_, decisions) = sb
        .get(&format!("/platform/decisions?subOrganizationId={sub}"))
        .await;
    let d = &decisions["decisions"][0];
    assert_eq!(d["activityId"], id.as_str());
    assert_eq!(d["decision"], "APPROVED");

    // Raw payload signing, co-signed, verifiable.
    let (_, v) = sb
        .submit_with(
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            &sub,
            json!({"signWith": address, "payload": "68656c6c6f", "encoding": "PAYLOAD_ENCODING_HEXADECIMAL", "hashFunction": "HASH_FUNCTION_KECCAK256"}),
            |b| passkey.stamp(b),
        )
        .await;
    let done = sb
        .wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
        .await;
    let r = &done["result"]["signRawPayloadResult"];
    let mut rs = hex::decode(r["r"].as_str().unwrap()).unwrap();
    rs.extend(hex::decode(r["s"].as_str().unwrap()).unwrap());
    let v_byte = u8::from_str_radix(r["v"].as_str().unwrap(), 16).unwrap();
    let digest = quorum_sandbox::enclave::keccak256(b"hello");
    assert_eq!(recover(&digest, &rs, v_byte), address);

    // Export needs only the user (the export policy), and the kit decrypts the bundle.
    let target = P256KeyPair::generate();
    let (code, v) = sb
        .submit_with(
            "export_wallet",
            "ACTIVITY_TYPE_EXPORT_WALLET",
            &sub,
            json!({"walletId": wallet_id, "targetPublicKey": target.public_key_uncompressed().to_hex()}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED", "{v}");
    assert_eq!(
        v["activity"]["votes"].as_array().unwrap().len(),
        1,
        "the user alone"
    );
    let bundle = v["activity"]["result"]["exportWalletResult"]["exportBundle"]
        .as_str()
        .unwrap();
    let signer = UncompressedP256::from_hex(&sb.signer).unwrap();
    let plain = quorum_kit::bundle::decrypt_export_bundle(bundle, &target, &sub, &signer).unwrap();
    let mnemonic = quorum_kit::bundle::export_plaintext_to_mnemonic(&plain).unwrap();
    assert_eq!(mnemonic.split(' ').count(), 12);
    let derived = quorum_sandbox::enclave::derive(
        &mnemonic,
        "CURVE_SECP256K1",
        "m/44'/60'/0'/0/0",
        "ADDRESS_FORMAT_ETHEREUM",
    )
    .unwrap();
    assert_eq!(derived.address, address);
    // The bundle is pinned to the sandbox's signer and the sub-organization.
    assert!(
        quorum_kit::bundle::decrypt_export_bundle(bundle, &target, &sb.parent_org, &signer)
            .is_err()
    );
    let other = P256KeyPair::generate().public_key_uncompressed();
    assert!(quorum_kit::bundle::decrypt_export_bundle(bundle, &target, &sub, &other).is_err());

    // Account export: the raw private key of the address.
    let (_, v) = sb
        .submit_with(
            "export_wallet_account",
            "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT",
            &sub,
            json!({"address": address, "targetPublicKey": target.public_key_uncompressed().to_hex()}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_COMPLETED", "{v}");
    let bundle = v["activity"]["result"]["exportWalletAccountResult"]["exportBundle"]
        .as_str()
        .unwrap();
    let plain = quorum_kit::bundle::decrypt_export_bundle(bundle, &target, &sub, &signer).unwrap();
    let key = k256::ecdsa::SigningKey::from_slice(&plain).unwrap();
    assert_eq!(
        quorum_sandbox::enclave::ethereum_address(key.verifying_key()),
        address
    );
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn platform_rejects_by_rule_and_billing() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "bob").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let address = user["addresses"][0].as_str().unwrap().to_owned();
    let tx = |value: u128, nonce: u64, to: [u8; 20]| json!({"signWith": address, "unsignedTransaction": unsigned_eip1559(to, value, nonce), "type": "TRANSACTION_TYPE_ETHEREUM"});
    let submit_and_wait = |params: Value, route: &'static str, kind: &'static str| {
        let sb = &sb;
        let sub = sub.clone();
        let passkey = &passkey;
        async move {
            let (code, v) = sb
                .submit_with(route, kind, &sub, params, |b| passkey.stamp(b))
                .await;
            assert_eq!(code, 200, "{v}");
            sb.wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
                .await
        }
    };

    // Value limit.
    let (code, rules) = sb
        .admin_post("/platform/admin/rules", r#"{"maxValueWei":"100"}"#)
        .await;
    assert_eq!(code, 200, "{rules}");
    let done = submit_and_wait(
        tx(1000, 0, RECIPIENT),
        "sign_transaction",
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    )
    .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_REJECTED", "{done}");
    assert!(done["result"]["signTransactionResult"].is_null());
    let (_, decisions) = sb
        .get(&format!("/platform/decisions?subOrganizationId={sub}"))
        .await;
    assert_eq!(decisions["decisions"][0]["decision"], "REJECTED");
    assert!(
        decisions["decisions"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    // Within the limit it goes through.
    let done = submit_and_wait(
        tx(50, 1, RECIPIENT),
        "sign_transaction",
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    )
    .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED");

    // Deny list.
    let denied = format!("0x{}", hex::encode([0x33u8; 20]));
    let (code, _) = sb
        .admin_post(
            "/platform/admin/rules",
            &json!({"denyRecipients": [denied]}).to_string(),
        )
        .await;
    assert_eq!(code, 200);
    let done = submit_and_wait(
        tx(1, 2, [0x33; 20]),
        "sign_transaction",
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    )
    .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_REJECTED");

    // Raw payload rule.
    let raw = json!({"signWith": address, "payload": "hello", "encoding": "PAYLOAD_ENCODING_TEXT_UTF8", "hashFunction": "HASH_FUNCTION_SHA256"});
    let (code, _) = sb
        .admin_post("/platform/admin/rules", r#"{"allowSignRawPayload":false}"#)
        .await;
    assert_eq!(code, 200);
    let done = submit_and_wait(
        raw.clone(),
        "sign_raw_payload",
        "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
    )
    .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_REJECTED");

    // Billing suspended: everything is refused; reactivated: approved again.
    let (code, _) = sb
        .admin_post("/platform/admin/rules", r#"{"allowSignRawPayload":true}"#)
        .await;
    assert_eq!(code, 200);
    let (code, u) = sb
        .admin_post(
            "/platform/admin/billing",
            &json!({"userId": user["userId"], "status": "suspended"}).to_string(),
        )
        .await;
    assert_eq!(code, 200, "{u}");
    let done = submit_and_wait(
        tx(1, 3, RECIPIENT),
        "sign_transaction",
        "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    )
    .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_REJECTED");
    let (_, decisions) = sb
        .get(&format!("/platform/decisions?subOrganizationId={sub}"))
        .await;
    assert!(
        decisions["decisions"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("billing")
    );
    sb.admin_post(
        "/platform/admin/billing",
        &json!({"subOrganizationId": sub, "status": "active"}).to_string(),
    )
    .await;
    let done = submit_and_wait(raw, "sign_raw_payload", "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2").await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED");

    // Bad admin input.
    let (code, e) = sb
        .admin_post("/platform/admin/rules", r#"{"maxValueWei":"lots"}"#)
        .await;
    assert_eq!((code, e["code"].as_u64()), (400, Some(3)));
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_write_session_credential_bundle_stamps_as_the_user() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "carol").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let target = P256KeyPair::generate();
    let (_, v) = sb
        .submit_with(
            "create_read_write_session",
            "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2",
            &sub,
            json!({"targetPublicKey": target.public_key_uncompressed().to_hex(), "expirationSeconds": "600"}),
            |b| passkey.stamp(b),
        )
        .await;
    let done = sb
        .wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
        .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
    let r = &done["result"]["createReadWriteSessionResultV2"];
    assert_eq!(r["userId"], user["endUserId"]);
    assert_eq!(r["organizationId"], sub.as_str());
    let key = quorum_kit::bundle::decrypt_credential_bundle(
        r["credentialBundle"].as_str().unwrap(),
        &target,
    )
    .unwrap();
    let session = ApiKeyStamper::new(key);
    let (code, who) = sb
        .query_with("whoami", json!({"organizationId": sub}), |b| {
            session.stamp_body(b)
        })
        .await;
    assert_eq!(code, 200, "{who}");
    assert_eq!(who["userId"], user["endUserId"]);
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_wallet_with_a_solana_account() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;
    let passkey = sb.passkey();
    let user = sb.signup(&passkey, "sol").await;
    let sub = user["subOrganizationId"].as_str().unwrap().to_owned();
    let (_, v) = sb
        .submit_with(
            "create_wallet",
            "ACTIVITY_TYPE_CREATE_WALLET",
            &sub,
            json!({"walletName": "multi", "mnemonicLength": 24, "accounts": [
                {"curve": "CURVE_ED25519", "pathFormat": "PATH_FORMAT_BIP32", "path": "m/44'/501'/0'/0'", "addressFormat": "ADDRESS_FORMAT_SOLANA"},
                {"curve": "CURVE_SECP256K1", "pathFormat": "PATH_FORMAT_BIP32", "path": "m/44'/60'/0'/0/1", "addressFormat": "ADDRESS_FORMAT_ETHEREUM"},
            ]}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    let done = sb
        .wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
        .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
    let solana = done["result"]["createWalletResult"]["addresses"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, accounts) = sb
        .query_with("list_wallet_accounts", json!({"organizationId": sub, "walletId": done["result"]["createWalletResult"]["walletId"]}), |b| passkey.stamp(b))
        .await;
    let public = hex::decode(accounts["accounts"][0]["publicKey"].as_str().unwrap()).unwrap();
    assert_eq!(quorum_kit::encoding::bs58_encode(&public), solana);
    let verifying =
        ed25519_dalek::VerifyingKey::from_bytes(&public.clone().try_into().unwrap()).unwrap();

    // Ed25519 raw signing (co-signed): r ‖ s is the signature over the payload itself.
    let (_, v) = sb
        .submit_with(
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            &sub,
            json!({"signWith": solana, "payload": "solana message", "encoding": "PAYLOAD_ENCODING_TEXT_UTF8", "hashFunction": "HASH_FUNCTION_NOT_APPLICABLE"}),
            |b| passkey.stamp(b),
        )
        .await;
    let done = sb
        .wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
        .await;
    let r = &done["result"]["signRawPayloadResult"];
    let mut sig = hex::decode(r["r"].as_str().unwrap()).unwrap();
    sig.extend(hex::decode(r["s"].as_str().unwrap()).unwrap());
    let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
    verifying.verify_strict(b"solana message", &sig).unwrap();
    // A hash function is refused for Ed25519, an Ethereum transaction with a Solana key too.
    let (code, _) = sb
        .submit_with(
            "sign_raw_payload",
            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
            &sub,
            json!({"signWith": solana, "payload": "00", "encoding": "PAYLOAD_ENCODING_HEXADECIMAL", "hashFunction": "HASH_FUNCTION_SHA256"}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 400);
    let (code, _) = sb
        .submit_with(
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            &sub,
            json!({"signWith": solana, "unsignedTransaction": unsigned_eip1559(RECIPIENT, 1, 0), "type": "TRANSACTION_TYPE_ETHEREUM"}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 400);

    // Account export (this wallet is not covered by the sign-up export policy: the platform co-signs it).
    let target = P256KeyPair::generate();
    let (_, v) = sb
        .submit_with(
            "export_wallet_account",
            "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT",
            &sub,
            json!({"address": solana, "targetPublicKey": target.public_key_uncompressed().to_hex()}),
            |b| passkey.stamp(b),
        )
        .await;
    let done = sb
        .wait_terminal(&sub, v["activity"]["id"].as_str().unwrap())
        .await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
    let bundle = done["result"]["exportWalletAccountResult"]["exportBundle"]
        .as_str()
        .unwrap();
    let signer = UncompressedP256::from_hex(&sb.signer).unwrap();
    let plain = quorum_kit::bundle::decrypt_export_bundle(bundle, &target, &sub, &signer).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&plain.as_slice().try_into().unwrap());
    assert_eq!(key.verifying_key(), verifying);
    sb.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_co_signer_votes_only_in_its_own_users_organizations() {
    let dir = temp_dir();
    let sb = Sandbox::start(&path(&dir)).await;

    // A 2-of-2 sub-organization made through the API, not through the platform's sign-up. Its second
    // root user holds the platform's own key, so the co-signer could vote there; it must not.
    let passkey = sb.passkey();
    let challenge = *P256KeyPair::generate().private_key_bytes();
    let reg = passkey.register("Test passkey", &challenge);
    let (code, v) = sb
        .submit_with(
            "create_sub_organization",
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
            &sb.parent_org,
            json!({
                "subOrganizationName": "not the platform's",
                "rootUsers": [
                    {"userName": "dave", "apiKeys": [], "oauthProviders": [], "authenticators": [{
                        "authenticatorName": reg["authenticatorName"],
                        "challenge": reg["challenge"],
                        "attestation": reg["attestation"],
                    }]},
                    {"userName": "platform key", "authenticators": [], "oauthProviders": [], "apiKeys": [{
                        "apiKeyName": "platform",
                        "publicKey": sb.platform.public_key_hex(),
                        "curveType": "API_KEY_CURVE_P256",
                    }]},
                ],
                "rootQuorumThreshold": 2,
                "wallet": {"walletName": "w", "mnemonicLength": 12, "accounts": [{
                    "curve": "CURVE_SECP256K1", "pathFormat": "PATH_FORMAT_BIP32",
                    "path": "m/44'/60'/0'/0/0", "addressFormat": "ADDRESS_FORMAT_ETHEREUM",
                }]},
            }),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let result = &v["activity"]["result"]["createSubOrganizationResultV8"];
    let other = result["subOrganizationId"].as_str().unwrap().to_owned();
    let address = result["wallet"]["addresses"][0]
        .as_str()
        .unwrap()
        .to_owned();

    // And a platform user, whose pending transaction the co-signer does decide.
    let own_passkey = sb.passkey();
    let user = sb.signup(&own_passkey, "erin").await;
    let own = user["subOrganizationId"].as_str().unwrap().to_owned();
    let own_address = user["addresses"][0].as_str().unwrap().to_owned();

    let theirs = pending_transaction(&sb, &other, &address, &passkey).await;
    let ours = pending_transaction(&sb, &own, &own_address, &own_passkey).await;

    // The platform user's transaction ends (the co-signer runs every 50 ms here) ...
    let done = sb.wait_terminal(&own, &ours).await;
    assert_eq!(done["status"], "ACTIVITY_STATUS_COMPLETED", "{done}");
    // ... while the other organization's stays pending with the passkey's vote alone, ticks later.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (code, v) = sb
        .query_with(
            "get_activity",
            json!({"organizationId": other, "activityId": theirs}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    assert_eq!(v["activity"]["votes"].as_array().unwrap().len(), 1);
    sb.stop().await;
}

/// Submits a transaction stamped by `passkey` alone; it waits for the second root user.
async fn pending_transaction(
    sb: &Sandbox,
    org: &str,
    address: &str,
    passkey: &quorum_sandbox::soft_passkey::SoftPasskey,
) -> String {
    let (code, v) = sb
        .submit_with(
            "sign_transaction",
            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
            org,
            json!({"signWith": address, "unsignedTransaction": unsigned_eip1559(RECIPIENT, 1000, 0), "type": "TRANSACTION_TYPE_ETHEREUM"}),
            |b| passkey.stamp(b),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    assert_eq!(v["activity"]["status"], "ACTIVITY_STATUS_CONSENSUS_NEEDED");
    v["activity"]["id"].as_str().unwrap().to_owned()
}
