//! EIP-55 mixed-case checksum addresses.

use crate::prelude::*;

use sha3::{Digest as _, Keccak256};

/// The EIP-55 checksummed form (`0x` + 40 hex digits) of a 20-byte address.
///
/// EIP-55: hex-encode the address in lowercase, take Keccak-256 of that ASCII string, and write
/// the `i`-th hex letter in uppercase when the `i`-th nibble of the hash is 8 or more.
#[must_use]
pub fn checksum_address(address: &[u8; 20]) -> String {
    let lower = hex::encode(address);
    let hash = Keccak256::digest(lower.as_bytes());
    let nibbles = hash.iter().flat_map(|b| [b >> 4, b & 0x0f]);
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    out.extend(lower.chars().zip(nibbles).map(|(c, nibble)| {
        if nibble >= 8 {
            c.to_ascii_uppercase()
        } else {
            c
        }
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test addresses listed in EIP-55 ("All caps", "All lower", "Normal").
    const EIP55: [&str; 8] = [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    #[test]
    fn eip55_test_vectors() {
        for expected in EIP55 {
            let bytes: [u8; 20] = hex::decode(&expected[2..]).unwrap().try_into().unwrap();
            assert_eq!(checksum_address(&bytes), expected);
        }
    }
}
