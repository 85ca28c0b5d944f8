//! The one HPKE suite Turnkey uses (RFC 9180, base mode): DHKEM(P-256, HKDF-SHA256),
//! HKDF-SHA256, AES-256-GCM, `info = "turnkey_hpke"`, one message (sequence 0), and
//! AAD = encapped public key (65 B) ‖ receiver public key (65 B).

use crate::prelude::*;

use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::DhP256HkdfSha256;
use hpke::{Deserializable as _, Kem as _, OpModeR, OpModeS, Serializable as _};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::BundleError;
use crate::keys::{P256KeyPair, UncompressedP256};

type Kem = DhP256HkdfSha256;

/// The HPKE `info` string.
pub const INFO: &[u8] = b"turnkey_hpke";

fn aad(encapped: &UncompressedP256, receiver: &UncompressedP256) -> [u8; 130] {
    let mut out = [0u8; 130];
    let (left, right) = out.split_at_mut(65);
    left.copy_from_slice(encapped.as_bytes());
    right.copy_from_slice(receiver.as_bytes());
    out
}

/// Opens one message sealed to `receiver`. Any failure is the opaque [`BundleError::Decryption`].
///
/// # Errors
/// [`BundleError::Decryption`] for a wrong key or altered ciphertext or encapped key.
pub fn open(
    encapped: &UncompressedP256,
    ciphertext: &[u8],
    receiver: &P256KeyPair,
) -> Result<Zeroizing<Vec<u8>>, BundleError> {
    let secret = receiver.private_key_bytes();
    let sk = <Kem as hpke::Kem>::PrivateKey::from_bytes(secret.as_ref())
        .map_err(|_| BundleError::Decryption)?;
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped.as_bytes())
        .map_err(|_| BundleError::Decryption)?;
    let aad = aad(encapped, &receiver.public_key_uncompressed());
    hpke::single_shot_open::<AesGcm256, HkdfSha256, Kem>(
        &OpModeR::Base,
        &sk,
        &enc,
        INFO,
        ciphertext,
        &aad,
    )
    .map(Zeroizing::new)
    .map_err(|_| BundleError::Decryption)
}

/// Seals one message to `target` with a fresh ephemeral key from `rng`; returns the encapped
/// key and the ciphertext.
///
/// # Errors
/// [`BundleError::InvalidInput`] if HPKE refuses the target key (never for a validated point).
pub fn seal_with_rng<R: RngCore + CryptoRng>(
    plaintext: &[u8],
    target: &UncompressedP256,
    rng: &mut R,
) -> Result<(UncompressedP256, Vec<u8>), BundleError> {
    let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(target.as_bytes())
        .map_err(|e| BundleError::InvalidInput(e.to_string()))?;
    let (enc, mut ctx) =
        hpke::setup_sender::<AesGcm256, HkdfSha256, Kem, R>(&OpModeS::Base, &pk, INFO, rng)
            .map_err(|e| BundleError::InvalidInput(e.to_string()))?;
    let encapped = UncompressedP256::from_bytes(&enc.to_bytes())?;
    let ciphertext = ctx
        .seal(plaintext, &aad(&encapped, target))
        .map_err(|e| BundleError::InvalidInput(e.to_string()))?;
    Ok((encapped, ciphertext))
}

/// RFC 9180 §7.1.3 `DeriveKeyPair(ikm)` for DHKEM(P-256): how some of Turnkey's clients make
/// their embedded key from seed material (PROTOCOL §7 C).
///
/// # Errors
/// [`BundleError::InvalidInput`] if the derived scalar is rejected (probability ~2^-256).
pub fn derive_key_pair(ikm: &[u8]) -> Result<P256KeyPair, BundleError> {
    let (sk, _) = Kem::derive_keypair(ikm);
    let bytes = Zeroizing::new(sk.to_bytes().to_vec());
    P256KeyPair::from_bytes(&bytes).map_err(BundleError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng as _;

    #[test]
    fn seal_then_open_round_trips_and_binds_the_receiver() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let receiver = P256KeyPair::generate_with_rng(&mut rng);
        let other = P256KeyPair::generate_with_rng(&mut rng);
        let (enc, ct) =
            seal_with_rng(b"secret", &receiver.public_key_uncompressed(), &mut rng).unwrap();
        assert_eq!(open(&enc, &ct, &receiver).unwrap().as_slice(), b"secret");
        assert_eq!(open(&enc, &ct, &other), Err(BundleError::Decryption));
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert_eq!(open(&enc, &bad, &receiver), Err(BundleError::Decryption));
    }

    #[test]
    fn derive_key_pair_matches_protocol_vector_c() {
        let ikm = hex::decode("c8e5d3ccbf8c4e62e3bcb984681ce6dda950939905754902a394c1fc2b5c6a9e")
            .unwrap();
        let pair = derive_key_pair(&ikm).unwrap();
        assert_eq!(
            pair.private_key_hex().as_str(),
            "d2d9239a4bb25d09a6d91822e1d0991f0b21a63b102191bb98b6b77ac6fc6c91"
        );
    }
}
