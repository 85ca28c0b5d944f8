//! The hand-written JSON reader of bundles and stamps against `serde_json` as the oracle: they
//! accept the same texts (but for the duplicate keys ours refuses and the out-of-range numbers it
//! need not read), and every string member reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::flat_json::{JsonError, Object};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let ours = Object::parse_bytes(data);
    let theirs = serde_json::from_slice::<Value>(data);
    match (ours, theirs) {
        (Ok(object), Ok(Value::Object(members))) => {
            for (key, value) in members {
                match value {
                    Value::String(s) => assert_eq!(object.string(&key), Ok(Some(s.as_str()))),
                    Value::Null => assert_eq!(object.string(&key), Ok(None)),
                    _ => assert_eq!(object.string(&key), Err(JsonError::NotAString(key.clone()))),
                }
            }
        }
        (Ok(_), Ok(other)) => panic!("ours read a non-object as an object: {other}"),
        (Ok(_), Err(e)) => assert!(e.to_string().contains("number out of range"), "{e}"),
        (Err(JsonError::DuplicateKey(_)), Ok(_)) => {}
        (Err(JsonError::NotAnObject), Ok(value)) => assert!(!value.is_object()),
        (Err(e), Ok(_)) => panic!("ours refused what serde_json reads: {e}"),
        (Err(_), Err(_)) => {}
    }
});
