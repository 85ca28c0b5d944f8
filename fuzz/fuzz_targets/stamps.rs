//! Any stamp header or activity response parses to a value or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::activity::Activity;
use quorum_kit::stamp::api_key::verify_api_key_stamp;
use quorum_kit::stamp::webauthn::WebauthnStampValue;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let (header, body) = text.split_once('\n').unwrap_or((text, ""));
    let _ = verify_api_key_stamp(header, body);
    if let Ok(value) = WebauthnStampValue::parse(header) {
        let _ = value.to_assertion();
    }
    let _ = Activity::from_response(text);
});
