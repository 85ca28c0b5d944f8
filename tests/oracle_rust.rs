//! Interop against Turnkey's own Rust crates, used as oracles (native only: they do not build
//! for wasm32): `turnkey_enclave_encrypt` 0.17.1 makes and opens genuine bundles, and
//! `turnkey_api_key_stamper` 0.17.1 makes `X-Stamp` values.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use quorum_kit::bundle::enclave::{seal_credential_bundle_with_rng, seal_export_bundle_with_rng};
use quorum_kit::bundle::hpke_p256::derive_key_pair;
use quorum_kit::bundle::{
    decrypt_credential_bundle, decrypt_export_bundle, encrypt_wallet_to_bundle_with_rng,
    export_plaintext_to_mnemonic,
};
use quorum_kit::encoding::base64url_decode;
use quorum_kit::keys::P256KeyPair;
use quorum_kit::stamp::ApiKeyStamper;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore as _, SeedableRng as _};
use turnkey_api_key_stamper::{Stamp as _, TurnkeyP256ApiKey};
use turnkey_enclave_encrypt::client::{AuthenticationClient, ExportClient};
use turnkey_enclave_encrypt::{
    ClientSendMsg, P256Public, QuorumPublicKey, server::EnclaveEncryptServer,
};

const WORDS: [&str; 16] = [
    "abandon", "ability", "leaf", "lady", "until", "indicate", "praise", "final", "route", "toast",
    "cake", "minimum", "insect", "unknown", "zoo", "wrong",
];

fn mnemonic(rng: &mut ChaCha20Rng) -> String {
    let len = if rng.next_u32().is_multiple_of(2) {
        12
    } else {
        24
    };
    (0..len)
        .map(|_| WORDS[(rng.next_u32() % 16) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

fn signer(rng: &mut ChaCha20Rng) -> (p256::ecdsa::SigningKey, P256KeyPair) {
    let pair = P256KeyPair::generate_with_rng(rng);
    (pair.signing_key(), pair)
}

#[test]
fn bundles_from_turnkey_enclave_encrypt_decrypt_to_their_plaintext() {
    let mut rng = ChaCha20Rng::seed_from_u64(2024);
    for i in 0..300 {
        let org = format!("org-{i}");
        let (signing_key, signer_pair) = signer(&mut rng);
        let target = P256KeyPair::generate_with_rng(&mut rng);
        let plaintext: Vec<u8> = if i % 2 == 0 {
            mnemonic(&mut rng).into_bytes()
        } else {
            let mut key = vec![0u8; 32];
            rng.fill_bytes(&mut key);
            key
        };
        let server = EnclaveEncryptServer::from_enclave_auth_key(signing_key, org.clone(), None);
        let msg = server
            .encrypt(
                &P256Public(*target.public_key_uncompressed().as_bytes()),
                &plaintext,
            )
            .unwrap();
        let bundle = serde_json::to_string(&msg).unwrap();
        let opened = decrypt_export_bundle(
            &bundle,
            &target,
            &org,
            &signer_pair.public_key_uncompressed(),
        )
        .unwrap();
        assert_eq!(opened.as_slice(), plaintext.as_slice(), "bundle {i}");
        if i % 2 == 0 {
            assert_eq!(
                export_plaintext_to_mnemonic(&opened).unwrap().as_bytes(),
                plaintext.as_slice()
            );
        }
    }
}

#[test]
fn credential_bundles_from_turnkey_enclave_encrypt_decrypt() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for i in 0..200 {
        let target = P256KeyPair::generate_with_rng(&mut rng);
        let credential = P256KeyPair::generate_with_rng(&mut rng);
        let bundle = EnclaveEncryptServer::auth_encrypt(
            &P256Public(*target.public_key_uncompressed().as_bytes()),
            credential.private_key_bytes().as_ref(),
        )
        .unwrap();
        let opened = decrypt_credential_bundle(&bundle, &target).unwrap();
        assert_eq!(
            opened.public_key_compressed(),
            credential.public_key_compressed(),
            "bundle {i}"
        );
    }
}

/// The other direction: Turnkey's client opens bundles the kit's enclave side (the sandbox) makes.
/// Turnkey's client derives its key from IKM (RFC 9180 DeriveKeyPair), so this also checks ours.
#[test]
fn turnkey_clients_open_bundles_sealed_by_the_kit() {
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    for i in 0..50 {
        let mut ikm = [0u8; 32];
        rng.fill_bytes(&mut ikm);
        let target = derive_key_pair(&ikm).unwrap();
        let (_, signer_pair) = signer(&mut rng);
        // A quorum key is an encryption key ‖ a signing key; only the second half verifies bundles.
        let mut quorum_bytes = [0u8; 130];
        quorum_bytes[65..].copy_from_slice(signer_pair.public_key_uncompressed().as_bytes());
        let quorum = QuorumPublicKey::from_bytes(quorum_bytes).unwrap();
        let mut export = ExportClient::dangerous_from_bytes(ikm, &quorum);
        assert_eq!(
            export.target_public_key().unwrap(),
            target.public_key_uncompressed().to_hex()
        );
        let words = mnemonic(&mut rng);
        let bundle = seal_export_bundle_with_rng(
            words.as_bytes(),
            &target.public_key_uncompressed(),
            "org",
            &signer_pair,
            &mut rng,
        )
        .unwrap();
        assert_eq!(
            export
                .decrypt_wallet_mnemonic_phrase(&bundle, "org")
                .unwrap(),
            words,
            "bundle {i}"
        );

        let mut auth = AuthenticationClient::dangerous_from_bytes(ikm);
        let credential = P256KeyPair::generate_with_rng(&mut rng);
        let bundle = seal_credential_bundle_with_rng(
            credential.private_key_bytes().as_ref(),
            &target.public_key_uncompressed(),
            &mut rng,
        )
        .unwrap();
        assert_eq!(
            auth.decrypt(&bundle).unwrap(),
            credential.private_key_bytes().to_vec()
        );
    }
}

/// Import: Turnkey's enclave publishes a signed target; the kit encrypts a mnemonic to it; the
/// enclave opens it.
#[test]
fn turnkey_enclave_opens_wallets_the_kit_encrypts_to_its_import_bundle() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    for i in 0..30 {
        let (signing_key, signer_pair) = signer(&mut rng);
        let server = EnclaveEncryptServer::from_enclave_auth_key(
            signing_key,
            "org-i".into(),
            Some(format!("user-{i}")),
        );
        let import_bundle = serde_json::to_string(&server.publish_target().unwrap()).unwrap();
        let words = mnemonic(&mut rng);
        let encrypted = encrypt_wallet_to_bundle_with_rng(
            &words,
            &import_bundle,
            &format!("user-{i}"),
            "org-i",
            &signer_pair.public_key_uncompressed(),
            &mut rng,
        )
        .unwrap();
        let msg: ClientSendMsg = serde_json::from_str(&encrypted).unwrap();
        let mut recv = server.into_recv();
        assert_eq!(recv.decrypt(&msg).unwrap(), words.as_bytes(), "import {i}");
    }
}

#[test]
fn api_key_stamps_equal_turnkey_api_key_stamper() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for i in 0..200 {
        let pair = P256KeyPair::generate_with_rng(&mut rng);
        let body = format!(
            r#"{{"type":"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2","timestampMs":"{}","organizationId":"org-{i}","parameters":{{"payload":"é{i}"}}}}"#,
            1_700_000_000_000u64 + i
        );
        let ours = ApiKeyStamper::new(pair.clone()).stamp_body(&body);
        let theirs = TurnkeyP256ApiKey::from_bytes(pair.private_key_bytes().to_vec(), None)
            .unwrap()
            .stamp(body.as_bytes())
            .unwrap();
        assert_eq!(ours.header_name, theirs.name);
        // The two SDKs order the JSON keys differently; the content must be identical.
        let ours: serde_json::Value =
            serde_json::from_slice(&base64url_decode(&ours.header_value).unwrap()).unwrap();
        let theirs: serde_json::Value =
            serde_json::from_slice(&base64url_decode(&theirs.value).unwrap()).unwrap();
        assert_eq!(ours, theirs, "stamp {i}");
        assert!(
            quorum_kit::stamp::api_key::verify_api_key_stamp(
                &quorum_kit::encoding::base64url_encode(theirs.to_string().as_bytes()),
                &body
            )
            .is_ok()
        );
    }
}
