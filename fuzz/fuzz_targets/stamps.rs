//! Stamp headers: `X-Stamp` verification and `X-Stamp-WebAuthn` parsing and verification (the
//! sandbox's, as Turnkey verifies them) give a value or a typed error for any header and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::keys::UncompressedP256;
use quorum_kit::stamp::api_key::verify_api_key_stamp;
use quorum_kit::stamp::webauthn::WebauthnStampValue;
use quorum_sandbox::webauthn::{RelyingParty, verify_assertion};

const PUBLIC: &str = "048ee67fa8ae8e5fac0e343c84fa0921ecb3a31a67aee2e6a0880a09072eaaf2aeffa43f73fa021fa4d0b550072ba1f9011ff7cf917e4bf2708670e5ac57a81c78";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    let _ = verify_api_key_stamp(header, body);
    let Ok(value) = WebauthnStampValue::parse(header) else { return };
    let Ok(assertion) = value.to_assertion() else { return };
    let Ok(key) = UncompressedP256::from_hex(PUBLIC) else { return };
    let rp = RelyingParty {
        origins: vec!["http://localhost:8787".into()],
        rp_id: "localhost".into(),
    };
    let _ = verify_assertion(&assertion, body, &key, 0, &rp);
});
