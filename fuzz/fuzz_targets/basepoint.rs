//! The kit's table-driven generator multiplication, public keys and RFC 6979 signatures
//! (`basepoint`) against p256's own as the oracle: the same point for any 32 bytes reduced to a
//! scalar, and for a valid secret key the same public key and the byte-identical signature of
//! the rest of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::ops::Reduce;
use p256::{ProjectivePoint, Scalar, SecretKey, U256};
use quorum_kit::basepoint::{mul_generator, public_key, sign};

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
        let theirs: Signature = SigningKey::from(&secret).sign(message);
        assert_eq!(sign(&secret, message), theirs, "{}", hex::encode(data));
    }
});
