//! PROTOCOL §7's vectors and the tampering matrix. Runs natively (`cargo test`) and in
//! headless Chromium (`cargo test --target wasm32-unknown-unknown`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use quorum_kit::activity::fingerprint;
use quorum_kit::bundle::enclave::{import_bundle, open_import, seal_export_bundle_with_rng};
use quorum_kit::bundle::hpke_p256::derive_key_pair;
use quorum_kit::bundle::{
    BundleError, KeyFormat, decrypt_credential_bundle, decrypt_export_bundle,
    encrypt_wallet_to_bundle_with_rng, export_plaintext_to_key, export_plaintext_to_mnemonic,
    production_signer,
};
use quorum_kit::encoding::{hex_decode, hex_encode};
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use quorum_kit::stamp::ApiKeyStamper;
use rand_core::SeedableRng as _;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RECEIVER: &str = "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3";
const ORG: &str = "f9a31c64-d604-42e4-9bef-a773096afad7";
const DATA_JSON: &str = r#"{"encappedPublic":"044410ec87e5fe2ffda15a18fa377a21a3c41c3476f86133b4280ad76102f40d5db2dc53b47007cca93affc0a551dd514397d09791cfd9230fca3048b171f3d678","ciphertext":"efb058bf3ff4be4e222302bf2f607860b4274b2b01ac9456d3ba68da5a25626000a8982b14e0baf0a0de29f54454a379a3be6dc3d8c94987a1568c7d95f9fc4b91bef221ae5eb84233a2832114d179bdfdcf1d0f7adeb157f411a49840","organizationId":"f9a31c64-d604-42e4-9bef-a773096afad7"}"#;
const SIGNATURE: &str = "304502203a7dc258590a637e76f6be6ed1a2080eed5614175060b9073f5e36592bdaf610022100ab9955b603df6cf45408067f652da48551652451b91967bf37dd094d13a7bdd4";
const MNEMONIC: &str =
    "leaf lady until indicate praise final route toast cake minimum insect unknown";
const TEST_SIGNER: &str = "28ebf311b27f34cdf078489584d336423e09c522342f5b067dea36823c2cc5ed";
const TEST_SIGNER_PUBLIC: &str = "048ee67fa8ae8e5fac0e343c84fa0921ecb3a31a67aee2e6a0880a09072eaaf2aeffa43f73fa021fa4d0b550072ba1f9011ff7cf917e4bf2708670e5ac57a81c78";

fn bundle_a(data_hex: &str, signature: &str, signer: &str) -> String {
    serde_json::json!({
        "version": "v1.0.0",
        "data": data_hex,
        "dataSignature": signature,
        "enclaveQuorumPublic": signer,
    })
    .to_string()
}

fn vector_a() -> String {
    bundle_a(
        &hex_encode(DATA_JSON.as_bytes()),
        SIGNATURE,
        quorum_kit::bundle::PRODUCTION_SIGNER_PUBLIC_KEY,
    )
}

fn receiver() -> P256KeyPair {
    P256KeyPair::from_private_hex(RECEIVER).unwrap()
}

fn rng(seed: u64) -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::seed_from_u64(seed)
}

#[test]
fn vector_a_export_bundle_decrypts_to_the_mnemonic() {
    let plaintext =
        decrypt_export_bundle(&vector_a(), &receiver(), ORG, &production_signer().unwrap())
            .unwrap();
    assert_eq!(
        export_plaintext_to_mnemonic(&plaintext).unwrap().as_str(),
        MNEMONIC
    );
}

#[test]
fn vector_b_credential_bundle() {
    let key = decrypt_credential_bundle(
        "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf",
        &P256KeyPair::from_private_hex("20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56").unwrap(),
    )
    .unwrap();
    assert_eq!(
        key.private_key_hex().as_str(),
        "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9"
    );
    assert_eq!(
        key.public_key_compressed().to_hex(),
        "03bf162576eb8dfecf33d9275d09595284f6c4df0db6156c3c582777886a0ee0ac"
    );
}

#[test]
fn vector_c_credential_bundle_with_derived_key() {
    let receiver = derive_key_pair(
        &hex_decode("c8e5d3ccbf8c4e62e3bcb984681ce6dda950939905754902a394c1fc2b5c6a9e").unwrap(),
    )
    .unwrap();
    let key = decrypt_credential_bundle(
        "skr1QFHrNyL7xcvzRpU4t9yhL8rEVPZgDcFM5YW8S1YwLYjedoagnNZwMCyJsxNYzuphKHqQBkZxt4fLWSVsMqnW9XdmLBsK2MhwC5WxuxZD9xE8ezQ",
        &receiver,
    )
    .unwrap();
    assert_eq!(
        key.private_key_hex().as_str(),
        "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9"
    );
}

#[test]
fn vector_d_test_signer_round_trip() {
    let signer = P256KeyPair::from_private_hex(TEST_SIGNER).unwrap();
    assert_eq!(
        signer.public_key_uncompressed().to_hex(),
        TEST_SIGNER_PUBLIC
    );
    let bundle = seal_export_bundle_with_rng(
        MNEMONIC.as_bytes(),
        &receiver().public_key_uncompressed(),
        ORG,
        &signer,
        &mut rng(3),
    )
    .unwrap();
    let pinned = UncompressedP256::from_hex(TEST_SIGNER_PUBLIC).unwrap();
    let plaintext = decrypt_export_bundle(&bundle, &receiver(), ORG, &pinned).unwrap();
    assert_eq!(plaintext.as_slice(), MNEMONIC.as_bytes());
    // The production pin refuses a bundle signed by the test key.
    assert!(matches!(
        decrypt_export_bundle(&bundle, &receiver(), ORG, &production_signer().unwrap()),
        Err(BundleError::UntrustedSigner { .. })
    ));
}

#[test]
fn vector_e_fingerprint_and_protocol_1_stamp() {
    let body = r#"{"type":"ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION","timestampMs":"1754952030221","organizationId":"35e5c619-ba95-417c-bb48-b16f1543aea0","parameters":{"deleteWithoutExport":true}}"#;
    assert_eq!(
        fingerprint(body),
        "sha256:143e777f907453d71c5a3213059d641f54b28737276c4bc6b405ef06831876cb"
    );
    let stamper = ApiKeyStamper::from_hex(
        "02a1d9ee281053cf73c07678d6c1231216e8434f87662b75f08c66882c2f95ee45",
        "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69",
    )
    .unwrap();
    let stamp = stamper.stamp_body(r#"{"organizationId":"00000000-0000-0000-0000-000000000000"}"#);
    let json: serde_json::Value = serde_json::from_slice(
        &quorum_kit::encoding::base64url_decode(&stamp.header_value).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["signature"],
        "30440220574c869da894140daef94122129544159ab81000d65dde0d9c2a6b7dc0f75a9b02204b4852a4ef738d102725afd0930df729615ad22cab6aea89908de8e8eb2a3805"
    );
}

#[test]
fn every_byte_of_the_signed_data_and_signature_is_bound() {
    let signer = production_signer().unwrap();
    let data = DATA_JSON.as_bytes();
    for i in 0..data.len() {
        let mut altered = data.to_vec();
        altered[i] ^= 0x01;
        let bundle = bundle_a(
            &hex_encode(&altered),
            SIGNATURE,
            quorum_kit::bundle::PRODUCTION_SIGNER_PUBLIC_KEY,
        );
        let err = decrypt_export_bundle(&bundle, &receiver(), ORG, &signer).unwrap_err();
        assert_eq!(err, BundleError::BadSignature, "data byte {i}");
    }
    let sig = hex_decode(SIGNATURE).unwrap();
    for i in 0..sig.len() {
        let mut altered = sig.clone();
        altered[i] ^= 0x01;
        let bundle = bundle_a(
            &hex_encode(DATA_JSON.as_bytes()),
            &hex_encode(&altered),
            quorum_kit::bundle::PRODUCTION_SIGNER_PUBLIC_KEY,
        );
        let err = decrypt_export_bundle(&bundle, &receiver(), ORG, &signer).unwrap_err();
        assert_eq!(err, BundleError::BadSignature, "signature byte {i}");
    }
}

/// With a signer we control, re-sign altered ciphertexts and encapped keys: HPKE must refuse them.
#[test]
fn every_byte_of_ciphertext_and_encapped_key_is_bound() {
    let signer = P256KeyPair::from_private_hex(TEST_SIGNER).unwrap();
    let pinned = signer.public_key_uncompressed();
    let parsed: serde_json::Value = serde_json::from_str(DATA_JSON).unwrap();
    let ciphertext = hex_decode(parsed["ciphertext"].as_str().unwrap()).unwrap();
    let encapped = hex_decode(parsed["encappedPublic"].as_str().unwrap()).unwrap();
    let resign = |enc: &[u8], ct: &[u8]| {
        let data = serde_json::json!({
            "encappedPublic": hex_encode(enc), "ciphertext": hex_encode(ct), "organizationId": ORG,
        })
        .to_string();
        let signature: p256::ecdsa::Signature =
            p256::ecdsa::signature::Signer::sign(&signer.signing_key(), data.as_bytes());
        bundle_a(
            &hex_encode(data.as_bytes()),
            &hex_encode(signature.to_der().as_bytes()),
            &pinned.to_hex(),
        )
    };
    assert_eq!(
        decrypt_export_bundle(&resign(&encapped, &ciphertext), &receiver(), ORG, &pinned)
            .unwrap()
            .as_slice(),
        MNEMONIC.as_bytes()
    );
    for i in 0..ciphertext.len() {
        let mut ct = ciphertext.clone();
        ct[i] ^= 0x80;
        assert_eq!(
            decrypt_export_bundle(&resign(&encapped, &ct), &receiver(), ORG, &pinned).unwrap_err(),
            BundleError::Decryption,
            "ciphertext byte {i}"
        );
    }
    for i in 0..encapped.len() {
        let mut enc = encapped.clone();
        enc[i] ^= 0x01;
        assert_eq!(
            decrypt_export_bundle(&resign(&enc, &ciphertext), &receiver(), ORG, &pinned)
                .unwrap_err(),
            BundleError::Decryption,
            "encapped byte {i}"
        );
    }
}

#[test]
fn wrong_organization_signer_receiver_and_malformed_input() {
    let signer = production_signer().unwrap();
    assert_eq!(
        decrypt_export_bundle(&vector_a(), &receiver(), "other-org", &signer).unwrap_err(),
        BundleError::OrganizationMismatch {
            expected: "other-org".into(),
            actual: ORG.into()
        }
    );
    let test_signer = UncompressedP256::from_hex(TEST_SIGNER_PUBLIC).unwrap();
    assert!(matches!(
        decrypt_export_bundle(&vector_a(), &receiver(), ORG, &test_signer).unwrap_err(),
        BundleError::UntrustedSigner { .. }
    ));
    let stranger = P256KeyPair::generate_with_rng(&mut rng(9));
    assert_eq!(
        decrypt_export_bundle(&vector_a(), &stranger, ORG, &signer).unwrap_err(),
        BundleError::Decryption
    );
    let full = vector_a();
    for cut in [0, 1, full.len() / 2, full.len() - 1] {
        let err = decrypt_export_bundle(&full[..cut], &receiver(), ORG, &signer).unwrap_err();
        assert_eq!(err.name(), "InvalidInputError", "truncated at {cut}");
    }
    for junk in ["", "null", "[]", "not json", "{\"version\":\"v1.0.0\"}"] {
        assert_eq!(
            decrypt_export_bundle(junk, &receiver(), ORG, &signer)
                .unwrap_err()
                .name(),
            "InvalidInputError"
        );
    }
    let v0 = r#"{"encappedPublic":"04ab","encappedPublicSignature":"3045","ciphertext":"00"}"#;
    assert_eq!(
        decrypt_export_bundle(v0, &receiver(), ORG, &signer).unwrap_err(),
        BundleError::LegacyBundle
    );
    let v2 = vector_a().replace("v1.0.0", "v2.0.0");
    assert!(matches!(
        decrypt_export_bundle(&v2, &receiver(), ORG, &signer).unwrap_err(),
        BundleError::UnsupportedVersion(_)
    ));
}

#[test]
fn credential_bundle_tampering_is_refused() {
    let receiver = P256KeyPair::from_private_hex(
        "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56",
    )
    .unwrap();
    let bundle = "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf";
    let raw = bs58::decode(bundle).with_check(None).into_vec().unwrap();
    for i in 0..raw.len() {
        let mut altered = raw.clone();
        altered[i] ^= 0x01;
        let encoded = quorum_kit::encoding::bs58check_encode(&altered);
        let err = decrypt_credential_bundle(&encoded, &receiver).unwrap_err();
        assert!(matches!(err, BundleError::Decryption), "byte {i}: {err:?}");
    }
    assert_eq!(
        decrypt_credential_bundle("", &receiver).unwrap_err().name(),
        "InvalidInputError"
    );
    assert_eq!(
        decrypt_credential_bundle(&bundle[..bundle.len() - 1], &receiver)
            .unwrap_err()
            .name(),
        "InvalidInputError"
    );
    let short = quorum_kit::encoding::bs58check_encode(&[2u8; 33]);
    assert_eq!(
        decrypt_credential_bundle(&short, &receiver)
            .unwrap_err()
            .name(),
        "InvalidInputError"
    );
}

#[test]
fn import_bundle_round_trip_and_checks() {
    let signer = P256KeyPair::from_private_hex(TEST_SIGNER).unwrap();
    let pinned = signer.public_key_uncompressed();
    let target = P256KeyPair::generate_with_rng(&mut rng(11));
    let bundle = import_bundle(&target.public_key_uncompressed(), ORG, "user-1", &signer);
    let encrypted =
        encrypt_wallet_to_bundle_with_rng(MNEMONIC, &bundle, "user-1", ORG, &pinned, &mut rng(12))
            .unwrap();
    assert_eq!(
        open_import(&encrypted, &target).unwrap().as_slice(),
        MNEMONIC.as_bytes()
    );
    assert!(matches!(
        encrypt_wallet_to_bundle_with_rng(MNEMONIC, &bundle, "user-2", ORG, &pinned, &mut rng(12)),
        Err(BundleError::UserMismatch { .. })
    ));
    assert!(matches!(
        encrypt_wallet_to_bundle_with_rng(
            MNEMONIC,
            &bundle,
            "user-1",
            "org-2",
            &pinned,
            &mut rng(12)
        ),
        Err(BundleError::OrganizationMismatch { .. })
    ));
    assert!(matches!(
        encrypt_wallet_to_bundle_with_rng(
            MNEMONIC,
            &bundle,
            "user-1",
            ORG,
            &production_signer().unwrap(),
            &mut rng(12)
        ),
        Err(BundleError::UntrustedSigner { .. })
    ));
}

#[test]
fn key_formats() {
    let secret = [7u8; 32];
    assert_eq!(
        export_plaintext_to_key(&secret, KeyFormat::Hexadecimal)
            .unwrap()
            .as_str(),
        hex_encode(&secret)
    );
    let solana = export_plaintext_to_key(&secret, KeyFormat::Solana).unwrap();
    let decoded = bs58::decode(solana.as_str()).into_vec().unwrap();
    assert_eq!(&decoded[..32], &secret);
    let public = ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key();
    assert_eq!(&decoded[32..], public.as_bytes());
    assert_eq!(
        export_plaintext_to_key(&[1u8; 31], KeyFormat::Solana)
            .unwrap_err()
            .name(),
        "InvalidPlaintextError"
    );
    assert_eq!(
        export_plaintext_to_mnemonic(&[0xff, 0xfe])
            .unwrap_err()
            .name(),
        "InvalidPlaintextError"
    );
    assert_eq!(KeyFormat::parse("SOLANA").unwrap(), KeyFormat::Solana);
    assert!(KeyFormat::parse("solana").is_err());
}
