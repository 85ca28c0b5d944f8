//! Export decryption through WebCrypto with a non-extractable target key (issue 10), against the
//! core's p256/hpke path as the oracle: byte-identical plaintexts, the same refusals for every
//! kind of tampering, and a target key that cannot be exported.

use js_sys::{Array, Promise, Uint8Array};
use p256::ecdsa::Signature;
use p256::ecdsa::signature::Signer as _;
use quorum_kit::bundle::enclave::seal_export_bundle_with_rng;
use quorum_kit::bundle::{self, BundleError, KeyFormat};
use quorum_kit::der::{DerError, der_to_p1363, p256_pkcs8, p1363_to_der};
use quorum_kit::encoding::hex_encode;
use quorum_kit::export_target::{
    ExportTarget, ExportTargetError, KEY_SCHEDULE_CONTEXT, verify_p256_der_signature,
};
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use quorum_kit::session::subtle;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde_json::{Value, json};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use super::util::{get, js_fn};

const ORG: &str = "f9a31c64-d604-42e4-9bef-a773096afad7";

/// PROTOCOL §7 A.
const A_RECEIVER: &str = "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3";
const A_DATA: &str = r#"{"encappedPublic":"044410ec87e5fe2ffda15a18fa377a21a3c41c3476f86133b4280ad76102f40d5db2dc53b47007cca93affc0a551dd514397d09791cfd9230fca3048b171f3d678","ciphertext":"efb058bf3ff4be4e222302bf2f607860b4274b2b01ac9456d3ba68da5a25626000a8982b14e0baf0a0de29f54454a379a3be6dc3d8c94987a1568c7d95f9fc4b91bef221ae5eb84233a2832114d179bdfdcf1d0f7adeb157f411a49840","organizationId":"f9a31c64-d604-42e4-9bef-a773096afad7"}"#;
const A_SIGNATURE: &str = "304502203a7dc258590a637e76f6be6ed1a2080eed5614175060b9073f5e36592bdaf610022100ab9955b603df6cf45408067f652da48551652451b91967bf37dd094d13a7bdd4";
const A_MNEMONIC: &str =
    "leaf lady until indicate praise final route toast cake minimum insect unknown";

async fn subtle_call(method: &str, args: &Array) -> Result<JsValue, JsValue> {
    let s = subtle().unwrap();
    let f: js_sys::Function = get(&s, method).into();
    let p: Promise = f.apply(&s, args).unwrap().into();
    JsFuture::from(p).await
}

/// An export target whose private key the test knows: the core's key pair imported into WebCrypto
/// (PKCS#8, ECDH, non-extractable), so both paths can open the same bundle.
async fn target_from_pair(pair: &P256KeyPair) -> ExportTarget {
    let pkcs8 = p256_pkcs8(
        &pair.private_key_bytes(),
        pair.public_key_uncompressed().as_bytes(),
    );
    let alg = js_fn("", r#"return { name: "ECDH", namedCurve: "P-256" };"#)
        .call0(&JsValue::NULL)
        .unwrap();
    let args = Array::of5(
        &"pkcs8".into(),
        &Uint8Array::from(pkcs8.as_slice()),
        &alg,
        &JsValue::FALSE,
        &Array::of1(&"deriveBits".into()),
    );
    let key = subtle_call("importKey", &args).await.unwrap();
    ExportTarget::from_crypto_key(key, &pair.public_key_uncompressed().to_hex()).unwrap()
}

/// A v1.0.0 envelope over `data` signed by `signer` (as the enclave signs).
fn envelope(data: &[u8], signer: &P256KeyPair) -> String {
    let signature: Signature = signer.signing_key().sign(data);
    json!({
        "version": "v1.0.0",
        "data": hex_encode(data),
        "dataSignature": hex_encode(signature.to_der().as_bytes()),
        "enclaveQuorumPublic": signer.public_key_uncompressed().to_hex(),
    })
    .to_string()
}

fn parse(bundle: &str) -> (Value, Value) {
    let outer: Value = serde_json::from_str(bundle).unwrap();
    let data = hex::decode(outer["data"].as_str().unwrap()).unwrap();
    (outer, serde_json::from_slice(&data).unwrap())
}

/// The plaintext of case `i`: mnemonics (12 and 24 words, some with a passphrase line), raw
/// 32-byte keys, and a few odd lengths.
fn plaintext(i: usize, rng: &mut ChaCha20Rng) -> Vec<u8> {
    let words = [
        "leaf", "lady", "until", "indicate", "praise", "final", "route", "toast", "cake",
        "minimum", "insect", "unknown", "abandon", "zoo", "wrong", "ability",
    ];
    match i % 5 {
        0 | 1 => {
            let n = if i.is_multiple_of(2) { 12 } else { 24 };
            let mut m: Vec<&str> = (0..n)
                .map(|_| words[(rng.next_u32() as usize) % words.len()])
                .collect();
            if i % 10 == 1 {
                m.push("\nmy passphrase ✓");
            }
            m.join(" ").into_bytes()
        }
        2 | 3 => {
            let mut k = vec![0u8; 32];
            rng.fill_bytes(&mut k);
            k
        }
        _ => {
            let mut k = vec![0u8; (rng.next_u32() as usize) % 300];
            rng.fill_bytes(&mut k);
            k
        }
    }
}

/// Seals `pt` to `target` (signed by `signer`) and opens it through WebCrypto.
async fn seal_and_open(
    target: &ExportTarget,
    pt: &[u8],
    signer: &P256KeyPair,
    rng: &mut ChaCha20Rng,
) -> zeroize::Zeroizing<Vec<u8>> {
    let public = UncompressedP256::from_hex(target.public_key_uncompressed()).unwrap();
    let sealed = seal_export_bundle_with_rng(pt, &public, ORG, signer, rng).unwrap();
    target
        .decrypt_export_bundle(
            &sealed,
            ORG,
            Some(&signer.public_key_uncompressed().to_hex()),
        )
        .await
        .unwrap()
}

fn name_of<T>(r: &Result<T, ExportTargetError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.js_name(),
    }
}

fn core_name<T>(r: &Result<T, BundleError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.name(),
    }
}

#[wasm_bindgen_test]
async fn webcrypto_and_core_give_byte_identical_plaintexts() {
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let n = 64;
    for i in 0..n {
        let receiver = P256KeyPair::generate_with_rng(&mut rng);
        let signer = P256KeyPair::generate_with_rng(&mut rng);
        let signer_hex = signer.public_key_uncompressed().to_hex();
        let pt = plaintext(i, &mut rng);
        let org = format!("org-{i}");
        let sealed = seal_export_bundle_with_rng(
            &pt,
            &receiver.public_key_uncompressed(),
            &org,
            &signer,
            &mut rng,
        )
        .unwrap();
        let core = bundle::decrypt_export_bundle(
            &sealed,
            &receiver,
            &org,
            &signer.public_key_uncompressed(),
        )
        .unwrap();
        let target = target_from_pair(&receiver).await;
        let web = target
            .decrypt_export_bundle(&sealed, &org, Some(&signer_hex))
            .await
            .unwrap();
        assert_eq!(web.as_slice(), core.as_slice(), "case {i}");
        assert_eq!(web.as_slice(), pt.as_slice(), "case {i}");
        // The formatted results are the same too.
        if i % 5 < 2 {
            assert_eq!(
                *bundle::export_plaintext_to_mnemonic(&web).unwrap(),
                *bundle::export_plaintext_to_mnemonic(&core).unwrap()
            );
        } else if i % 5 < 4 {
            assert_eq!(
                *bundle::export_plaintext_to_key(&web, KeyFormat::Solana).unwrap(),
                *bundle::export_plaintext_to_key(&core, KeyFormat::Solana).unwrap()
            );
        }
    }
}

#[wasm_bindgen_test]
async fn fresh_non_extractable_targets_decrypt_what_the_enclave_sealed() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    for i in 0..12 {
        let target = ExportTarget::generate().await.unwrap();
        UncompressedP256::from_hex(target.public_key_uncompressed()).unwrap();
        assert_eq!(target.public_key_uncompressed().len(), 130);
        assert!(target.public_key_uncompressed().starts_with("04"));
        let signer = P256KeyPair::generate_with_rng(&mut rng);
        let pt = plaintext(i, &mut rng);
        let web = seal_and_open(&target, &pt, &signer, &mut rng).await;
        assert_eq!(web.as_slice(), pt.as_slice(), "case {i}");
    }
}

#[wasm_bindgen_test]
async fn protocol_vector_a_with_the_pinned_production_signer() {
    let receiver = P256KeyPair::from_private_hex(A_RECEIVER).unwrap();
    let target = target_from_pair(&receiver).await;
    let bundle_json = json!({
        "version": "v1.0.0",
        "data": hex_encode(A_DATA.as_bytes()),
        "dataSignature": A_SIGNATURE,
        "enclaveQuorumPublic": bundle::PRODUCTION_SIGNER_PUBLIC_KEY,
    })
    .to_string();
    let pt = target
        .decrypt_export_bundle(&bundle_json, ORG, None)
        .await
        .unwrap();
    assert_eq!(
        *bundle::export_plaintext_to_mnemonic(&pt).unwrap(),
        A_MNEMONIC
    );
    // Pinned by default: a test signer's override refuses the production-signed bundle.
    let other = P256KeyPair::generate();
    let r = target
        .decrypt_export_bundle(
            &bundle_json,
            ORG,
            Some(&other.public_key_uncompressed().to_hex()),
        )
        .await;
    assert_eq!(name_of(&r), "UntrustedSignerError");
}

/// Every region of a bundle, tampered: both paths refuse, with the same error, and no plaintext.
#[wasm_bindgen_test]
async fn tampering_is_refused_like_the_core_refuses_it() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let receiver = P256KeyPair::generate_with_rng(&mut rng);
    let signer = P256KeyPair::generate_with_rng(&mut rng);
    let signer_hex = signer.public_key_uncompressed().to_hex();
    let target = target_from_pair(&receiver).await;
    let sealed = seal_export_bundle_with_rng(
        b"leaf lady until indicate praise final route toast cake minimum insect unknown",
        &receiver.public_key_uncompressed(),
        ORG,
        &signer,
        &mut rng,
    )
    .unwrap();
    let (outer, data) = parse(&sealed);
    let encapped = data["encappedPublic"].as_str().unwrap().to_owned();
    let ciphertext = data["ciphertext"].as_str().unwrap().to_owned();
    let resign = |f: &dyn Fn(&mut Value)| {
        let mut d = data.clone();
        f(&mut d);
        envelope(d.to_string().as_bytes(), &signer)
    };
    let with_outer = |f: &dyn Fn(&mut Value)| {
        let mut o = outer.clone();
        f(&mut o);
        o.to_string()
    };
    let flip_hex = |hex_str: &str, at: usize| {
        let mut b = hex::decode(hex_str).unwrap();
        b[at] ^= 0x01;
        hex::encode(b)
    };
    let sig = outer["dataSignature"].as_str().unwrap().to_owned();
    let der = hex::decode(&sig).unwrap();
    let p1363 = der_to_p1363(&der).unwrap();
    let other_point = P256KeyPair::generate_with_rng(&mut rng)
        .public_key_uncompressed()
        .to_hex();
    let compressed = UncompressedP256::from_hex(&encapped)
        .unwrap()
        .to_compressed()
        .to_hex();
    let impostor = P256KeyPair::generate_with_rng(&mut rng);
    let sealed_to_other = seal_export_bundle_with_rng(
        b"secret",
        &P256KeyPair::generate_with_rng(&mut rng).public_key_uncompressed(),
        ORG,
        &signer,
        &mut rng,
    )
    .unwrap();

    let cases: Vec<(&str, String, &str, &str)> = vec![
        // (what, bundle, organization, expected error)
        ("untampered", sealed.clone(), ORG, "ok"),
        (
            "signature: a byte of r",
            with_outer(&|o| o["dataSignature"] = flip_hex(&sig, 6).into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signature: last byte of s",
            with_outer(&|o| o["dataSignature"] = flip_hex(&sig, der.len() - 1).into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signature: P1363 instead of DER",
            with_outer(&|o| o["dataSignature"] = hex::encode(p1363).into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signature: trailing byte",
            with_outer(&|o| o["dataSignature"] = format!("{sig}00").into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signature: empty",
            with_outer(&|o| o["dataSignature"] = "".into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signed data: one byte",
            with_outer(&|o| o["data"] = flip_hex(o["data"].as_str().unwrap(), 20).into()),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signer: another key signed, the pinned key named",
            with_outer(&|o| {
                let d = hex::decode(o["data"].as_str().unwrap()).unwrap();
                let s: Signature = impostor.signing_key().sign(&d);
                o["dataSignature"] = hex_encode(s.to_der().as_bytes()).into();
            }),
            ORG,
            "BundleSignatureError",
        ),
        (
            "signer: another key, named",
            envelope(data.to_string().as_bytes(), &impostor),
            ORG,
            "UntrustedSignerError",
        ),
        (
            "wrong organization",
            sealed.clone(),
            "another-org",
            "OrganizationMismatchError",
        ),
        (
            "ciphertext: first byte",
            resign(&|d| d["ciphertext"] = flip_hex(&ciphertext, 0).into()),
            ORG,
            "DecryptionError",
        ),
        (
            "ciphertext: tag",
            resign(&|d| d["ciphertext"] = flip_hex(&ciphertext, ciphertext.len() / 2 - 1).into()),
            ORG,
            "DecryptionError",
        ),
        (
            "ciphertext: truncated",
            resign(&|d| d["ciphertext"] = ciphertext[..ciphertext.len() - 2].into()),
            ORG,
            "DecryptionError",
        ),
        (
            "ciphertext: empty",
            resign(&|d| d["ciphertext"] = "".into()),
            ORG,
            "DecryptionError",
        ),
        (
            "encapped key: another point",
            resign(&|d| d["encappedPublic"] = other_point.clone().into()),
            ORG,
            "DecryptionError",
        ),
        (
            "encapped key: compressed",
            resign(&|d| d["encappedPublic"] = compressed.clone().into()),
            ORG,
            "DecryptionError",
        ),
        (
            "encapped key: off the curve",
            resign(&|d| d["encappedPublic"] = flip_hex(&encapped, 64).into()),
            ORG,
            "DecryptionError",
        ),
        (
            "sealed to another receiver",
            sealed_to_other,
            ORG,
            "DecryptionError",
        ),
        (
            "version",
            with_outer(&|o| o["version"] = "v2.0.0".into()),
            ORG,
            "UnsupportedVersionError",
        ),
        ("not JSON", "{".into(), ORG, "InvalidInputError"),
    ];
    for (what, bundle_json, org, want) in &cases {
        let core = bundle::decrypt_export_bundle(
            bundle_json,
            &receiver,
            org,
            &signer.public_key_uncompressed(),
        );
        let web = target
            .decrypt_export_bundle(bundle_json, org, Some(&signer_hex))
            .await;
        assert_eq!(core_name(&core), *want, "core: {what}");
        assert_eq!(name_of(&web), *want, "webcrypto: {what}");
        if *want != "ok" {
            assert!(web.is_err(), "{what}: no plaintext");
        }
    }
    // A bad override is an input error, not a silent fallback to the pinned key.
    let r = target
        .decrypt_export_bundle(&sealed, ORG, Some("04zz"))
        .await;
    assert_eq!(name_of(&r), "InvalidInputError");
}

#[wasm_bindgen_test]
async fn the_target_key_is_not_extractable() {
    let target = ExportTarget::generate().await.unwrap();
    let key = target.crypto_key();
    assert_eq!(get(key, "extractable").as_bool(), Some(false));
    assert_eq!(get(key, "type").as_string().as_deref(), Some("private"));
    assert_eq!(
        get(&get(key, "algorithm"), "name").as_string().as_deref(),
        Some("ECDH")
    );
    let usages = Array::from(&get(key, "usages"));
    assert_eq!(usages.length(), 1);
    assert_eq!(usages.get(0), "deriveBits");
    for format in ["pkcs8", "jwk", "raw"] {
        let r = subtle_call("exportKey", &Array::of2(&format.into(), key)).await;
        let e = r.expect_err(format);
        console_log!(
            "exportKey({format}) rejects: {:?}",
            get(&e, "name").as_string()
        );
        assert_eq!(
            get(&e, "name").as_string().as_deref(),
            Some("InvalidAccessError"),
            "{format}"
        );
    }
    let debug = format!("{target:?}");
    assert!(debug.contains("non-extractable") && debug.contains(target.public_key_uncompressed()));
}

#[wasm_bindgen_test]
async fn a_stored_target_survives_in_indexeddb_and_still_decrypts() {
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let target = ExportTarget::generate().await.unwrap();
    target.save("test-export").await.unwrap();
    let loaded = ExportTarget::load("test-export").await.unwrap().unwrap();
    assert_eq!(
        loaded.public_key_uncompressed(),
        target.public_key_uncompressed()
    );
    assert_eq!(
        get(loaded.crypto_key(), "extractable").as_bool(),
        Some(false)
    );
    let signer = P256KeyPair::generate_with_rng(&mut rng);
    let pt = seal_and_open(&loaded, A_MNEMONIC.as_bytes(), &signer, &mut rng).await;
    assert_eq!(pt.as_slice(), A_MNEMONIC.as_bytes());
    ExportTarget::delete_stored("test-export").await.unwrap();
    assert!(ExportTarget::load("test-export").await.unwrap().is_none());
    assert!(ExportTarget::load("never-stored").await.unwrap().is_none());
    assert!(
        ExportTarget::from_crypto_key(JsValue::NULL, target.public_key_uncompressed()).is_err()
    );
    assert!(ExportTarget::from_crypto_key(target.crypto_key().clone(), "04").is_err());
}

/// The precomputed key-schedule context, recomputed with WebCrypto's HMAC (an empty HMAC key is
/// refused by browsers; 64 zero bytes are the same key to HMAC-SHA256).
#[wasm_bindgen_test]
async fn key_schedule_context_matches_rfc_9180() {
    let alg = js_fn("", r#"return { name: "HMAC", hash: "SHA-256" };"#)
        .call0(&JsValue::NULL)
        .unwrap();
    let args = Array::of5(
        &"raw".into(),
        &Uint8Array::from([0u8; 64].as_slice()),
        &alg,
        &JsValue::FALSE,
        &Array::of1(&"sign".into()),
    );
    let key = subtle_call("importKey", &args).await.unwrap();
    let suite = b"HPKE\x00\x10\x00\x01\x00\x02";
    let mut ksc = vec![0u8];
    for (label, ikm) in [
        (&b"psk_id_hash"[..], &b""[..]),
        (b"info_hash", b"turnkey_hpke"),
    ] {
        let msg = [&b"HPKE-v1"[..], suite, label, ikm].concat();
        let args = Array::of3(&"HMAC".into(), &key, &Uint8Array::from(msg.as_slice()));
        let mac = subtle_call("sign", &args).await.unwrap();
        ksc.extend(Uint8Array::new(&mac).to_vec());
    }
    assert_eq!(ksc, KEY_SCHEDULE_CONTEXT);
}

#[wasm_bindgen_test]
async fn der_to_p1363_is_strict_and_inverts_p1363_to_der() {
    let key = P256KeyPair::generate_with_rng(&mut ChaCha20Rng::seed_from_u64(13));
    for i in 0..300u32 {
        let sig: Signature = key.signing_key().sign(format!("m{i}").as_bytes());
        let der = sig.to_der();
        assert_eq!(der_to_p1363(der.as_bytes()).unwrap(), sig.to_bytes()[..]);
        assert_eq!(p1363_to_der(&sig.to_bytes()).unwrap(), der.as_bytes());
    }
    let ok = |r: [u8; 33], s: [u8; 33]| [&[0x30, 70, 0x02, 33][..], &r, &[0x02, 33], &s].concat();
    let mut r = [0x11u8; 33];
    r[0] = 0;
    r[1] = 0x80;
    let good = ok(r, r);
    assert!(der_to_p1363(&good).is_ok());
    let mut unneeded_zero = r;
    unneeded_zero[1] = 0x7f;
    let bad = [
        ok(unneeded_zero, r),                                 // non-minimal integer
        [&good[..], &[0]].concat(),                           // trailing byte
        [&[0x30, 0x81, 70], &good[2..]].concat(),             // long-form length
        [&[0x31], &good[1..]].concat(),                       // not a SEQUENCE
        [&[0x30, 71], &good[2..]].concat(),                   // length mismatch
        vec![0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x01], // negative r
        vec![0x30, 0x06, 0x02, 0x00, 0x02, 0x02, 0x00, 0x01], // empty integer
        [
            &[0x30, 72, 0x02, 34, 0, 0x80],
            &[0u8; 32][..],
            &[0x02, 34, 0, 0x80],
            &[0u8; 32],
        ]
        .concat(), // 33-byte magnitude
        vec![],
    ];
    for (i, b) in bad.iter().enumerate() {
        assert_eq!(der_to_p1363(b), Err(DerError::Der), "case {i}");
    }
    // The WebCrypto verifier refuses what the strict parser refuses.
    let data = b"data";
    let sig: Signature = key.signing_key().sign(data);
    let public = key.public_key_uncompressed();
    verify_p256_der_signature(&public, data, sig.to_der().as_bytes())
        .await
        .unwrap();
    let r = verify_p256_der_signature(&public, data, &sig.to_bytes()).await;
    assert_eq!(r, Err(ExportTargetError::Bundle(BundleError::BadSignature)));
}

#[wasm_bindgen_test]
async fn speed_webcrypto_against_wasm() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let receiver = P256KeyPair::generate_with_rng(&mut rng);
    let signer = P256KeyPair::generate_with_rng(&mut rng);
    let signer_hex = signer.public_key_uncompressed().to_hex();
    let target = target_from_pair(&receiver).await;
    let bundles: Vec<String> = (0..32)
        .map(|i| {
            seal_export_bundle_with_rng(
                format!("{A_MNEMONIC} {i}").as_bytes(),
                &receiver.public_key_uncompressed(),
                ORG,
                &signer,
                &mut rng,
            )
            .unwrap()
        })
        .collect();
    let n = 200;
    let t0 = js_sys::Date::now();
    for i in 0..n {
        let _ = target
            .decrypt_export_bundle(&bundles[i % 32], ORG, Some(&signer_hex))
            .await
            .unwrap();
    }
    let t1 = js_sys::Date::now();
    for i in 0..n {
        let _ = bundle::decrypt_export_bundle(
            &bundles[i % 32],
            &receiver,
            ORG,
            &signer.public_key_uncompressed(),
        )
        .unwrap();
    }
    let t2 = js_sys::Date::now();
    let t3 = js_sys::Date::now();
    for _ in 0..50 {
        let _ = ExportTarget::generate().await.unwrap();
    }
    let t4 = js_sys::Date::now();
    console_log!(
        "export decrypt: WebCrypto {:.3} ms, p256/hpke in wasm {:.3} ms (mean of {n}); ExportTarget::generate {:.3} ms",
        (t1 - t0) / n as f64,
        (t2 - t1) / n as f64,
        (t4 - t3) / 50.0
    );
}

/// The JS API in the browser: `createExportTarget({storageName})`, the `ExportTarget` class's
/// getters and `decryptExportBundle`, `ExportTarget.fromStorage`, and the error names.
#[wasm_bindgen_test]
async fn the_js_api_decrypts_and_keeps_a_stored_target_until_used() {
    use quorum_kit::js::export_target::{JsExportTarget, create_export_target};

    let call = |obj: &JsValue, method: &str, arg: &JsValue| -> Promise {
        let f: js_sys::Function = get(obj, method).into();
        f.call1(obj, arg).unwrap().into()
    };
    let options = js_fn("", r#"return { storageName: "js-api" };"#)
        .call0(&JsValue::NULL)
        .unwrap();
    let target = JsFuture::from(create_export_target(options)).await.unwrap();
    let public = get(&target, "publicKeyUncompressed").as_string().unwrap();
    assert_eq!(
        get(&get(&target, "cryptoKey"), "extractable").as_bool(),
        Some(false)
    );
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let signer = P256KeyPair::generate_with_rng(&mut rng);
    let sealed = seal_export_bundle_with_rng(
        A_MNEMONIC.as_bytes(),
        &UncompressedP256::from_hex(&public).unwrap(),
        ORG,
        &signer,
        &mut rng,
    )
    .unwrap();
    let params = |org: &str| {
        js_fn(
            "b, o, s",
            "return { exportBundle: b, organizationId: o, returnMnemonic: true, dangerouslyOverrideSignerPublicKey: s };",
        )
        .call3(
            &JsValue::NULL,
            &sealed.as_str().into(),
            &org.into(),
            &signer.public_key_uncompressed().to_hex().into(),
        )
        .unwrap()
    };
    // A refusal keeps the stored target; a success deletes it.
    let refused = JsFuture::from(call(&target, "decryptExportBundle", &params("other")))
        .await
        .unwrap_err();
    assert_eq!(
        get(&refused, "name").as_string().as_deref(),
        Some("OrganizationMismatchError")
    );
    let restored = JsFuture::from(JsExportTarget::from_storage("js-api".into()))
        .await
        .unwrap();
    assert_eq!(
        get(&restored, "publicKeyUncompressed").as_string(),
        Some(public)
    );
    let mnemonic = JsFuture::from(call(&restored, "decryptExportBundle", &params(ORG)))
        .await
        .unwrap();
    assert_eq!(mnemonic.as_string().as_deref(), Some(A_MNEMONIC));
    assert!(
        JsFuture::from(JsExportTarget::from_storage("js-api".into()))
            .await
            .unwrap()
            .is_null(),
        "deleted after use"
    );
    let bad = JsFuture::from(call(&target, "decryptExportBundle", &JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(
        get(&bad, "name").as_string().as_deref(),
        Some("InvalidInputError")
    );
}

/// PROTOCOL §7 B and C (credential bundles), then credential bundles sealed by the core's enclave
/// side to fresh targets: WebCrypto and the core open them to the same key, and refuse the same
/// tampering with the same names.
#[wasm_bindgen_test]
async fn credential_bundles_open_through_webcrypto_as_in_the_core() {
    let want = "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9";
    for (bundle_text, receiver) in [
        (
            "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf",
            "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56",
        ),
        (
            "skr1QFHrNyL7xcvzRpU4t9yhL8rEVPZgDcFM5YW8S1YwLYjedoagnNZwMCyJsxNYzuphKHqQBkZxt4fLWSVsMqnW9XdmLBsK2MhwC5WxuxZD9xE8ezQ",
            "d2d9239a4bb25d09a6d91822e1d0991f0b21a63b102191bb98b6b77ac6fc6c91",
        ),
    ] {
        let pair = P256KeyPair::from_private_hex(receiver).unwrap();
        let target = target_from_pair(&pair).await;
        let key = target.decrypt_credential_bundle(bundle_text).await.unwrap();
        assert_eq!(*key.private_key_hex(), want);
    }

    let mut rng = ChaCha20Rng::seed_from_u64(21);
    for i in 0..8 {
        let target = ExportTarget::generate().await.unwrap();
        let public = UncompressedP256::from_hex(target.public_key_uncompressed()).unwrap();
        let credential = P256KeyPair::generate_with_rng(&mut rng);
        let sealed = bundle::enclave::seal_credential_bundle_with_rng(
            credential.private_key_bytes().as_slice(),
            &public,
            &mut rng,
        )
        .unwrap();
        let opened = target.decrypt_credential_bundle(&sealed).await.unwrap();
        assert_eq!(
            opened.private_key_hex(),
            credential.private_key_hex(),
            "case {i}"
        );
    }

    let pair = P256KeyPair::generate_with_rng(&mut rng);
    let target = target_from_pair(&pair).await;
    let credential = P256KeyPair::generate_with_rng(&mut rng);
    let mut bytes = Vec::new();
    let sealed = bundle::enclave::seal_credential_bundle_with_rng(
        credential.private_key_bytes().as_slice(),
        &pair.public_key_uncompressed(),
        &mut rng,
    )
    .unwrap();
    bytes.extend(bs58::decode(&sealed).with_check(None).into_vec().unwrap());
    let other_target = ExportTarget::generate().await.unwrap();
    let mut cases = vec![
        ("not base58check".to_owned(), "InvalidInputError"),
        (sealed[..sealed.len() - 1].to_owned(), "InvalidInputError"),
    ];
    for i in [0, 10, 40, bytes.len() - 1] {
        let mut flipped = bytes.clone();
        flipped[i] ^= 1;
        cases.push((
            bs58::encode(&flipped).with_check().into_string(),
            "DecryptionError",
        ));
    }
    for (text, name) in &cases {
        let web = target.decrypt_credential_bundle(text).await;
        let core = bundle::decrypt_credential_bundle(text, &pair);
        assert_eq!(name_of(&web), *name, "{text}");
        assert_eq!(core.err().map(|e| e.name()), Some(*name), "{text}");
    }
    assert_eq!(
        name_of(&other_target.decrypt_credential_bundle(&sealed).await),
        "DecryptionError"
    );
}
