//! Passkey options, ceremonies against a stand-in credentials container, and error mapping.

use quorum_kit::passkey::{
    self, AssertionOptions, Attachment, CredentialDescriptor, Hint, PasskeyError,
    RegistrationOptions, ResidentKey, Transport, UserVerification, WebauthnStamper,
};
use quorum_kit::stamp::webauthn::{WebauthnStampValue, challenge_for_body};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::util::{dom_exception, get, get_bytes, get_str, js_eval, js_fn};

/// A credentials container whose `create`/`get` record their options and answer `answer`
/// (a resolved credential), or reject/throw as asked.
fn fake_container(mode: &str) -> JsValue {
    js_fn(
        "mode",
        r#"
        const enc = (s) => new TextEncoder().encode(s).buffer;
        const box = { calls: [], mode };
        const answer = (kind) => {
          if (mode === "reject") return Promise.reject(new DOMException("The operation either timed out or was not allowed.", "NotAllowedError"));
          if (mode === "exists") return Promise.reject(new DOMException("already registered", "InvalidStateError"));
          if (mode === "throw") throw new TypeError("bad options");
          if (mode === "null") return Promise.resolve(null);
          if (kind === "create") return Promise.resolve({
            type: "public-key",
            rawId: new Uint8Array([1, 2, 3, 250, 255]).buffer,
            response: {
              clientDataJSON: enc('{"type":"webauthn.create"}'),
              attestationObject: new Uint8Array([0xa3, 0x63, 0x66, 0x6d, 0x74]).buffer,
              getTransports() { return ["internal", "hybrid", "smart-card", "internal"]; },
            },
          });
          return Promise.resolve({
            type: "public-key",
            rawId: new Uint8Array([9, 8, 7]).buffer,
            response: {
              clientDataJSON: enc('{"type":"webauthn.get"}'),
              authenticatorData: new Uint8Array([5, 6, 7]).buffer,
              signature: new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]).buffer,
              userHandle: new Uint8Array([42]).buffer,
            },
          });
        };
        box.create = function (opts) { box.calls.push(opts); return answer("create"); };
        box.get = function (opts) { box.calls.push(opts); return answer("get"); };
        return box;
        "#,
    )
    .call1(&JsValue::UNDEFINED, &mode.into())
    .unwrap()
}

fn calls(container: &JsValue) -> js_sys::Array {
    get(container, "calls").into()
}

#[wasm_bindgen_test]
fn registration_options_follow_turnkey_defaults() {
    let o = RegistrationOptions::new("Quorum Demo", "alice")
        .rp_id("localhost")
        .exclude_credentials(vec![CredentialDescriptor {
            id: "AQID".into(),
            transports: vec![Transport::Internal],
        }])
        .hints(vec![Hint::ClientDevice]);
    let pk: JsValue = o.to_js(&[7u8; 32], &[9u8; 32]).unwrap().into();
    assert_eq!(get_str(&get(&pk, "rp"), "name"), "Quorum Demo");
    assert_eq!(get_str(&get(&pk, "rp"), "id"), "localhost");
    let user = get(&pk, "user");
    assert_eq!(get_str(&user, "name"), "alice");
    assert_eq!(get_str(&user, "displayName"), "alice");
    assert_eq!(get_bytes(&user, "id"), vec![9u8; 32]);
    assert_eq!(get_bytes(&pk, "challenge"), vec![7u8; 32]);
    assert_eq!(get(&pk, "timeout").as_f64(), Some(300_000.0));
    assert_eq!(get_str(&pk, "attestation"), "none");
    let algs: Vec<f64> = js_sys::Array::from(&get(&pk, "pubKeyCredParams"))
        .iter()
        .map(|p| get(&p, "alg").as_f64().unwrap())
        .collect();
    assert_eq!(algs, vec![-7.0, -257.0]);
    let sel = get(&pk, "authenticatorSelection");
    assert_eq!(get_str(&sel, "residentKey"), "required");
    assert_eq!(get(&sel, "requireResidentKey").as_bool(), Some(true));
    assert_eq!(get_str(&sel, "userVerification"), "preferred");
    assert!(get(&sel, "authenticatorAttachment").is_undefined());
    let excl = js_sys::Array::from(&get(&pk, "excludeCredentials"));
    assert_eq!(excl.length(), 1);
    assert_eq!(get_bytes(&excl.get(0), "id"), vec![1, 2, 3]);
    assert_eq!(get_str(&excl.get(0), "type"), "public-key");
    assert_eq!(
        js_sys::Array::from(&get(&pk, "hints")).get(0),
        "client-device"
    );
}

#[wasm_bindgen_test]
fn registration_options_carry_every_choice() {
    let o = RegistrationOptions::new("rp", "bob")
        .user_display_name("Bob B.")
        .timeout_ms(60_000)
        .user_verification(UserVerification::Required)
        .resident_key(ResidentKey::Preferred)
        .attachment(Attachment::CrossPlatform)
        .authenticator_name("YubiKey");
    let pk: JsValue = o.to_js(&[1u8; 32], &[2u8; 16]).unwrap().into();
    assert_eq!(get_str(&get(&pk, "user"), "displayName"), "Bob B.");
    assert_eq!(get(&pk, "timeout").as_f64(), Some(60_000.0));
    let sel = get(&pk, "authenticatorSelection");
    assert_eq!(get_str(&sel, "userVerification"), "required");
    assert_eq!(get_str(&sel, "residentKey"), "preferred");
    assert_eq!(get(&sel, "requireResidentKey").as_bool(), Some(false));
    assert_eq!(get_str(&sel, "authenticatorAttachment"), "cross-platform");
    assert!(get(&pk, "hints").is_undefined());
    assert_eq!(o.effective_authenticator_name(), "YubiKey");
    assert_eq!(
        RegistrationOptions::new("rp", "carol").effective_authenticator_name(),
        "carol passkey"
    );
}

#[wasm_bindgen_test]
fn invalid_options_are_refused_before_the_browser_sees_them() {
    let empty_user = RegistrationOptions::new("rp", " ");
    assert!(matches!(
        empty_user.to_js(&[0; 32], &[0; 32]),
        Err(PasskeyError::InvalidOptions(_))
    ));
    let bad_id = AssertionOptions::new("localhost").allow_credentials(vec![CredentialDescriptor {
        id: "not base64!".into(),
        transports: vec![],
    }]);
    assert!(matches!(
        bad_id.to_js(b"c"),
        Err(PasskeyError::InvalidOptions(_))
    ));
    assert!(matches!(
        AssertionOptions::new("x").timeout_ms(0).validate(),
        Err(PasskeyError::InvalidOptions(_))
    ));
    let mut long_id = RegistrationOptions::new("rp", "u");
    long_id.user_id = Some(vec![0; 65]);
    assert!(long_id.validate().is_err());
}

#[wasm_bindgen_test]
fn assertion_options_follow_turnkey_defaults() {
    let o = AssertionOptions::new("localhost").allow_credentials(vec![CredentialDescriptor {
        id: "CQgH".into(),
        transports: vec![Transport::Usb, Transport::Hybrid],
    }]);
    let pk: JsValue = o.to_js(b"abc").unwrap().into();
    assert_eq!(get_str(&pk, "rpId"), "localhost");
    assert_eq!(get_bytes(&pk, "challenge"), b"abc".to_vec());
    assert_eq!(get(&pk, "timeout").as_f64(), Some(300_000.0));
    assert_eq!(get_str(&pk, "userVerification"), "preferred");
    let allow = js_sys::Array::from(&get(&pk, "allowCredentials"));
    assert_eq!(get_bytes(&allow.get(0), "id"), vec![9, 8, 7]);
    let transports = js_sys::Array::from(&get(&allow.get(0), "transports"));
    assert_eq!(transports.get(1), "hybrid");
    let empty: JsValue = AssertionOptions::default().to_js(b"x").unwrap().into();
    assert_eq!(
        js_sys::Array::from(&get(&empty, "allowCredentials")).length(),
        0
    );
    assert!(get(&empty, "rpId").is_undefined());
}

#[wasm_bindgen_test]
fn dom_exceptions_map_to_typed_errors() {
    let cases = [
        ("NotAllowedError", "PasskeyCancelledError", true),
        ("InvalidStateError", "PasskeyAlreadyRegisteredError", false),
        ("SecurityError", "PasskeySecurityError", false),
        ("NotSupportedError", "PasskeyNotSupportedError", false),
        ("AbortError", "PasskeyAbortedError", true),
        ("ConstraintError", "PasskeyConstraintError", false),
        ("UnknownError", "PasskeyError", false),
    ];
    for (dom, js, cancelled) in cases {
        let e = PasskeyError::from_js(&dom_exception(dom, "msg"));
        assert_eq!(e.code(), dom);
        assert_eq!(e.js_name(), js, "{dom}");
        assert_eq!(e.is_cancelled(), cancelled, "{dom}");
        assert!(e.to_string().contains("msg"));
    }
    assert!(matches!(
        PasskeyError::from_js(&js_eval("new TypeError('x')")),
        PasskeyError::TypeError { .. }
    ));
    let other = PasskeyError::from_js(&dom_exception("DataError", "d"));
    assert_eq!(
        other,
        PasskeyError::Other {
            name: "DataError".into(),
            message: "d".into()
        }
    );
    let thrown_string = PasskeyError::from_js(&JsValue::from_str("boom"));
    assert_eq!(thrown_string.code(), "Error");
}

#[wasm_bindgen_test]
async fn registration_returns_turnkeys_attestation_and_calls_create_synchronously() {
    let container = fake_container("ok");
    let options = RegistrationOptions::new("Quorum", "alice").rp_id("localhost");
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let pending = passkey::register_with(&container, &options, None, &mut rng);
    // The ceremony was started before anything was awaited (Safari's user-activation rule).
    assert_eq!(calls(&container).length(), 1);
    let reg = pending.await.unwrap();
    let sent = get(&calls(&container).get(0), "publicKey");
    let challenge = get_bytes(&sent, "challenge");
    assert_eq!(challenge.len(), 32);
    assert_eq!(
        reg.challenge,
        quorum_kit::encoding::base64url_encode(&challenge)
    );
    assert_eq!(reg.authenticator_name, "alice passkey");
    assert_eq!(reg.attestation.credential_id, "AQID-v8");
    assert_eq!(
        reg.attestation.client_data_json,
        quorum_kit::encoding::base64url_encode(br#"{"type":"webauthn.create"}"#)
    );
    assert_eq!(reg.attestation.attestation_object, "o2NmbXQ");
    assert_eq!(
        reg.attestation.transports,
        vec![
            "AUTHENTICATOR_TRANSPORT_INTERNAL",
            "AUTHENTICATOR_TRANSPORT_HYBRID"
        ]
    );
    // The same seed draws the same challenge.
    let again = passkey::register_with(
        &fake_container("ok"),
        &options,
        None,
        &mut ChaCha20Rng::seed_from_u64(7),
    )
    .await
    .unwrap();
    assert_eq!(again.challenge, reg.challenge);
}

#[wasm_bindgen_test]
async fn ceremony_failures_are_typed() {
    let options = RegistrationOptions::new("rp", "u");
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let cancelled =
        passkey::register_with(&fake_container("reject"), &options, None, &mut rng).await;
    assert!(matches!(
        cancelled,
        Err(PasskeyError::NotAllowedError { .. })
    ));
    let exists = passkey::register_with(&fake_container("exists"), &options, None, &mut rng).await;
    assert!(matches!(
        exists,
        Err(PasskeyError::InvalidStateError { .. })
    ));
    let thrown = passkey::register_with(&fake_container("throw"), &options, None, &mut rng).await;
    assert!(matches!(thrown, Err(PasskeyError::TypeError { .. })));
    let none = passkey::assert_with(
        &fake_container("null"),
        &AssertionOptions::default(),
        b"c",
        None,
    )
    .await;
    assert!(matches!(none, Err(PasskeyError::InvalidResponse(_))));
    let missing =
        passkey::assert_with(&js_eval("({})"), &AssertionOptions::default(), b"c", None).await;
    assert_eq!(missing, Err(PasskeyError::Unavailable));
}

#[wasm_bindgen_test]
async fn assertion_and_webauthn_stamp() {
    let container = fake_container("ok");
    let body = r#"{"organizationId":"o"}"#;
    let stamper = WebauthnStamper::new(AssertionOptions::new("localhost"))
        .with_credentials(container.clone());
    let pending = stamper.start(body);
    assert_eq!(
        calls(&container).length(),
        1,
        "get() runs before the first await"
    );
    let stamp = pending.await.unwrap();
    assert_eq!(stamp.header_name, "X-Stamp-WebAuthn");
    let sent = get(&calls(&container).get(0), "publicKey");
    // The challenge is the UTF-8 of the lowercase hex SHA-256 of the body (PROTOCOL §2).
    assert_eq!(
        get_bytes(&sent, "challenge"),
        challenge_for_body(body).into_bytes()
    );
    assert_eq!(get_str(&sent, "rpId"), "localhost");
    let value = WebauthnStampValue::parse(&stamp.header_value).unwrap();
    assert_eq!(value.credential_id, "CQgH");
    assert_eq!(value.authenticator_data, "BQYH");
    let raw = value.to_assertion().unwrap();
    assert_eq!(
        raw.signature,
        vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]
    );

    let a = passkey::assert_with(&container, &AssertionOptions::default(), b"xyz", None)
        .await
        .unwrap();
    assert_eq!(a.user_handle.as_deref(), Some("Kg"));
    let cancelled = WebauthnStamper::new(AssertionOptions::default())
        .with_credentials(fake_container("reject"))
        .start(body)
        .await;
    assert!(cancelled.unwrap_err().is_cancelled());
}

#[wasm_bindgen_test]
async fn feature_detection_answers() {
    // Headless Chromium on a http://127.0.0.1 test page is a secure context with WebAuthn.
    assert!(passkey::is_supported());
    // No authenticator is attached here; the probes must answer rather than throw.
    let _ = passkey::is_user_verifying_platform_authenticator_available().await;
    let _ = passkey::is_conditional_mediation_available().await;
}
