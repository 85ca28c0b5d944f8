//! Multiplication of the P-256 generator through a precomputed table, and the public-key
//! derivation and RFC 6979 ECDSA signature built on it (pure core).
//!
//! Why by hand: `p256` 0.13 multiplies the generator like any other point: `primeorder` 0.13's
//! `mul_by_generator` is its variable-base 4-bit window ladder, 252 doublings and 64 additions
//! ("TODO(tarcieri): precomputed basepoint tables"), which left the kit's key generation and pure
//! stamps 2.5-4.5× slower than noble's, which precomputes. This module adds only the table and
//! its lookup; the point formulas (complete), the field and scalar arithmetic are `p256`'s, the
//! nonce is `rfc6979`'s HMAC-DRBG, and the signature is the ECDSA equation as `ecdsa`'s
//! `sign_prehashed` writes it. Tests check every result against `p256`'s own (points, public keys,
//! byte-identical signatures) and the RFC 6979 A.2.5 vectors.
//!
//! The table: row `i` (0..64) holds `j·16^i·G` for `j` in 1..=15 (960 points, 92 KB), built on
//! first use (960 additions, about three ordinary multiplications) and shared by the process.
//! `k·G` is then the sum over the 64 nibbles `k_i` of `k` of row `i`'s entry `k_i`: 64 complete
//! additions and no doublings. The points stay projective: `p256` 0.13 offers no batched
//! inversion for its field (`BatchNormalize` needs `FieldElement: Invert`), and 960 single
//! inversions would cost more than the table saves.
//!
//! Constant time: every entry of a row is read with a masked select (`subtle`); a nibble is
//! compared, never used as an index or a branch; the additions are complete (a zero nibble adds
//! the identity, which the formulas handle without a branch). The scalar's bytes, the selected
//! entries, the secret key's scalar, the nonce and its inverse are zeroized (the DRBG's state and
//! field temporaries inside `p256` are not, as with `p256`'s own signer).

use alloc::boxed::Box;
use alloc::vec::Vec;

use once_cell::race::OnceBox;
use p256::ecdsa::Signature;
use p256::elliptic_curve::PrimeField;
use p256::elliptic_curve::ops::{Invert, Reduce};
use p256::elliptic_curve::point::AffineCoordinates;
use p256::elliptic_curve::subtle::{ConditionallySelectable, ConstantTimeEq};
use p256::{FieldBytes, NonZeroScalar, ProjectivePoint, PublicKey, Scalar, SecretKey, U256};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Rows of the table: one per 4-bit nibble of a 256-bit scalar.
const ROWS: usize = 64;
/// Entries per row: the nonzero nibble values 1..=15.
const ENTRIES: usize = 15;

/// The table, row-major: entry `i·ENTRIES + (j−1)` is `j·16^i·G`.
static TABLE: OnceBox<Vec<ProjectivePoint>> = OnceBox::new();

fn table() -> &'static [ProjectivePoint] {
    TABLE.get_or_init(|| Box::new(build_table()))
}

fn build_table() -> Vec<ProjectivePoint> {
    let mut points = Vec::with_capacity(ROWS * ENTRIES);
    let mut base = ProjectivePoint::GENERATOR;
    for _ in 0..ROWS {
        let mut point = base;
        for _ in 0..ENTRIES {
            points.push(point);
            point += base;
        }
        // `point` is now 16·base, the next row's base.
        base = point;
    }
    points
}

/// `k·G`, in constant time.
#[must_use]
pub fn mul_generator(k: &Scalar) -> ProjectivePoint {
    let bytes = Zeroizing::new(<[u8; 32]>::from(k.to_bytes()));
    // Nibbles from the least significant end: row `i` takes nibble `i`.
    let nibbles = bytes.iter().rev().flat_map(|b| [b & 0x0f, b >> 4]);
    let mut sum = ProjectivePoint::IDENTITY;
    let mut entry = Zeroizing::new(ProjectivePoint::IDENTITY);
    for (row, nibble) in table().chunks_exact(ENTRIES).zip(nibbles) {
        *entry = ProjectivePoint::IDENTITY;
        for (value, candidate) in (1u8..).zip(row) {
            entry.conditional_assign(candidate, nibble.ct_eq(&value));
        }
        sum += *entry;
    }
    sum
}

/// The public key of a secret key: `d·G` through the table.
#[must_use]
pub fn public_key(secret: &SecretKey) -> PublicKey {
    let d = Zeroizing::new(secret.to_nonzero_scalar());
    let point = mul_generator(&d).to_affine();
    // `d` is nonzero and below the order, so `d·G` is never the identity; `p256`'s own
    // derivation answers the impossible case rather than a panic.
    PublicKey::from_affine(point).unwrap_or_else(|_| secret.public_key())
}

/// ECDSA P-256 over SHA-256 of `message` with RFC 6979 deterministic nonces: the same signature
/// as `p256::ecdsa::SigningKey::sign` (and noble's `p256.sign`, which Turnkey's pure stamper uses).
///
/// The DRBG's message input is the digest reduced modulo the order (RFC 6979 §2.3.4
/// `bits2octets`, as noble does; `ecdsa` 0.16 passes it unreduced, which differs only for a
/// digest at or above the order, probability about 2^-32). If `r` or `s` is zero (probability
/// about 2^-256) the next DRBG output is tried (RFC 6979 §3.2 h.3), as `rfc6979::generate_k`
/// does for an out-of-range candidate.
#[must_use]
pub fn sign(secret: &SecretKey, message: &[u8]) -> Signature {
    let d = Zeroizing::new(secret.to_nonzero_scalar());
    let digest: FieldBytes = Sha256::digest(message);
    let z = <Scalar as Reduce<U256>>::reduce_bytes(&digest);
    let d_bytes = Zeroizing::new(<[u8; 32]>::from(d.to_repr()));
    let mut drbg = rfc6979::HmacDrbg::<Sha256>::new(d_bytes.as_ref(), &z.to_bytes(), &[]);
    loop {
        let mut candidate = Zeroizing::new([0u8; 32]);
        drbg.fill_bytes(candidate.as_mut());
        let Some(k) = Option::<NonZeroScalar>::from(NonZeroScalar::from_repr((*candidate).into()))
        else {
            continue;
        };
        let k = Zeroizing::new(k);
        let r = <Scalar as Reduce<U256>>::reduce_bytes(&mul_generator(&k).to_affine().x());
        let k_inverse = Zeroizing::new(Invert::invert(&*k));
        let s = **k_inverse * (z + r * **d);
        if let Ok(signature) = Signature::from_scalars(r, s) {
            return signature;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::{Signer as _, Verifier as _};
    use p256::ecdsa::{SigningKey, VerifyingKey};
    use rand_chacha::ChaCha20Rng;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    fn scalar_from_be(bytes: [u8; 32]) -> Scalar {
        <Scalar as Reduce<U256>>::reduce_bytes(&bytes.into())
    }

    #[test]
    fn products_match_the_variable_base_ladder() {
        let minus_one = -Scalar::ONE;
        let mut edges = vec![
            Scalar::ZERO,
            Scalar::ONE,
            Scalar::from(2u64),
            Scalar::from(15u64),
            Scalar::from(16u64),
            Scalar::from(17u64),
            Scalar::from(255u64),
            Scalar::from(256u64),
            minus_one,
            minus_one - Scalar::ONE,
        ];
        // Every nibble value in every position (0xff… is above the order, so it is reduced), and
        // 2^252 − 1, which selects entry 15 in every row but the last.
        for value in 0u8..16 {
            edges.push(scalar_from_be([value * 0x11; 32]));
        }
        let mut fifteens = [0xff; 32];
        fifteens[0] = 0x0f;
        edges.push(scalar_from_be(fifteens));
        for shift in 0..256u32 {
            let mut bytes = [0u8; 32];
            bytes[31 - (shift / 8) as usize] = 1 << (shift % 8);
            edges.push(scalar_from_be(bytes));
        }
        let mut rng = ChaCha20Rng::seed_from_u64(6979);
        for _ in 0..500 {
            let mut bytes = [0u8; 32];
            rng.fill_bytes(&mut bytes);
            edges.push(scalar_from_be(bytes));
        }
        for k in edges {
            assert_eq!(
                mul_generator(&k).to_affine(),
                (ProjectivePoint::GENERATOR * k).to_affine(),
                "k = {k:?}"
            );
        }
    }

    #[test]
    fn public_keys_match_p256() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for _ in 0..200 {
            let secret = SecretKey::random(&mut rng);
            assert_eq!(public_key(&secret), secret.public_key());
        }
    }

    #[test]
    fn signatures_are_byte_identical_to_p256_and_verify() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        for i in 0..300usize {
            let secret = SecretKey::random(&mut rng);
            let mut message = vec![0u8; i % 97];
            rng.fill_bytes(&mut message);
            let ours = sign(&secret, &message);
            let theirs: Signature = SigningKey::from(&secret).sign(&message);
            assert_eq!(ours, theirs, "message {i}");
            VerifyingKey::from(secret.public_key())
                .verify(&message, &ours)
                .unwrap();
        }
    }

    /// RFC 6979 A.2.5: P-256, SHA-256, messages "sample" and "test".
    #[test]
    fn rfc6979_vectors() {
        let secret = SecretKey::from_slice(
            &hex::decode("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            hex::encode(public_key(&secret).to_sec1_bytes()),
            "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
        );
        for (message, r, s) in [
            (
                "sample",
                "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
                "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
            ),
            (
                "test",
                "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
                "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
            ),
        ] {
            let signature = sign(&secret, message.as_bytes());
            assert_eq!(
                hex::encode_upper(signature.to_bytes()),
                format!("{r}{s}"),
                "{message}"
            );
        }
    }
}
