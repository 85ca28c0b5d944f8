//! The enclave's work, done for real: BIP-39 mnemonics, BIP-32 derivation, Ethereum addresses,
//! raw-payload and EIP-1559 signing, and the bundles that carry secrets out (PROTOCOL §5, §6).

use alloy_rlp::{Encodable as _, Header};
use bip32::{DerivationPath, XPrv};
use k256::ecdsa::SigningKey;
use quorum_kit::encoding::hex_encode;
use quorum_kit::keys::{P256KeyPair, UncompressedP256};
use rand_core::OsRng;
use sha2::{Digest as _, Sha256};
use sha3::Keccak256;
use zeroize::Zeroizing;

/// Why the enclave refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnclaveError {
    /// Invalid input (path, payload, transaction, key).
    #[error("{0}")]
    Invalid(String),
    /// Something the sandbox does not implement.
    #[error("unsupported in this sandbox: {0}")]
    Unsupported(String),
}

fn invalid(e: impl std::fmt::Display) -> EnclaveError {
    EnclaveError::Invalid(e.to_string())
}

/// A fresh English BIP-39 mnemonic of 12, 15, 18, 21 or 24 words.
///
/// # Errors
/// [`EnclaveError::Invalid`] for other lengths.
pub fn generate_mnemonic(words: usize) -> Result<Zeroizing<String>, EnclaveError> {
    if ![12, 15, 18, 21, 24].contains(&words) {
        return Err(invalid(format!(
            "mnemonicLength must be 12, 15, 18, 21 or 24, not {words}"
        )));
    }
    let m = bip39::Mnemonic::generate_in_with(&mut OsRng, bip39::Language::English, words)
        .map_err(invalid)?;
    Ok(Zeroizing::new(m.to_string()))
}

/// A derived private key.
pub enum AccountKey {
    /// secp256k1 (Ethereum and friends).
    Secp256k1(SigningKey),
    /// Ed25519 (Solana), derived with SLIP-10.
    Ed25519(ed25519_dalek::SigningKey),
}

impl AccountKey {
    /// The raw 32-byte private key (what an account export carries).
    #[must_use]
    pub fn private_bytes(&self) -> Zeroizing<Vec<u8>> {
        match self {
            Self::Secp256k1(k) => Zeroizing::new(k.to_bytes().to_vec()),
            Self::Ed25519(k) => Zeroizing::new(k.to_bytes().to_vec()),
        }
    }

    /// The secp256k1 key, or an error naming the operation.
    ///
    /// # Errors
    /// [`EnclaveError::Unsupported`] for an Ed25519 key.
    pub fn secp256k1(&self, what: &str) -> Result<&SigningKey, EnclaveError> {
        match self {
            Self::Secp256k1(k) => Ok(k),
            Self::Ed25519(_) => Err(EnclaveError::Unsupported(format!(
                "{what} with an Ed25519 key"
            ))),
        }
    }

    /// `sign_raw_payload`: ECDSA over the hashed payload for secp256k1 (`r`, `s`, `v`), or
    /// Ed25519 over the payload itself (`HASH_FUNCTION_NOT_APPLICABLE`; `r`, `s` the signature's halves, `v` 0).
    ///
    /// # Errors
    /// [`EnclaveError`] for an undecodable payload or a hash function the curve does not take.
    pub fn sign_raw(
        &self,
        payload: &str,
        encoding: &str,
        hash_function: &str,
    ) -> Result<RecoverableSignature, EnclaveError> {
        match self {
            Self::Secp256k1(k) => {
                sign_digest(k, &raw_payload_digest(payload, encoding, hash_function)?)
            }
            Self::Ed25519(k) => {
                use ed25519_dalek::Signer as _;
                let bytes = ed25519_payload(payload, encoding, hash_function)?;
                let sig = k.sign(&bytes).to_bytes();
                let mut r = [0u8; 32];
                let mut s = [0u8; 32];
                r.copy_from_slice(sig.get(..32).unwrap_or(&[0u8; 32]));
                s.copy_from_slice(sig.get(32..).unwrap_or(&[0u8; 32]));
                Ok(RecoverableSignature { r, s, v: 0 })
            }
        }
    }
}

/// An account derived from a mnemonic.
pub struct Derived {
    /// The private key.
    pub key: AccountKey,
    /// The address in the requested format.
    pub address: String,
    /// The public key, hex (compressed for secp256k1, 32 bytes for Ed25519).
    pub public_key: String,
}

/// Keccak-256.
#[must_use]
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// The EIP-55 checksummed Ethereum address of a secp256k1 key.
#[must_use]
pub fn ethereum_address(key: &k256::ecdsa::VerifyingKey) -> String {
    let point = key.to_encoded_point(false);
    let hash = keccak256(point.as_bytes().get(1..).unwrap_or_default());
    let lower = hex_encode(hash.get(12..).unwrap_or_default());
    let check = hex_encode(&keccak256(lower.as_bytes()));
    let mut out = String::from("0x");
    for (c, h) in lower.chars().zip(check.chars()) {
        let nibble = h.to_digit(16).unwrap_or(0);
        out.push(if c.is_ascii_alphabetic() && nibble >= 8 {
            c.to_ascii_uppercase()
        } else {
            c
        });
    }
    out
}

/// SLIP-10 Ed25519 derivation (hardened indices only), as Solana wallets use it.
fn slip10_ed25519(seed: &[u8], path: &str) -> Result<Zeroizing<[u8; 32]>, EnclaveError> {
    use hmac::{Hmac, Mac as _};
    type HmacSha512 = Hmac<sha2::Sha512>;
    let split = |i: &[u8]| -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
        let mut k = Zeroizing::new([0u8; 32]);
        let mut c = Zeroizing::new([0u8; 32]);
        k.copy_from_slice(i.get(..32).unwrap_or(&[0u8; 32]));
        c.copy_from_slice(i.get(32..64).unwrap_or(&[0u8; 32]));
        (k, c)
    };
    let mut mac = HmacSha512::new_from_slice(b"ed25519 seed").map_err(invalid)?;
    mac.update(seed);
    let (mut key, mut chain) = split(&mac.finalize().into_bytes());
    let mut parts = path.split('/');
    if parts.next() != Some("m") {
        return Err(invalid(format!("path {path:?} must start with m/")));
    }
    for part in parts {
        let index = part
            .strip_suffix('\'')
            .or_else(|| part.strip_suffix('h'))
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n < 0x8000_0000)
            .ok_or_else(|| {
                invalid(format!(
                    "path {path:?}: Ed25519 (SLIP-10) takes hardened indices only, like 0'"
                ))
            })?;
        let mut mac = HmacSha512::new_from_slice(chain.as_ref()).map_err(invalid)?;
        mac.update(&[0u8]);
        mac.update(key.as_ref());
        mac.update(&(index | 0x8000_0000).to_be_bytes());
        (key, chain) = split(&mac.finalize().into_bytes());
    }
    Ok(key)
}

/// Derives the account at `path` (`m/44'/60'/0'/0/0`, `m/44'/501'/0'/0'`, …) of `mnemonic`.
///
/// # Errors
/// [`EnclaveError`] for a bad mnemonic or path, or an unsupported curve or address format.
pub fn derive(
    mnemonic: &str,
    curve: &str,
    path: &str,
    address_format: &str,
) -> Result<Derived, EnclaveError> {
    let m = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, mnemonic)
        .map_err(invalid)?;
    let seed = Zeroizing::new(m.to_seed(""));
    match curve {
        "CURVE_SECP256K1" => {}
        "CURVE_ED25519" => {
            let secret = slip10_ed25519(seed.as_ref(), path)?;
            let key = ed25519_dalek::SigningKey::from_bytes(&secret);
            let public = key.verifying_key().to_bytes();
            let address = match address_format {
                "ADDRESS_FORMAT_SOLANA" => quorum_kit::encoding::bs58_encode(&public),
                other => {
                    return Err(EnclaveError::Unsupported(format!(
                        "address format {other} for CURVE_ED25519 (supported: ADDRESS_FORMAT_SOLANA)"
                    )));
                }
            };
            return Ok(Derived {
                key: AccountKey::Ed25519(key),
                address,
                public_key: hex_encode(&public),
            });
        }
        other => {
            return Err(EnclaveError::Unsupported(format!(
                "curve {other} (supported: CURVE_SECP256K1, CURVE_ED25519)"
            )));
        }
    }
    let path: DerivationPath = path
        .parse()
        .map_err(|e| invalid(format!("path {path:?}: {e}")))?;
    let xprv = XPrv::derive_from_path(seed.as_ref(), &path).map_err(invalid)?;
    let key = xprv.private_key().clone();
    let verifying = *key.verifying_key();
    let public_key = hex_encode(verifying.to_encoded_point(true).as_bytes());
    let address = match address_format {
        "ADDRESS_FORMAT_ETHEREUM" => ethereum_address(&verifying),
        "ADDRESS_FORMAT_COMPRESSED" => public_key.clone(),
        "ADDRESS_FORMAT_UNCOMPRESSED" => hex_encode(verifying.to_encoded_point(false).as_bytes()),
        other => {
            return Err(EnclaveError::Unsupported(format!(
                "address format {other} for CURVE_SECP256K1 (supported: ADDRESS_FORMAT_ETHEREUM, _COMPRESSED, _UNCOMPRESSED)"
            )));
        }
    };
    Ok(Derived {
        key: AccountKey::Secp256k1(key),
        address,
        public_key,
    })
}

/// An ECDSA secp256k1 signature as Turnkey returns it: 64-hex `r`, `s` and `v` `"00"`/`"01"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverableSignature {
    /// r, 32 bytes.
    pub r: [u8; 32],
    /// s, 32 bytes (low-s).
    pub s: [u8; 32],
    /// Recovery id, 0 or 1.
    pub v: u8,
}

/// Signs a 32-byte digest.
///
/// # Errors
/// [`EnclaveError::Invalid`] if the digest is not 32 bytes.
pub fn sign_digest(key: &SigningKey, digest: &[u8]) -> Result<RecoverableSignature, EnclaveError> {
    if digest.len() != 32 {
        return Err(invalid("the digest to sign must be 32 bytes"));
    }
    let (sig, recid) = key.sign_prehash_recoverable(digest).map_err(invalid)?;
    let (sig, recid) = match sig.normalize_s() {
        Some(low) => (
            low,
            k256::ecdsa::RecoveryId::new(!recid.is_y_odd(), recid.is_x_reduced()),
        ),
        None => (sig, recid),
    };
    let bytes = sig.to_bytes();
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(bytes.get(..32).unwrap_or(&[0u8; 32]));
    s.copy_from_slice(bytes.get(32..).unwrap_or(&[0u8; 32]));
    Ok(RecoverableSignature {
        r,
        s,
        v: recid.to_byte(),
    })
}

fn payload_bytes(payload: &str, encoding: &str) -> Result<Vec<u8>, EnclaveError> {
    match encoding {
        "PAYLOAD_ENCODING_HEXADECIMAL" => {
            let h = payload.strip_prefix("0x").unwrap_or(payload);
            hex::decode(h).map_err(|e| invalid(format!("payload is not hex: {e}")))
        }
        "PAYLOAD_ENCODING_TEXT_UTF8" => Ok(payload.as_bytes().to_vec()),
        other => Err(EnclaveError::Unsupported(format!(
            "payload encoding {other}"
        ))),
    }
}

/// The bytes an Ed25519 `sign_raw_payload` signs (the payload itself).
fn ed25519_payload(
    payload: &str,
    encoding: &str,
    hash_function: &str,
) -> Result<Vec<u8>, EnclaveError> {
    if hash_function != "HASH_FUNCTION_NOT_APPLICABLE" {
        return Err(invalid(format!(
            "Ed25519 signs the payload itself: hashFunction must be HASH_FUNCTION_NOT_APPLICABLE, not {hash_function}"
        )));
    }
    payload_bytes(payload, encoding)
}

/// Checks `sign_raw_payload` parameters for a key on `curve` without signing.
///
/// # Errors
/// [`EnclaveError`] as signing would.
pub fn check_raw_payload(
    curve: &str,
    payload: &str,
    encoding: &str,
    hash_function: &str,
) -> Result<(), EnclaveError> {
    if curve == "CURVE_ED25519" {
        ed25519_payload(payload, encoding, hash_function).map(|_| ())
    } else {
        raw_payload_digest(payload, encoding, hash_function).map(|_| ())
    }
}

/// The digest a secp256k1 `sign_raw_payload` signs for `payload`, `encoding` and `hash_function`.
///
/// # Errors
/// [`EnclaveError`] for an undecodable payload or an unsupported combination.
pub fn raw_payload_digest(
    payload: &str,
    encoding: &str,
    hash_function: &str,
) -> Result<Vec<u8>, EnclaveError> {
    let bytes = payload_bytes(payload, encoding)?;
    match hash_function {
        "HASH_FUNCTION_KECCAK256" => Ok(keccak256(&bytes).to_vec()),
        "HASH_FUNCTION_SHA256" => Ok(Sha256::digest(&bytes).to_vec()),
        "HASH_FUNCTION_NO_OP" if bytes.len() == 32 => Ok(bytes),
        "HASH_FUNCTION_NO_OP" => Err(invalid("HASH_FUNCTION_NO_OP needs a 32-byte payload")),
        "HASH_FUNCTION_NOT_APPLICABLE" => Err(invalid(
            "HASH_FUNCTION_NOT_APPLICABLE is for Ed25519 keys; secp256k1 needs a hash function",
        )),
        other => Err(EnclaveError::Unsupported(format!("hash function {other}"))),
    }
}

/// The fields of an unsigned EIP-1559 transaction the platform's rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eip1559 {
    /// Chain id.
    pub chain_id: u128,
    /// Recipient, lowercase `0x…`, or `None` for contract creation.
    pub to: Option<String>,
    /// Value in wei.
    pub value: u128,
    /// The raw RLP items (9 for an unsigned transaction).
    items: Vec<Vec<u8>>,
    /// The list payload (items concatenated).
    payload: Vec<u8>,
}

fn rlp_item(buf: &mut &[u8]) -> Result<(Vec<u8>, Header, Vec<u8>), EnclaveError> {
    let start: &[u8] = buf;
    let header = Header::decode(buf).map_err(|e| invalid(format!("RLP: {e}")))?;
    let head_len = start.len() - buf.len();
    let body = buf
        .get(..header.payload_length)
        .ok_or_else(|| invalid("RLP: item runs past the end"))?
        .to_vec();
    *buf = buf.get(header.payload_length..).unwrap_or_default();
    let raw = start
        .get(..head_len + header.payload_length)
        .ok_or_else(|| invalid("RLP: item runs past the end"))?
        .to_vec();
    Ok((raw, header, body))
}

fn be_u128(bytes: &[u8], what: &str) -> Result<u128, EnclaveError> {
    if bytes.len() > 16 {
        return Err(invalid(format!(
            "{what} is larger than this sandbox handles (2^128)"
        )));
    }
    Ok(bytes
        .iter()
        .fold(0u128, |acc, b| (acc << 8) | u128::from(*b)))
}

/// Parses `0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])`.
///
/// # Errors
/// [`EnclaveError`] for anything that is not an unsigned type-2 transaction.
pub fn parse_eip1559(unsigned: &[u8]) -> Result<Eip1559, EnclaveError> {
    let (kind, mut rest) = unsigned
        .split_first()
        .ok_or_else(|| invalid("empty transaction"))?;
    if *kind != 0x02 {
        return Err(EnclaveError::Unsupported(format!(
            "transaction type 0x{kind:02x} (only EIP-1559 type 0x02)"
        )));
    }
    let (_, header, payload) = rlp_item(&mut rest)?;
    if !header.list || !rest.is_empty() {
        return Err(invalid("the transaction is not a single RLP list"));
    }
    let mut cursor: &[u8] = &payload;
    let mut items = Vec::new();
    let mut bodies = Vec::new();
    while !cursor.is_empty() {
        let (raw, h, body) = rlp_item(&mut cursor)?;
        items.push(raw);
        bodies.push((h.list, body));
    }
    if items.len() != 9 {
        return Err(invalid(format!(
            "an unsigned EIP-1559 transaction has 9 fields, this one has {}",
            items.len()
        )));
    }
    let field = |i: usize| bodies.get(i).map(|(_, b)| b.as_slice()).unwrap_or_default();
    let to = match field(5) {
        [] => None,
        addr if addr.len() == 20 => Some(format!("0x{}", hex_encode(addr))),
        _ => return Err(invalid("`to` must be 20 bytes or empty")),
    };
    Ok(Eip1559 {
        chain_id: be_u128(field(0), "chainId")?,
        to,
        value: be_u128(field(6), "value")?,
        items,
        payload,
    })
}

fn rlp_uint(bytes: &[u8], out: &mut Vec<u8>) {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default().encode(out);
}

/// Signs an unsigned EIP-1559 transaction and returns the signed serialization
/// `0x02 || rlp([…9 fields, yParity, r, s])`.
///
/// # Errors
/// [`EnclaveError`] for anything but an unsigned type-2 transaction.
pub fn sign_eip1559(key: &SigningKey, unsigned: &[u8]) -> Result<Vec<u8>, EnclaveError> {
    let tx = parse_eip1559(unsigned)?;
    let sig = sign_digest(key, &keccak256(unsigned))?;
    let mut payload = tx.payload.clone();
    debug_assert_eq!(tx.items.concat(), tx.payload);
    sig.v.encode(&mut payload);
    rlp_uint(&sig.r, &mut payload);
    rlp_uint(&sig.s, &mut payload);
    let mut out = vec![0x02];
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    Ok(out)
}

/// A v1.0.0 export bundle (PROTOCOL §5): `plaintext` sealed to `target` with HPKE, the data
/// signed by the enclave `signer` (the kit core's enclave side).
///
/// # Errors
/// [`EnclaveError::Invalid`] if sealing fails.
pub fn export_bundle(
    plaintext: &[u8],
    target: &UncompressedP256,
    organization_id: &str,
    signer: &P256KeyPair,
) -> Result<String, EnclaveError> {
    quorum_kit::bundle::enclave::seal_export_bundle_with_rng(
        plaintext,
        target,
        organization_id,
        signer,
        &mut OsRng,
    )
    .map_err(invalid)
}

/// A credential bundle (PROTOCOL §6): bs58check(compressed encapped key ‖ ciphertext).
///
/// # Errors
/// [`EnclaveError::Invalid`] if sealing fails.
pub fn credential_bundle(
    plaintext: &[u8],
    target: &UncompressedP256,
) -> Result<String, EnclaveError> {
    quorum_kit::bundle::enclave::seal_credential_bundle_with_rng(plaintext, target, &mut OsRng)
        .map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slip10_ed25519_test_vector_1() {
        // SLIP-0010, test vector 1 for ed25519 (seed 000102…0f).
        let seed = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        assert_eq!(
            hex::encode(*slip10_ed25519(&seed, "m").unwrap()),
            "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"
        );
        assert_eq!(
            hex::encode(*slip10_ed25519(&seed, "m/0'").unwrap()),
            "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"
        );
    }

    #[test]
    fn solana_derivation_matches_slip10_wallets() {
        // The same mnemonic in Phantom/Solflare derives this first account (m/44'/501'/0'/0').
        let d = derive(
            MNEMONIC,
            "CURVE_ED25519",
            "m/44'/501'/0'/0'",
            "ADDRESS_FORMAT_SOLANA",
        )
        .unwrap();
        assert_eq!(d.public_key.len(), 64);
        assert_eq!(
            quorum_kit::encoding::bs58_encode(&hex::decode(&d.public_key).unwrap()),
            d.address
        );
        assert!(
            derive(
                MNEMONIC,
                "CURVE_ED25519",
                "m/44'/501'/0'/0",
                "ADDRESS_FORMAT_SOLANA"
            )
            .is_err()
        );
        let sig = d
            .key
            .sign_raw(
                "68690a",
                "PAYLOAD_ENCODING_HEXADECIMAL",
                "HASH_FUNCTION_NOT_APPLICABLE",
            )
            .unwrap();
        let AccountKey::Ed25519(k) = &d.key else {
            panic!()
        };
        let mut bytes = sig.r.to_vec();
        bytes.extend_from_slice(&sig.s);
        let signature = ed25519_dalek::Signature::from_slice(&bytes).unwrap();
        k.verifying_key()
            .verify_strict(b"hi\n", &signature)
            .unwrap();
        assert!(
            d.key
                .sign_raw("00", "PAYLOAD_ENCODING_HEXADECIMAL", "HASH_FUNCTION_SHA256")
                .is_err()
        );
    }

    const MNEMONIC: &str = "test test test test test test test test test test test junk";

    #[test]
    fn derives_the_well_known_hardhat_address() {
        let d = derive(
            MNEMONIC,
            "CURVE_SECP256K1",
            "m/44'/60'/0'/0/0",
            "ADDRESS_FORMAT_ETHEREUM",
        )
        .unwrap();
        assert_eq!(d.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }

    #[test]
    fn signatures_recover_to_the_signer() {
        let d = derive(
            MNEMONIC,
            "CURVE_SECP256K1",
            "m/44'/60'/0'/0/0",
            "ADDRESS_FORMAT_ETHEREUM",
        )
        .unwrap();
        let digest = raw_payload_digest(
            "0x68656c6c6f",
            "PAYLOAD_ENCODING_HEXADECIMAL",
            "HASH_FUNCTION_KECCAK256",
        )
        .unwrap();
        let sig = sign_digest(d.key.secp256k1("test").unwrap(), &digest).unwrap();
        let mut rs = sig.r.to_vec();
        rs.extend_from_slice(&sig.s);
        let signature = k256::ecdsa::Signature::from_slice(&rs).unwrap();
        assert!(signature.normalize_s().is_none(), "low-s");
        let recovered = k256::ecdsa::VerifyingKey::recover_from_prehash(
            &digest,
            &signature,
            k256::ecdsa::RecoveryId::from_byte(sig.v).unwrap(),
        )
        .unwrap();
        assert_eq!(ethereum_address(&recovered), d.address);
    }

    #[test]
    fn eip1559_round_trip() {
        // chainId 1, nonce 0, tip 1 gwei, max 2 gwei, gas 21000, to, value 1 wei, data empty, accessList empty.
        let mut payload = Vec::new();
        1u8.encode(&mut payload);
        0u8.encode(&mut payload);
        1_000_000_000u64.encode(&mut payload);
        2_000_000_000u64.encode(&mut payload);
        21_000u64.encode(&mut payload);
        [0x11u8; 20].as_slice().encode(&mut payload);
        1u8.encode(&mut payload);
        b"".as_slice().encode(&mut payload);
        Header {
            list: true,
            payload_length: 0,
        }
        .encode(&mut payload);
        let mut unsigned = vec![0x02];
        Header {
            list: true,
            payload_length: payload.len(),
        }
        .encode(&mut unsigned);
        unsigned.extend_from_slice(&payload);
        let tx = parse_eip1559(&unsigned).unwrap();
        assert_eq!(tx.value, 1);
        assert_eq!(
            tx.to.as_deref(),
            Some("0x1111111111111111111111111111111111111111")
        );
        let d = derive(
            MNEMONIC,
            "CURVE_SECP256K1",
            "m/44'/60'/0'/0/0",
            "ADDRESS_FORMAT_ETHEREUM",
        )
        .unwrap();
        let signed = sign_eip1559(d.key.secp256k1("test").unwrap(), &unsigned).unwrap();
        assert_eq!(signed.first(), Some(&0x02));
        assert!(parse_eip1559(&signed).is_err(), "a signed tx has 12 fields");
    }
}
