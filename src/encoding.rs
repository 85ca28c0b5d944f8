//! Encodings used on Turnkey's wire: lowercase hex, base64url without padding, and
//! base58check (Bitcoin alphabet, 4-byte double-SHA-256 checksum, no version byte).
//!
//! Parsing happens once at the edge and yields bytes or a typed [`EncodingError`].

use crate::prelude::*;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// The string is not valid hex (odd length or a non-hex character).
    #[error("invalid hex: {0}")]
    Hex(String),
    /// The string is not valid unpadded base64url.
    #[error("invalid base64url: {0}")]
    Base64Url(String),
    /// The string is not valid base58check (bad character or checksum).
    #[error("invalid base58check: {0}")]
    Base58Check(String),
    /// The decoded value has the wrong length.
    #[error("expected {expected} bytes, got {actual}")]
    Length {
        /// The required length in bytes.
        expected: usize,
        /// The length found.
        actual: usize,
    },
}

/// Encodes bytes as lowercase hex.
#[must_use]
pub fn hex_encode(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Decodes hex (either case; an optional `0x` prefix is accepted).
///
/// # Errors
/// [`EncodingError::Hex`] for odd length or non-hex characters.
pub fn hex_decode(s: &str) -> Result<Vec<u8>, EncodingError> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    hex::decode(s).map_err(|e| EncodingError::Hex(e.to_string()))
}

/// Decodes hex into exactly `N` bytes.
///
/// # Errors
/// [`EncodingError::Hex`] for bad hex, [`EncodingError::Length`] for the wrong length.
pub fn hex_decode_array<const N: usize>(s: &str) -> Result<[u8; N], EncodingError> {
    let bytes = hex_decode(s)?;
    let actual = bytes.len();
    bytes.try_into().map_err(|_| EncodingError::Length {
        expected: N,
        actual,
    })
}

/// Encodes bytes as base64url without padding.
#[must_use]
pub fn base64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url; trailing `=` padding is tolerated, as browsers sometimes add it.
///
/// # Errors
/// [`EncodingError::Base64Url`] for characters outside the URL-safe alphabet.
pub fn base64url_decode(s: &str) -> Result<Vec<u8>, EncodingError> {
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|e| EncodingError::Base64Url(e.to_string()))
}

/// Encodes bytes as base58check with no version byte.
#[must_use]
pub fn bs58check_encode(bytes: &[u8]) -> String {
    bs58::encode(bytes).with_check().into_string()
}

/// Decodes base58check with no version byte, verifying the checksum.
///
/// # Errors
/// [`EncodingError::Base58Check`] for bad characters, too-short input or a wrong checksum.
pub fn bs58check_decode(s: &str) -> Result<Vec<u8>, EncodingError> {
    bs58::decode(s)
        .with_check(None)
        .into_vec()
        .map_err(|e| EncodingError::Base58Check(e.to_string()))
}

/// Encodes bytes as plain base58 (Bitcoin alphabet), as Solana writes keys.
#[must_use]
pub fn bs58_encode(bytes: &[u8]) -> String {
    bs58::encode(bytes).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(hex_encode(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff").unwrap(), vec![0, 0xab, 0xff]);
        assert_eq!(hex_decode("0x01").unwrap(), vec![1]);
        assert!(matches!(hex_decode("abc"), Err(EncodingError::Hex(_))));
        assert!(matches!(hex_decode("zz"), Err(EncodingError::Hex(_))));
        assert_eq!(
            hex_decode_array::<2>("010203"),
            Err(EncodingError::Length {
                expected: 2,
                actual: 3
            })
        );
    }

    #[test]
    fn base64url_has_no_padding() {
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert!(matches!(
            base64url_decode("+/8"),
            Err(EncodingError::Base64Url(_))
        ));
    }

    #[test]
    fn bs58check_round_trip_and_checksum() {
        let s = bs58check_encode(b"quorum");
        assert_eq!(bs58check_decode(&s).unwrap(), b"quorum");
        let mut broken = s.into_bytes();
        let last = broken.len() - 1;
        broken[last] = if broken[last] == b'2' { b'3' } else { b'2' };
        let broken = String::from_utf8(broken).unwrap();
        assert!(matches!(
            bs58check_decode(&broken),
            Err(EncodingError::Base58Check(_))
        ));
        assert!(matches!(
            bs58check_decode("0OIl"),
            Err(EncodingError::Base58Check(_))
        ));
    }
}
