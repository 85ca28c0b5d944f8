//! The two byte layouts WebCrypto needs translated: ECDSA signatures (WebCrypto returns IEEE P1363
//! `r ‖ s`, Turnkey wants DER) and P-256 private keys (WebCrypto imports PKCS#8, RFC 5208/5915).

use zeroize::Zeroizing;

/// Why a signature could not be converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DerError {
    /// A P-256 P1363 signature is exactly 64 bytes.
    #[error("a P-256 P1363 signature is 64 bytes, got {0}")]
    Length(usize),
}

fn der_integer(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let trimmed = bytes.get(start..).unwrap_or_default();
    let needs_pad = trimmed.first().is_none_or(|b| b & 0x80 != 0);
    out.push(0x02);
    let len = trimmed.len() + usize::from(needs_pad);
    // At most 33 bytes for a 32-byte integer: always a short-form length.
    out.push(u8::try_from(len).unwrap_or(0));
    if needs_pad {
        out.push(0x00);
    }
    out.extend_from_slice(trimmed);
}

/// Converts a 64-byte P1363 `r ‖ s` ECDSA P-256 signature to DER
/// (`SEQUENCE { INTEGER r, INTEGER s }`, minimal integers, a leading zero when the high bit is set).
///
/// # Errors
/// [`DerError::Length`] unless the input is 64 bytes.
pub fn p1363_to_der(sig: &[u8]) -> Result<Vec<u8>, DerError> {
    if sig.len() != 64 {
        return Err(DerError::Length(sig.len()));
    }
    let Some((r, s)) = sig.split_at_checked(32) else {
        return Err(DerError::Length(sig.len()));
    };
    let mut body = Vec::with_capacity(70);
    der_integer(&mut body, r);
    der_integer(&mut body, s);
    let mut out = Vec::with_capacity(72);
    out.push(0x30);
    // At most 2 * 35 = 70 bytes: short form.
    out.push(u8::try_from(body.len()).unwrap_or(0));
    out.extend_from_slice(&body);
    Ok(out)
}

/// PKCS#8 `PrivateKeyInfo` for a P-256 key: the fixed prefix up to the private scalar.
const PKCS8_PREFIX: [u8; 36] = [
    0x30, 0x81, 0x87, // SEQUENCE, 135 bytes
    0x02, 0x01, 0x00, // version 0
    0x30, 0x13, // AlgorithmIdentifier
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, // id-ecPublicKey
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, // prime256v1
    0x04, 0x6d, // OCTET STRING, 109 bytes
    0x30, 0x6b, // ECPrivateKey SEQUENCE, 107 bytes
    0x02, 0x01, 0x01, // version 1
    0x04, 0x20, // OCTET STRING, 32 bytes: the scalar follows
];
/// Between the scalar and the 65-byte uncompressed public key: `[1] BIT STRING`.
const PKCS8_PUBLIC_PREFIX: [u8; 5] = [0xa1, 0x44, 0x03, 0x42, 0x00];

/// The PKCS#8 encoding (138 bytes) of a P-256 private key with its uncompressed public key,
/// zeroized when dropped.
#[must_use]
pub fn p256_pkcs8(private: &[u8; 32], public_uncompressed: &[u8; 65]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(138));
    out.extend_from_slice(&PKCS8_PREFIX);
    out.extend_from_slice(private);
    out.extend_from_slice(&PKCS8_PUBLIC_PREFIX);
    out.extend_from_slice(public_uncompressed);
    out
}
