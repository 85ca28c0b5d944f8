//! Any string, and any bytes given as hex, decode to an unsigned transaction or a typed error,
//! never a panic; what decodes formats without panicking too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quorum_kit::tx::{
    decode_unsigned_transaction, decode_unsigned_transaction_bytes, format_units,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = decode_unsigned_transaction(text);
        let _ = format_units(text, u32::from(data.first().copied().unwrap_or(18)));
    }
    let from_hex = decode_unsigned_transaction(&format!("0x{}", hex_lower(data)));
    assert_eq!(from_hex, decode_unsigned_transaction_bytes(data));
    if let Ok(tx) = from_hex {
        let _ = tx.value_eth();
        assert!(tx.value_wei.bytes().all(|b| b.is_ascii_digit()));
    }
});

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
