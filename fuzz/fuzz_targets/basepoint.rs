//! The kit's table-driven generator multiplication, public keys and RFC 6979 signatures
//! (`basepoint`) against p256's own as the oracle: the same point for any 32 bytes reduced to a
//! scalar, and for a valid secret key the same public key and the byte-identical signature of
//! the rest of the input (which also verifies).
#![no_main]

use libfuzzer_sys::fuzz_target;
use p256::NistP256;
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::elliptic_curve::Curve as _;
use p256::elliptic_curve::bigint::ArrayEncoding as _;
use p256::elliptic_curve::ops::Reduce;
use p256::{ProjectivePoint, Scalar, SecretKey, U256};
use quorum_kit::basepoint::{mul_generator, public_key, sign};
use sha2::{Digest as _, Sha256};

fuzz_target!(|data: &[u8]| {
    let Some((scalar, message)) = data.split_first_chunk::<32>() else {
        return;
    };
    let k = <Scalar as Reduce<U256>>::reduce_bytes(&(*scalar).into());
    assert_eq!(
        mul_generator(&k).to_affine(),
        (ProjectivePoint::GENERATOR * k).to_affine()
    );
    if let Ok(secret) = SecretKey::from_slice(scalar) {
        assert_eq!(public_key(&secret), secret.public_key());
        let ours = sign(&secret, message);
        // `ecdsa` 0.16 feeds RFC 6979's DRBG the digest unreduced; the kit reduces it (RFC 6979
        // §2.3.4, as noble does). They differ only for a digest at or above the order.
        let digest: [u8; 32] = Sha256::digest(message).into();
        let order: [u8; 32] = NistP256::ORDER.to_be_byte_array().into();
        if digest < order {
            let theirs: Signature = SigningKey::from(&secret).sign(message);
            assert_eq!(ours, theirs, "{}", hex::encode(data));
        }
        VerifyingKey::from(secret.public_key())
            .verify(message, &ours)
            .expect("the signature verifies");
    }
});
