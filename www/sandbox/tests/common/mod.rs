//! Shared helpers: start the sandbox in-process on 127.0.0.1:0 with a temp data dir, and
//! drive it over HTTP with real stamps.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy_rlp::{Encodable as _, Header};
use quorum_kit::keys::P256KeyPair;
use quorum_kit::stamp::{ApiKeyStamper, Stamp};
use quorum_sandbox::soft_passkey::SoftPasskey;
use quorum_sandbox::{Config, RunningServer};
use serde_json::{Value, json};

pub struct Sandbox {
    pub server: Option<RunningServer>,
    pub port: u16,
    pub base: String,
    pub http: reqwest::Client,
    pub platform: ApiKeyStamper,
    pub parent_org: String,
    pub signer: String,
    /// `<data>/admin-token`, for `X-Platform-Admin-Token`.
    pub admin_token: String,
}

pub fn now_ms() -> i64 {
    quorum_sandbox::model::now_ms()
}

pub fn body(activity_type: &str, org: &str, parameters: Value) -> String {
    json!({
        "type": activity_type,
        "timestampMs": now_ms().to_string(),
        "organizationId": org,
        "parameters": parameters,
    })
    .to_string()
}

impl Sandbox {
    pub async fn start(dir: &Path) -> Self {
        Self::start_config(Config::for_tests(dir.to_path_buf())).await
    }

    pub async fn start_config(config: Config) -> Self {
        let dir = config.data_dir.clone();
        let server = quorum_sandbox::start(config).await.unwrap();
        let port = server.addr.port();
        Self::connect(Some(server), port, &dir).await
    }

    /// Connects to a sandbox on `port` whose data directory is `dir`.
    pub async fn connect(server: Option<RunningServer>, port: u16, dir: &Path) -> Self {
        let base = format!("http://127.0.0.1:{port}");
        let key_file: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("platform-api-key.json")).unwrap(),
        )
        .unwrap();
        let platform = ApiKeyStamper::from_hex(
            key_file["publicKey"].as_str().unwrap(),
            key_file["privateKey"].as_str().unwrap(),
        )
        .unwrap();
        let http = reqwest::Client::new();
        let info: Value = http
            .get(format!("{base}/sandbox/v1/info"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let admin_token = std::fs::read_to_string(dir.join("admin-token"))
            .unwrap()
            .trim()
            .to_owned();
        Self {
            admin_token,
            parent_org: info["organizationId"].as_str().unwrap().to_owned(),
            signer: info["signerPublicKey"].as_str().unwrap().to_owned(),
            server,
            port,
            base,
            http,
            platform,
        }
    }

    pub fn origin(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    pub fn passkey(&self) -> SoftPasskey {
        SoftPasskey::new(&self.origin(), "localhost")
    }

    /// POSTs `body` with an optional stamp; returns (status, JSON).
    pub async fn post(&self, path: &str, body: &str, stamp: Option<Stamp>) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(s) = stamp {
            req = req.header(s.header_name, s.header_value);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// POSTs `body` to an admin route with the admin token; returns (status, JSON).
    pub async fn admin_post(&self, path: &str, body: &str) -> (u16, Value) {
        self.send_admin(reqwest::Method::POST, path, Some(body))
            .await
    }

    /// Sends an admin request with `X-Platform-Admin-Token`.
    pub async fn send_admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-Platform-Admin-Token", &self.admin_token);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_owned());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Installs fault rules (`{"faults": [...]}` or one rule).
    pub async fn faults(&self, rules: Value) {
        let (code, v) = self
            .admin_post("/sandbox/v1/faults", &rules.to_string())
            .await;
        assert_eq!(code, 200, "{v}");
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) {
        let (code, v) = self
            .send_admin(reqwest::Method::DELETE, "/sandbox/v1/faults", None)
            .await;
        assert_eq!(code, 200, "{v}");
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn submit_with(
        &self,
        route: &str,
        activity_type: &str,
        org: &str,
        parameters: Value,
        stamp: impl Fn(&str) -> Stamp,
    ) -> (u16, Value) {
        let b = body(activity_type, org, parameters);
        self.post(&format!("/public/v1/submit/{route}"), &b, Some(stamp(&b)))
            .await
    }

    pub async fn query_with(
        &self,
        name: &str,
        req: Value,
        stamp: impl Fn(&str) -> Stamp,
    ) -> (u16, Value) {
        let b = req.to_string();
        self.post(&format!("/public/v1/query/{name}"), &b, Some(stamp(&b)))
            .await
    }

    pub fn as_platform(&self) -> impl Fn(&str) -> Stamp + '_ {
        |b| self.platform.stamp_body(b)
    }

    /// Polls get_activity (as the platform, a root user of every signed-up sub-org) until terminal.
    pub async fn wait_terminal(&self, org: &str, activity_id: &str) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            let (code, v) = self
                .query_with(
                    "get_activity",
                    json!({"organizationId": org, "activityId": activity_id}),
                    self.as_platform(),
                )
                .await;
            assert_eq!(code, 200, "{v}");
            let st = v["activity"]["status"].as_str().unwrap().to_owned();
            if st != "ACTIVITY_STATUS_CONSENSUS_NEEDED" && st != "ACTIVITY_STATUS_PENDING" {
                return v["activity"].clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("activity {activity_id} never finished");
    }

    /// The staged sign-up through `/platform/signup` with a software passkey.
    pub async fn signup(&self, passkey: &SoftPasskey, name: &str) -> Value {
        let challenge = *P256KeyPair::generate().private_key_bytes();
        let reg = passkey.register("Test passkey", &challenge);
        let req = json!({
            "userName": name,
            "email": format!("{name}@example.com"),
            "authenticatorName": reg["authenticatorName"],
            "challenge": reg["challenge"],
            "attestation": reg["attestation"],
        });
        let (code, v) = self.post("/platform/signup", &req.to_string(), None).await;
        assert_eq!(code, 200, "{v}");
        v
    }

    pub async fn activities(&self, org: &str) -> Vec<Value> {
        let (code, v) = self
            .query_with(
                "list_activities",
                json!({"organizationId": org}),
                self.as_platform(),
            )
            .await;
        assert_eq!(code, 200, "{v}");
        v["activities"].as_array().unwrap().clone()
    }

    pub async fn stop(self) {
        if let Some(s) = self.server {
            s.stop().await;
        }
    }
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().to_path_buf()
}

/// `0x02 || rlp([chainId 1, nonce, tip, max fee, gas, to, value, data, []])`, hex.
pub fn unsigned_eip1559(to: [u8; 20], value: u128, nonce: u64) -> String {
    let mut payload = Vec::new();
    1u64.encode(&mut payload);
    nonce.encode(&mut payload);
    1_000_000_000u64.encode(&mut payload);
    30_000_000_000u64.encode(&mut payload);
    21_000u64.encode(&mut payload);
    to.as_slice().encode(&mut payload);
    value.encode(&mut payload);
    b"".as_slice().encode(&mut payload);
    Header {
        list: true,
        payload_length: 0,
    }
    .encode(&mut payload);
    let mut out = vec![0x02];
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    hex::encode(out)
}

fn rlp_items(mut buf: &[u8]) -> Vec<Vec<u8>> {
    let mut items = Vec::new();
    while !buf.is_empty() {
        let h = Header::decode(&mut buf).unwrap();
        items.push(buf[..h.payload_length].to_vec());
        buf = &buf[h.payload_length..];
    }
    items
}

/// Recovers the Ethereum address that signed a signed EIP-1559 transaction (hex).
pub fn recover_eip1559_signer(signed_hex: &str, unsigned_hex: &str) -> String {
    let signed = hex::decode(signed_hex.trim_start_matches("0x")).unwrap();
    assert_eq!(signed[0], 0x02);
    let mut rest = &signed[1..];
    let h = Header::decode(&mut rest).unwrap();
    assert!(h.list);
    let items = rlp_items(&rest[..h.payload_length]);
    assert_eq!(items.len(), 12);
    let unsigned = hex::decode(unsigned_hex).unwrap();
    let digest = quorum_sandbox::enclave::keccak256(&unsigned);
    let y = items[9].first().copied().unwrap_or(0);
    let mut rs = [0u8; 64];
    rs[32 - items[10].len()..32].copy_from_slice(&items[10]);
    rs[64 - items[11].len()..].copy_from_slice(&items[11]);
    recover(&digest, &rs, y)
}

pub fn recover(digest: &[u8], rs: &[u8], v: u8) -> String {
    let sig = k256::ecdsa::Signature::from_slice(rs).unwrap();
    let key = k256::ecdsa::VerifyingKey::recover_from_prehash(
        digest,
        &sig,
        k256::ecdsa::RecoveryId::from_byte(v).unwrap(),
    )
    .unwrap();
    quorum_sandbox::enclave::ethereum_address(&key)
}

pub fn eth_account() -> Value {
    json!({"curve": "CURVE_SECP256K1", "pathFormat": "PATH_FORMAT_BIP32", "path": "m/44'/60'/0'/0/0", "addressFormat": "ADDRESS_FORMAT_ETHEREUM"})
}

pub fn root_user(name: &str, key: &ApiKeyStamper) -> Value {
    json!({
        "userName": name,
        "apiKeys": [{"apiKeyName": name, "publicKey": key.public_key_hex(), "curveType": "API_KEY_CURVE_P256"}],
        "authenticators": [],
        "oauthProviders": [],
    })
}

/// A sub-organization (created by the platform in its parent org) whose root users are
/// API keys `keys`, at `threshold`, with one Ethereum wallet. The co-signer does not watch it.
pub async fn sub_org(
    sb: &Sandbox,
    keys: &[&ApiKeyStamper],
    threshold: u32,
) -> (String, Vec<String>) {
    let users: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| root_user(&format!("user{i}"), k))
        .collect();
    let (code, v) = sb
        .submit_with(
            "create_sub_organization",
            "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7",
            &sb.parent_org,
            json!({
                "subOrganizationName": "test",
                "rootUsers": users,
                "rootQuorumThreshold": threshold,
                "wallet": {"walletName": "w", "accounts": [eth_account()]},
            }),
            sb.as_platform(),
        )
        .await;
    assert_eq!(code, 200, "{v}");
    let r = &v["activity"]["result"]["createSubOrganizationResultV7"];
    let ids = r["rootUserIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    (r["subOrganizationId"].as_str().unwrap().to_owned(), ids)
}

pub fn key() -> ApiKeyStamper {
    ApiKeyStamper::new(P256KeyPair::generate())
}
