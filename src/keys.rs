//! P-256 key pairs and the two public-key encodings Turnkey uses: 33-byte compressed SEC1
//! (API keys, `X-Stamp`) and 65-byte uncompressed SEC1 (HPKE target keys, enclave signers).
//!
//! Private keys live in [`P256KeyPair`], which zeroizes on drop (through `p256::SecretKey`)
//! and never prints its secret in `Debug`.

use crate::prelude::*;

use core::fmt;

use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use p256::{PublicKey, SecretKey};
use rand_core::{CryptoRng, RngCore};

use crate::rng::SystemRng;
use zeroize::Zeroizing;

use crate::encoding::{EncodingError, hex_decode, hex_encode};

/// Why a key could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text was not a valid encoding.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// The bytes are not a valid P-256 private scalar (zero, or not below the group order).
    #[error("not a valid P-256 private key")]
    InvalidPrivateKey,
    /// The bytes are not a point on P-256 in the expected encoding.
    #[error("not a valid {0} P-256 public key")]
    InvalidPublicKey(&'static str),
    /// The public key given does not belong to the private key given.
    #[error("the public key does not match the private key")]
    Mismatch,
}

/// A 33-byte compressed SEC1 P-256 public key (`02…`/`03…`), validated to be on the curve.
#[derive(Clone, Copy)]
pub struct CompressedP256([u8; 33], PublicKey);

/// A 65-byte uncompressed SEC1 P-256 public key (`04…`), validated to be on the curve.
#[derive(Clone, Copy)]
pub struct UncompressedP256([u8; 65], PublicKey);

impl PartialEq for CompressedP256 {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for CompressedP256 {}

impl PartialEq for UncompressedP256 {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for UncompressedP256 {}

impl CompressedP256 {
    /// Parses and validates 33 compressed bytes.
    ///
    /// # Errors
    /// [`KeyError::InvalidPublicKey`] unless the bytes are a compressed point on P-256.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let arr: [u8; 33] = bytes
            .try_into()
            .map_err(|_| KeyError::InvalidPublicKey("compressed"))?;
        let key = PublicKey::from_sec1_bytes(&arr)
            .map_err(|_| KeyError::InvalidPublicKey("compressed"))?;
        Ok(Self(arr, key))
    }

    /// Parses and validates hex of 33 compressed bytes.
    ///
    /// # Errors
    /// [`KeyError::Encoding`] for bad hex, [`KeyError::InvalidPublicKey`] for a bad point.
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        Self::from_bytes(&hex_decode(s)?)
    }

    /// The 33 bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 33] {
        &self.0
    }

    /// Lowercase hex, as `X-Stamp` carries it.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }

    /// The same point, uncompressed.
    #[must_use]
    pub fn to_uncompressed(&self) -> UncompressedP256 {
        UncompressedP256::from_public_key(&self.public_key())
    }

    /// The point as a `p256` public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        self.1
    }
}

impl UncompressedP256 {
    /// Parses and validates 65 uncompressed bytes.
    ///
    /// # Errors
    /// [`KeyError::InvalidPublicKey`] unless the bytes are an uncompressed point on P-256.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let arr: [u8; 65] = bytes
            .try_into()
            .map_err(|_| KeyError::InvalidPublicKey("uncompressed"))?;
        let key = PublicKey::from_sec1_bytes(&arr)
            .map_err(|_| KeyError::InvalidPublicKey("uncompressed"))?;
        Ok(Self(arr, key))
    }

    /// Parses and validates hex of 65 uncompressed bytes.
    ///
    /// # Errors
    /// [`KeyError::Encoding`] for bad hex, [`KeyError::InvalidPublicKey`] for a bad point.
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        Self::from_bytes(&hex_decode(s)?)
    }

    /// Encodes a `p256` public key.
    #[must_use]
    pub fn from_public_key(key: &PublicKey) -> Self {
        let point = key.to_encoded_point(false);
        let mut out = [0u8; 65];
        out.copy_from_slice(point.as_bytes());
        Self(out, *key)
    }

    /// The 65 bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 65] {
        &self.0
    }

    /// Lowercase hex, as `targetPublicKey` carries it.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }

    /// The same point, compressed.
    #[must_use]
    pub fn to_compressed(&self) -> CompressedP256 {
        compress(&self.public_key())
    }

    /// The point as a `p256` public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        self.1
    }
}

fn compress(key: &PublicKey) -> CompressedP256 {
    let point = key.to_encoded_point(true);
    let mut out = [0u8; 33];
    out.copy_from_slice(point.as_bytes());
    CompressedP256(out, *key)
}

impl fmt::Debug for CompressedP256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CompressedP256({})", self.to_hex())
    }
}

impl fmt::Debug for UncompressedP256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UncompressedP256({})", self.to_hex())
    }
}

impl fmt::Display for CompressedP256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for UncompressedP256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A P-256 key pair. The private scalar is zeroized on drop and redacted in `Debug`.
/// The public key is derived once, at construction (a scalar multiplication is the costly step).
#[derive(Clone)]
pub struct P256KeyPair {
    secret: SecretKey,
    public: PublicKey,
}

impl P256KeyPair {
    /// A fresh key pair from the operating system's (or the browser's) CSPRNG.
    #[must_use]
    pub fn generate() -> Self {
        Self::generate_with_rng(&mut SystemRng)
    }

    /// A fresh key pair from the given RNG (deterministic tests inject a seeded one).
    #[must_use]
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self::from_secret_key(SecretKey::random(rng))
    }

    /// A key pair from 32 big-endian private-key bytes.
    ///
    /// # Errors
    /// [`KeyError::InvalidPrivateKey`] for the wrong length, zero, or a value not below the order.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() != 32 {
            return Err(KeyError::InvalidPrivateKey);
        }
        SecretKey::from_slice(bytes)
            .map(Self::from_secret_key)
            .map_err(|_| KeyError::InvalidPrivateKey)
    }

    /// A key pair from hex of the 32 private-key bytes.
    ///
    /// # Errors
    /// [`KeyError::Encoding`] for bad hex, [`KeyError::InvalidPrivateKey`] for a bad scalar.
    pub fn from_private_hex(s: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(hex_decode(s)?);
        Self::from_bytes(&bytes)
    }

    /// Wraps a `p256` secret key.
    #[must_use]
    pub fn from_secret_key(secret: SecretKey) -> Self {
        let public = crate::basepoint::public_key(&secret);
        Self { secret, public }
    }

    /// The 32 private-key bytes, zeroized when dropped.
    #[must_use]
    pub fn private_key_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.secret.to_bytes());
        out
    }

    /// The private key as lowercase hex, zeroized when dropped.
    #[must_use]
    pub fn private_key_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex_encode(self.private_key_bytes().as_ref()))
    }

    /// The public key, compressed (what API keys register and `X-Stamp` carries).
    #[must_use]
    pub fn public_key_compressed(&self) -> CompressedP256 {
        compress(&self.public)
    }

    /// The public key, uncompressed (what HPKE target keys are).
    #[must_use]
    pub fn public_key_uncompressed(&self) -> UncompressedP256 {
        UncompressedP256::from_public_key(&self.public)
    }

    /// The `p256` secret key.
    #[must_use]
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret
    }

    /// An ECDSA signing key for this pair.
    #[must_use]
    pub fn signing_key(&self) -> p256::ecdsa::SigningKey {
        p256::ecdsa::SigningKey::from(&self.secret)
    }
}

impl fmt::Debug for P256KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("P256KeyPair")
            .field("public_key", &self.public_key_compressed())
            .field("private_key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng as _;

    const PRIVATE: &str = "9720de87f61537e481f95f4433bed97b9d60719457c4dd20dac4bbf377f59c69";
    const PUBLIC: &str = "02a1d9ee281053cf73c07678d6c1231216e8434f87662b75f08c66882c2f95ee45";

    #[test]
    fn published_key_pairs_derive_their_public_keys() {
        let pair = P256KeyPair::from_private_hex(PRIVATE).unwrap();
        assert_eq!(pair.public_key_compressed().to_hex(), PUBLIC);
        let other = P256KeyPair::from_private_hex(
            "487f361ddfd73440e707f4daa6775b376859e8a3c9f29b3bb694a12927c0213c",
        )
        .unwrap();
        assert_eq!(
            other.public_key_compressed().to_hex(),
            "02f739f8c77b32f4d5f13265861febd76e7a9c61a1140d296b8c16302508870316"
        );
        let receiver = P256KeyPair::from_private_hex(
            "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3",
        )
        .unwrap();
        assert_eq!(
            receiver.public_key_uncompressed().to_hex(),
            "04ead17ab58c90674535f27d6639368b254dceffcf629d4673be13aa231806de7e88d92a9bbda25089ad44488d828ed837e8674b78552e3ac74b9aa7e590e83b04"
        );
    }

    #[test]
    fn compressed_and_uncompressed_agree() {
        let pair = P256KeyPair::generate_with_rng(&mut rand_chacha::ChaCha20Rng::seed_from_u64(7));
        let c = pair.public_key_compressed();
        let u = pair.public_key_uncompressed();
        assert_eq!(c.to_uncompressed(), u);
        assert_eq!(u.to_compressed(), c);
        assert_eq!(CompressedP256::from_hex(&c.to_hex()).unwrap(), c);
        assert_eq!(UncompressedP256::from_hex(&u.to_hex()).unwrap(), u);
    }

    #[test]
    fn bad_keys_are_typed_errors() {
        assert_eq!(
            P256KeyPair::from_bytes(&[0u8; 32]).unwrap_err(),
            KeyError::InvalidPrivateKey
        );
        assert_eq!(
            P256KeyPair::from_bytes(&[1u8; 31]).unwrap_err(),
            KeyError::InvalidPrivateKey
        );
        assert_eq!(
            P256KeyPair::from_bytes(&[0xffu8; 32]).unwrap_err(),
            KeyError::InvalidPrivateKey
        );
        assert!(matches!(
            P256KeyPair::from_private_hex("xyz"),
            Err(KeyError::Encoding(_))
        ));
        let mut not_on_curve = [0u8; 65];
        not_on_curve[0] = 4;
        assert!(UncompressedP256::from_bytes(&not_on_curve).is_err());
        assert!(CompressedP256::from_hex(PUBLIC).unwrap().to_hex() == PUBLIC);
        assert!(CompressedP256::from_bytes(&[2u8; 32]).is_err());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let pair = P256KeyPair::from_private_hex(PRIVATE).unwrap();
        let shown = format!("{pair:?}");
        assert!(!shown.contains(PRIVATE));
        assert!(shown.contains("<redacted>"));
        assert!(shown.contains(PUBLIC));
    }
}
