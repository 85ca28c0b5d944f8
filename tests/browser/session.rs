//! WebCrypto stamping (P1363 → DER, non-extractable keys) and sessions in IndexedDB.

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use quorum_kit::der::{DerError, p256_pkcs8, p1363_to_der};
use quorum_kit::keys::P256KeyPair;
use quorum_kit::session::{PreferWebCryptoStamper, Session, WebCryptoStamper};
use quorum_kit::stamp::ApiKeyStamper;
use quorum_kit::stamp::api_key::verify_api_key_stamp;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use std::rc::Rc;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use super::util::get;

#[wasm_bindgen_test]
fn p1363_to_der_matches_p256s_der_for_many_signatures() {
    let key = SigningKey::random(&mut ChaCha20Rng::seed_from_u64(3));
    let mut saw_high_bit = false;
    let mut saw_short = false;
    for i in 0..300u32 {
        let sig: Signature = key.sign(format!("message {i}").as_bytes());
        let p1363 = sig.to_bytes();
        let der = p1363_to_der(&p1363).unwrap();
        assert_eq!(der, sig.to_der().as_bytes(), "message {i}");
        saw_high_bit |= p1363[0] & 0x80 != 0;
        saw_short |= der.len() < 70;
    }
    assert!(
        saw_high_bit && saw_short,
        "both padding cases were exercised"
    );
    // Edge cases: leading zero bytes and zero itself stay minimal and positive.
    let mut edge = [0u8; 64];
    edge[31] = 1;
    edge[32] = 0x80;
    assert_eq!(
        p1363_to_der(&edge).unwrap(),
        [
            &[0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80][..],
            &[0u8; 31]
        ]
        .concat()
    );
    assert_eq!(
        p1363_to_der(&[0u8; 64]).unwrap(),
        vec![0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]
    );
    assert_eq!(p1363_to_der(&[1u8; 63]), Err(DerError::Length(63)));
}

#[wasm_bindgen_test]
fn pkcs8_layout() {
    let pair = P256KeyPair::from_private_hex(
        "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69",
    )
    .unwrap();
    let der = p256_pkcs8(
        &pair.private_key_bytes(),
        pair.public_key_uncompressed().as_bytes(),
    );
    assert_eq!(der.len(), 138);
    assert_eq!(&der[..3], &[0x30, 0x81, 0x87]);
    assert_eq!(&der[36..68], pair.private_key_bytes().as_slice());
    assert_eq!(
        &der[73..],
        pair.public_key_uncompressed().as_bytes().as_slice()
    );
}

#[wasm_bindgen_test]
async fn webcrypto_stamps_verify_like_the_core_and_the_key_is_not_extractable() {
    // PROTOCOL §1's key: the WebCrypto stamp verifies as Turnkey verifies, with the same public key.
    let pair = P256KeyPair::from_private_hex(
        "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69",
    )
    .unwrap();
    let stamper = WebCryptoStamper::import(&pair).await.unwrap();
    assert_eq!(
        stamper.public_key(),
        "02a1d9ee281053cf73c07678d6c1231216e8434f87662b75f08c66882c2f95ee45"
    );
    assert_eq!(
        get(stamper.crypto_key(), "extractable").as_bool(),
        Some(false)
    );
    let usages = js_sys::Array::from(&get(stamper.crypto_key(), "usages"));
    assert_eq!(usages.length(), 1);
    assert_eq!(usages.get(0), "sign");
    let body = r#"{"organizationId":"00000000-0000-0000-0000-000000000000"}"#;
    let stamp = stamper.start(body).await.unwrap();
    assert_eq!(stamp.header_name, "X-Stamp");
    let signer = verify_api_key_stamp(&stamp.header_value, body).unwrap();
    assert_eq!(signer.to_hex(), stamper.public_key());
    assert!(verify_api_key_stamp(&stamp.header_value, "{}").is_err());

    // Speed, side by side in this browser (logged; the e2e suite records the figures).
    let core = ApiKeyStamper::new(pair.clone());
    let n = 200;
    let t0 = js_sys::Date::now();
    for i in 0..n {
        let _ = stamper.start(&format!("{body}{i}")).await.unwrap();
    }
    let t1 = js_sys::Date::now();
    for i in 0..n {
        let _ = core.stamp_body(&format!("{body}{i}"));
    }
    let t2 = js_sys::Date::now();
    console_log!(
        "stamp: WebCrypto {:.3} ms, p256-in-wasm {:.3} ms (mean of {n})",
        (t1 - t0) / f64::from(n),
        (t2 - t1) / f64::from(n)
    );
}

#[wasm_bindgen_test]
async fn a_session_survives_in_indexeddb_until_it_expires() {
    let pair = P256KeyPair::generate();
    let stamper = WebCryptoStamper::import(&pair).await.unwrap();
    let session = Session {
        stamper: Rc::new(stamper),
        organization_id: "org".into(),
        user_id: "user".into(),
        expires_at_ms: js_sys::Date::now() + 60_000.0,
    };
    session.save("test-live").await.unwrap();
    let loaded = Session::load("test-live").await.unwrap().unwrap();
    assert_eq!(loaded.public_key(), session.public_key());
    assert_eq!(loaded.user_id, "user");
    assert!(!loaded.is_expired());
    // The restored CryptoKey still signs and is still non-extractable.
    assert_eq!(
        get(loaded.stamper.crypto_key(), "extractable").as_bool(),
        Some(false)
    );
    let stamp = loaded.stamper.start("{}").await.unwrap();
    assert_eq!(
        verify_api_key_stamp(&stamp.header_value, "{}")
            .unwrap()
            .to_hex(),
        pair.public_key_compressed().to_hex()
    );
    assert_eq!(loaded.to_active().expires_at_ms, session.expires_at_ms);
    Session::clear("test-live").await.unwrap();
    assert!(Session::load("test-live").await.unwrap().is_none());

    let expired = Session {
        expires_at_ms: js_sys::Date::now() - 1.0,
        ..session
    };
    expired.save("test-expired").await.unwrap();
    assert!(Session::load("test-expired").await.unwrap().is_none());
    assert!(Session::load("never-stored").await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn api_keys_prefer_webcrypto_and_stay_verifiable() {
    let pair = P256KeyPair::from_private_hex(
        "487f361ddfd73440e707f4daa6775b376859e8a3c9f29b3bb694a12927c0213c",
    )
    .unwrap();
    let s = PreferWebCryptoStamper::new(pair);
    assert_eq!(
        s.public_key(),
        "02f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316"
    );
    assert!(!s.uses_webcrypto());
    let body = r#"{"organizationId":"o"}"#;
    let a = s.start(body).await.unwrap();
    assert!(s.uses_webcrypto(), "the first stamp imported the key");
    let b = s.start(body).await.unwrap();
    // WebCrypto's ECDSA is randomized (RFC 6979 would repeat): both verify as Turnkey verifies.
    assert_ne!(a.header_value, b.header_value);
    for stamp in [a, b] {
        assert_eq!(
            verify_api_key_stamp(&stamp.header_value, body)
                .unwrap()
                .to_hex(),
            s.public_key()
        );
    }
}
