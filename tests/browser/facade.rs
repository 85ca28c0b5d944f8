//! The JS facade's edges: option objects in, `Error`s with stable names out.

use quorum_kit::activity::Activity;
use quorum_kit::client::{ClientError, StamperError, TransportError};
use quorum_kit::js::client::{JsClient, client_error};
use quorum_kit::js::passkey::{
    JsWebauthnStamper, assertion_options, passkey_error, registration_options,
};
use quorum_kit::passkey::{
    Attachment, Hint, PasskeyError, ResidentKey, Transport, UserVerification,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use super::util::{get, get_str, js_eval};

#[wasm_bindgen_test]
fn register_options_from_js() {
    let (o, signal) = registration_options(&js_eval(
        r#"({ rpName: "Demo", rpId: "localhost", userName: "a", userDisplayName: "A", timeout: 1000,
              userVerification: "required", residentKey: "preferred", authenticatorAttachment: "platform",
              hints: ["security-key"], authenticatorName: "Laptop",
              excludeCredentials: [{ id: new Uint8Array([1, 2, 3]), type: "public-key", transports: ["usb", "smart-card"] }, { id: "BAUG" }],
              signal: new AbortController().signal })"#,
    ))
    .unwrap();
    assert!(signal.is_some());
    assert_eq!(o.rp_id.as_deref(), Some("localhost"));
    assert_eq!(o.timeout_ms, 1000);
    assert_eq!(o.user_verification, UserVerification::Required);
    assert_eq!(o.resident_key, ResidentKey::Preferred);
    assert_eq!(o.attachment, Some(Attachment::Platform));
    assert_eq!(o.hints, vec![Hint::SecurityKey]);
    assert_eq!(
        o.exclude_credentials[0].id, "AQID",
        "bytes become base64url"
    );
    assert_eq!(o.exclude_credentials[0].transports, vec![Transport::Usb]);
    assert_eq!(o.exclude_credentials[1].id, "BAUG");
    assert_eq!(o.effective_authenticator_name(), "Laptop");

    // A typo is an error naming the field, thrown as PasskeyOptionsError.
    let err = registration_options(&js_eval(
        r#"({ rpName: "x", userName: "u", userVerfication: "required" })"#,
    ))
    .unwrap_err();
    assert_eq!(get_str(&err, "name"), "PasskeyOptionsError");
    assert!(get_str(&err, "message").contains("userVerfication"));
    let err = registration_options(&js_eval(r#"({ rpName: "x" })"#)).unwrap_err();
    assert!(get_str(&err, "message").contains("userName"));
}

#[wasm_bindgen_test]
fn webauthn_stamper_config_from_js() {
    let (o, _) = assertion_options(
        &js_eval(r#"({ rpId: "localhost", timeout: 5000, userVerification: "discouraged", allowCredentials: [{ id: new Uint8Array([9, 8, 7]).buffer, type: "public-key" }], challenge: "ignored" })"#),
        "WebauthnStamper",
    )
    .unwrap();
    assert_eq!(o.timeout_ms, 5000);
    assert_eq!(o.allow_credentials[0].id, "CQgH");
    let s = JsWebauthnStamper::new(js_eval(r#"({ rpId: "localhost" })"#))
        .map_err(|_| ())
        .unwrap();
    assert_eq!(s.rp_id().as_deref(), Some("localhost"));
    let bad = JsWebauthnStamper::new(js_eval(r#"({ rpId: "x", timeout: 0 })"#))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(get_str(&bad, "name"), "PasskeyOptionsError");
}

#[wasm_bindgen_test]
fn errors_thrown_to_js_have_stable_names_and_fields() {
    let e = passkey_error(&PasskeyError::from_name("NotAllowedError", "m".into()));
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&e, "name"), "PasskeyCancelledError");
    assert_eq!(get_str(&e, "code"), "NotAllowedError");
    assert_eq!(get(&e, "cancelled").as_bool(), Some(true));

    let http = client_error(&ClientError::Http {
        status: 403,
        message: "not allowed".into(),
        code: Some(7),
        path: "/public/v1/query/whoami".into(),
    });
    assert_eq!(get_str(&http, "name"), "TurnkeyRequestError");
    assert_eq!(get(&http, "status").as_f64(), Some(403.0));
    assert_eq!(get(&http, "turnkeyCode").as_f64(), Some(7.0));
    assert_eq!(get_str(&http, "turnkeyMessage"), "not allowed");

    let activity = Activity::from_response(
        r#"{"activity":{"id":"a","organizationId":"o","status":"ACTIVITY_STATUS_FAILED","type":"T","fingerprint":"sha256:1","failure":{"code":3,"message":"no funds"}}}"#,
    )
    .unwrap();
    let failed = client_error(&ClientError::Failed {
        message: "no funds".into(),
        activity: Box::new(activity.clone()),
    });
    assert_eq!(get_str(&failed, "name"), "ActivityFailedError");
    assert_eq!(get_str(&failed, "reason"), "no funds");
    assert_eq!(get_str(&failed, "activityId"), "a");
    assert_eq!(
        get_str(&get(&failed, "activity"), "status"),
        "ACTIVITY_STATUS_FAILED"
    );
    let rejected = client_error(&ClientError::Rejected {
        activity: Box::new(activity),
    });
    assert_eq!(get_str(&rejected, "name"), "ActivityRejectedError");
    assert_eq!(
        get_str(
            &client_error(&ClientError::Timeout { activity: None }),
            "name"
        ),
        "TimeoutError"
    );
    assert_eq!(
        get_str(&client_error(&ClientError::Cancelled), "name"),
        "AbortError"
    );
    assert_eq!(
        get_str(
            &client_error(&ClientError::Network(TransportError::Network("x".into()))),
            "name"
        ),
        "NetworkError"
    );
    // A JS stamper's own error is rethrown unchanged; a passkey error keeps its passkey name.
    let own = js_eval("Object.assign(new Error('mine'), { name: 'MyStamperError' })");
    let thrown = client_error(&ClientError::Stamper(StamperError::Js {
        name: "MyStamperError".into(),
        message: "mine".into(),
        value: own.clone(),
    }));
    assert_eq!(thrown, own);
    let pk = client_error(&ClientError::Stamper(StamperError::Passkey(
        PasskeyError::from_name("SecurityError", "rp".into()),
    )));
    assert_eq!(get_str(&pk, "name"), "PasskeySecurityError");
}

#[wasm_bindgen_test]
fn client_config_is_checked() {
    let err = JsClient::new(js_eval(
        r#"({ baseUrl: "http://x", organizationId: "o", stamper: {} })"#,
    ))
    .map(|_| ())
    .unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidInputError");
    let err = JsClient::new(js_eval(
        r#"({ organizationId: "o", stamper: { stamp() {} } })"#,
    ))
    .map(|_| ())
    .unwrap_err();
    assert!(get_str(&err, "message").contains("baseUrl"));
    let c = JsClient::new(js_eval(
        r#"({ baseUrl: "http://x/", organizationId: "o", stamper: { stamp() {} } })"#,
    ))
    .map_err(|_| ())
    .unwrap();
    assert_eq!(c.organization_id(), "o");
    c.set_organization_id("sub".into()).unwrap();
    assert_eq!(c.organization_id(), "sub");
    assert_eq!(c.session(), JsValue::NULL);
}
