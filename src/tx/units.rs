//! Exact decimal amounts: 256-bit integers to decimal strings, and wei to ETH (or any token's
//! units) by moving the decimal point in the string. No floating point anywhere.

use crate::prelude::*;

use core::num::NonZeroU32;

use crypto_bigint::{Limb, NonZero, U256};

/// 10^9: the largest power of ten that fits a limb on every target (`Limb` is 32 bits on wasm32),
/// so each division yields nine decimal digits.
const BILLION: NonZeroU32 = match NonZeroU32::new(1_000_000_000) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

/// The largest `decimals` written out in full: ERC-20's `decimals()` is a `uint8`.
pub const MAX_DECIMALS: u32 = 255;

/// The decimal string of a 256-bit big-endian integer.
///
/// `crypto-bigint` (already in the tree through `p256`) has no decimal formatting, but it divides
/// by a limb: nine digits per division, at most nine divisions for 2^256 − 1.
pub(super) fn u256_to_decimal(be: &[u8; 32]) -> String {
    let divisor = NonZero::<Limb>::from_u32(BILLION);
    let mut n = U256::from_be_slice(be);
    let mut chunks = Vec::with_capacity(9);
    loop {
        let (q, r) = n.div_rem_limb(divisor);
        chunks.push(r.0);
        n = q;
        if n == U256::ZERO {
            break;
        }
    }
    let mut out = String::with_capacity(chunks.len() * 9);
    let mut chunks = chunks.iter().rev();
    if let Some(first) = chunks.next() {
        out.push_str(&first.to_string());
    }
    for chunk in chunks {
        out.push_str(&format!("{chunk:09}"));
    }
    out
}

/// Formats an integer amount of base units as a decimal number of whole units, exactly:
/// `format_units("10000000000000000", 18)` is `"0.01"`, `format_units("1000000", 6)` is `"1"`.
///
/// Leading zeros of the input and trailing zeros of the fraction are dropped; zero is `"0"`.
/// Above [`MAX_DECIMALS`] (ERC-20's `uint8` range) the result is written `"<digits>e-<decimals>"`,
/// still exact, so that a huge `decimals` cannot make a huge string.
/// Input that is not a decimal integer (empty, a sign, a point, any other character) is returned
/// unchanged rather than guessed at.
#[must_use]
pub fn format_units(wei_decimal: &str, decimals: u32) -> String {
    if wei_decimal.is_empty() || !wei_decimal.bytes().all(|b| b.is_ascii_digit()) {
        return wei_decimal.to_owned();
    }
    let digits = wei_decimal.trim_start_matches('0');
    if digits.is_empty() {
        return "0".to_owned();
    }
    if decimals > MAX_DECIMALS {
        return format!("{digits}e-{decimals}");
    }
    // At most 255, so the cast is lossless on every target.
    let decimals = decimals as usize;
    let (int, frac) = match digits.len().checked_sub(decimals) {
        Some(split) => {
            let (int, frac) = digits.split_at_checked(split).unwrap_or((digits, ""));
            let int = if int.is_empty() { "0" } else { int };
            (int.to_owned(), frac.to_owned())
        }
        None => ("0".to_owned(), "0".repeat(decimals - digits.len()) + digits),
    };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(n: u128) -> String {
        let mut be = [0u8; 32];
        be[16..].copy_from_slice(&n.to_be_bytes());
        u256_to_decimal(&be)
    }

    #[test]
    fn u256_decimal_matches_std_for_u128() {
        for n in [
            0u128,
            1,
            9,
            10,
            999_999_999,
            1_000_000_000,
            1_000_000_001,
            10u128.pow(18),
            10u128.pow(27) + 7,
            u128::from(u64::MAX),
            u128::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn u256_decimal_of_max() {
        assert_eq!(
            u256_to_decimal(&[0xff; 32]),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        let mut two_pow_128 = [0u8; 32];
        two_pow_128[15] = 1;
        assert_eq!(
            u256_to_decimal(&two_pow_128),
            "340282366920938463463374607431768211456"
        );
    }

    #[test]
    fn format_units_is_exact() {
        let cases = [
            ("0", 18, "0"),
            ("000", 18, "0"),
            ("1", 18, "0.000000000000000001"),
            ("10000000000000000", 18, "0.01"),
            ("1000000000000000000", 18, "1"),
            ("1500000000000000000", 18, "1.5"),
            ("001500000000000000000", 18, "1.5"),
            (
                "123456789012345678901234567890",
                18,
                "123456789012.34567890123456789",
            ),
            ("1000000", 6, "1"),
            ("1", 0, "1"),
            ("120", 0, "120"),
            ("120", 1, "12"),
            ("120", 3, "0.12"),
            ("120", 4, "0.012"),
            (
                "115792089237316195423570985008687907853269984665640564039457584007913129639935",
                18,
                "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
            ),
        ];
        for (wei, decimals, expected) in cases {
            assert_eq!(
                format_units(wei, decimals),
                expected,
                "{wei} / 10^{decimals}"
            );
        }
    }

    #[test]
    fn format_units_bounds_and_garbage() {
        assert_eq!(format_units("5", 255).len(), "0.".len() + 255);
        assert_eq!(format_units("5", 256), "5e-256");
        assert_eq!(format_units("500", u32::MAX), "500e-4294967295");
        assert_eq!(format_units("0", u32::MAX), "0");
        for garbage in ["", "-1", "+1", "1.5", " 1", "1e3", "٣"] {
            assert_eq!(format_units(garbage, 18), garbage);
        }
    }
}
