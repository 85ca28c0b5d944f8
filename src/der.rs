//! Strict DER for the two shapes the kit meets, written here rather than taken from the `der` crate:
//! ECDSA P-256 signatures (Turnkey writes DER; WebCrypto signs and verifies IEEE P1363 `r ‖ s`) and
//! the PKCS#8 wrapping of a P-256 private key (which WebCrypto imports, RFC 5208/5915). Both shapes
//! are fixed, and the `der` crate's general reader and writer, with the error texts and `Debug`
//! impls its panics and errors keep, cost the crypto entry about 15 KB of wasm. The signature codec
//! is differential-tested against p256's own DER (`ecdsa::der::Signature`) in this module's tests.

use p256::ecdsa::Signature;
use zeroize::Zeroizing;

use crate::prelude::*;

/// Why a signature could not be converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DerError {
    /// A P-256 P1363 signature is exactly 64 bytes.
    #[error("a P-256 P1363 signature is 64 bytes, got {0}")]
    Length(usize),
    /// Not a strict DER `SEQUENCE { INTEGER r, INTEGER s }` with minimal, positive integers of at
    /// most 32 bytes and nothing after it.
    #[error("not a strict DER ECDSA P-256 signature")]
    Der,
    /// `r` or `s` is zero or not below the group order.
    #[error("r or s of the ECDSA P-256 signature is out of range")]
    Range,
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

/// `SEQUENCE { INTEGER r, INTEGER s }` of two 32-byte big-endian integers.
fn encode_pair(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(70);
    der_integer(&mut body, r);
    der_integer(&mut body, s);
    let mut out = Vec::with_capacity(72);
    out.push(0x30);
    // At most 2 * 35 = 70 bytes: short form.
    out.push(u8::try_from(body.len()).unwrap_or(0));
    out.extend_from_slice(&body);
    out
}

/// The DER encoding of an ECDSA P-256 signature, as Turnkey writes stamps and enclave signatures.
#[must_use]
pub fn signature_to_der(signature: &Signature) -> Vec<u8> {
    encode_pair(&signature.r().to_bytes(), &signature.s().to_bytes())
}

/// Reads a strict DER ECDSA P-256 signature ([`der_to_p1363`]) with `r` and `s` in range.
///
/// # Errors
/// [`DerError::Der`] for anything that is not strict DER, [`DerError::Range`] when `r` or `s` is
/// zero or not below the group order.
pub fn signature_from_der(der: &[u8]) -> Result<Signature, DerError> {
    Signature::from_slice(&der_to_p1363(der)?).map_err(|_| DerError::Range)
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
    Ok(encode_pair(r, s))
}

/// Reads one strict DER `INTEGER` of at most 32 value bytes, left-padded to 32; returns it and
/// what follows.
fn read_der_integer(input: &[u8]) -> Result<([u8; 32], &[u8]), DerError> {
    let Some((0x02, rest)) = input.split_first() else {
        return Err(DerError::Der);
    };
    let Some((&len, rest)) = rest.split_first() else {
        return Err(DerError::Der);
    };
    // 1..=33 value bytes; a long-form length (0x80 and above) never is.
    let len = usize::from(len);
    if !(1..=33).contains(&len) {
        return Err(DerError::Der);
    }
    let (value, rest) = rest.split_at_checked(len).ok_or(DerError::Der)?;
    let magnitude = match value {
        // Negative: ECDSA's r and s are positive.
        [first, ..] if first & 0x80 != 0 => return Err(DerError::Der),
        // A leading zero only where the next byte has its high bit set (or for zero itself).
        [0, next, ..] if next & 0x80 == 0 => return Err(DerError::Der),
        [0, tail @ ..] if !tail.is_empty() => tail,
        all => all,
    };
    let mut out = [0u8; 32];
    let start = 32usize.checked_sub(magnitude.len()).ok_or(DerError::Der)?;
    out.get_mut(start..)
        .ok_or(DerError::Der)?
        .copy_from_slice(magnitude);
    Ok((out, rest))
}

/// Converts a DER ECDSA P-256 signature (as Turnkey's enclaves write `dataSignature`) to the
/// 64-byte P1363 `r ‖ s` WebCrypto's `verify` takes. Strict: a definite short-form length that
/// covers exactly the two integers, minimal positive integers, no trailing bytes. (WebCrypto
/// given the DER bytes themselves silently verifies `false`.)
///
/// # Errors
/// [`DerError::Der`] for anything that is not such a signature.
pub fn der_to_p1363(der: &[u8]) -> Result<[u8; 64], DerError> {
    let Some((0x30, rest)) = der.split_first() else {
        return Err(DerError::Der);
    };
    let Some((&len, body)) = rest.split_first() else {
        return Err(DerError::Der);
    };
    if usize::from(len) != body.len() || len >= 0x80 {
        return Err(DerError::Der);
    }
    let (r, rest) = read_der_integer(body)?;
    let (s, rest) = read_der_integer(rest)?;
    if !rest.is_empty() {
        return Err(DerError::Der);
    }
    let mut out = [0u8; 64];
    let (left, right) = out.split_at_mut(32);
    left.copy_from_slice(&r);
    right.copy_from_slice(&s);
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

#[cfg(test)]
mod tests {
    use p256::ecdsa::{DerSignature, SigningKey, signature::Signer as _};
    use rand_core::SeedableRng as _;

    use super::*;

    /// p256's own DER reader, the oracle: a signature exactly when ours reads one.
    fn oracle(der: &[u8]) -> Option<Signature> {
        DerSignature::try_from(der)
            .ok()
            .and_then(|d| Signature::try_from(d).ok())
    }

    fn signatures() -> Vec<Signature> {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        (0u32..200)
            .map(|i| {
                let key = SigningKey::random(&mut rng);
                key.sign(&i.to_be_bytes())
            })
            .collect()
    }

    #[test]
    fn writes_what_p256_writes() {
        for sig in signatures() {
            let ours = signature_to_der(&sig);
            assert_eq!(ours, sig.to_der().as_bytes());
            assert_eq!(p1363_to_der(&sig.to_bytes()).unwrap(), ours);
            assert_eq!(
                der_to_p1363(&ours).unwrap().as_slice(),
                sig.to_bytes().as_slice()
            );
            assert_eq!(signature_from_der(&ours).unwrap(), sig);
        }
        // Short integers (leading zero bytes dropped) and high bits (a zero byte added).
        let sizes: std::collections::BTreeSet<usize> = signatures()
            .iter()
            .map(|s| signature_to_der(s).len())
            .collect();
        assert!(sizes.len() >= 3, "{sizes:?}");
    }

    #[test]
    fn reads_exactly_what_p256_reads() {
        let mut cases = 0usize;
        for sig in signatures().into_iter().take(40) {
            let der = signature_to_der(&sig);
            let mut check = |bytes: &[u8]| {
                cases += 1;
                check_one(bytes);
            };
            // Every prefix, and with bytes appended.
            for n in 0..der.len() {
                check(der.get(..n).unwrap());
            }
            check(&[der.as_slice(), &[0]].concat());
            // Every byte set to a few telling values: tags, lengths, signs, padding.
            for i in 0..der.len() {
                for v in [
                    0x00, 0x01, 0x02, 0x1f, 0x20, 0x21, 0x30, 0x44, 0x45, 0x46, 0x7f, 0x80, 0x81,
                    0xff,
                ] {
                    let mut m = der.clone();
                    *m.get_mut(i).unwrap() = v;
                    check(&m);
                }
            }
        }
        // Hand-made edge cases: zero and out-of-range integers, long-form lengths, padding.
        let n = hex::decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
            .unwrap();
        let int = |v: &[u8]| [&[0x02, u8::try_from(v.len()).unwrap()][..], v].concat();
        let seq = |a: &[u8], b: &[u8]| {
            [&[0x30, u8::try_from(a.len() + b.len()).unwrap()][..], a, b].concat()
        };
        let padded_n = [&[0u8][..], &n].concat();
        for bytes in [
            seq(&int(&[1]), &int(&[1])),
            seq(&int(&[0]), &int(&[1])),
            seq(&int(&[1]), &int(&padded_n)),
            seq(&int(&[0, 1]), &int(&[1])),
            seq(&int(&[0x80]), &int(&[1])),
            [&[0x30, 0x81, 0x06][..], &int(&[1]), &int(&[1])].concat(),
            vec![0x30, 0x00],
            vec![],
        ] {
            check_one(&bytes);
        }
        assert!(cases > 10_000, "{cases}");
    }

    fn check_one(bytes: &[u8]) {
        assert_eq!(
            signature_from_der(bytes).ok(),
            oracle(bytes),
            "{}",
            hex::encode(bytes)
        );
    }

    #[test]
    fn p1363_must_be_64_bytes() {
        assert_eq!(p1363_to_der(&[0; 63]), Err(DerError::Length(63)));
        assert_eq!(p1363_to_der(&[0; 65]), Err(DerError::Length(65)));
    }
}
