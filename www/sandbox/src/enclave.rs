//! The enclave's work, done for real: BIP-39 mnemonics, BIP-32 derivation, Ethereum addresses,
//! raw-payload and EIP-1559 signing, and the bundles that carry secrets out (PROTOCOL §5, §6).

use alloy_rlp::{Encodable as _, Header};
use bip32::{DerivationPath, XPrv};
use k256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer as _;
use quorum_kit::encoding::{bs58check_encode, hex_encode};
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

/// An account derived from a mnemonic.
pub struct Derived {
    /// The secp256k1 key.
    pub key: SigningKey,
    /// The address in the requested format.
    pub address: String,
    /// Compressed public key, hex.
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

/// Derives the account at `path` (`m/44'/60'/0'/0/0`, …) of `mnemonic`.
///
/// # Errors
/// [`EnclaveError`] for a bad mnemonic or path, or an unsupported curve or address format.
pub fn derive(
    mnemonic: &str,
    curve: &str,
    path: &str,
    address_format: &str,
) -> Result<Derived, EnclaveError> {
    if curve != "CURVE_SECP256K1" {
        return Err(EnclaveError::Unsupported(format!(
            "curve {curve} (only CURVE_SECP256K1)"
        )));
    }
    let m = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, mnemonic)
        .map_err(invalid)?;
    let seed = Zeroizing::new(m.to_seed(""));
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
                "address format {other} (supported: ADDRESS_FORMAT_ETHEREUM, _COMPRESSED, _UNCOMPRESSED)"
            )));
        }
    };
    Ok(Derived {
        key,
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

/// The digest `sign_raw_payload` signs for `payload`, `encoding` and `hash_function`.
///
/// # Errors
/// [`EnclaveError`] for an undecodable payload or an unsupported combination.
pub fn raw_payload_digest(
    payload: &str,
    encoding: &str,
    hash_function: &str,
) -> Result<Vec<u8>, EnclaveError> {
    let bytes = match encoding {
        "PAYLOAD_ENCODING_HEXADECIMAL" => {
            let h = payload.strip_prefix("0x").unwrap_or(payload);
            hex::decode(h).map_err(|e| invalid(format!("payload is not hex: {e}")))?
        }
        "PAYLOAD_ENCODING_TEXT_UTF8" => payload.as_bytes().to_vec(),
        other => {
            return Err(EnclaveError::Unsupported(format!(
                "payload encoding {other}"
            )));
        }
    };
    match hash_function {
        "HASH_FUNCTION_KECCAK256" => Ok(keccak256(&bytes).to_vec()),
        "HASH_FUNCTION_SHA256" => Ok(Sha256::digest(&bytes).to_vec()),
        "HASH_FUNCTION_NO_OP" if bytes.len() == 32 => Ok(bytes),
        "HASH_FUNCTION_NO_OP" => Err(invalid("HASH_FUNCTION_NO_OP needs a 32-byte payload")),
        "HASH_FUNCTION_NOT_APPLICABLE" => Err(invalid(
            "HASH_FUNCTION_NOT_APPLICABLE is for ed25519 keys; secp256k1 needs a hash function",
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
/// signed by the enclave `signer`.
///
/// # Errors
/// [`EnclaveError::Invalid`] if sealing fails.
pub fn export_bundle(
    plaintext: &[u8],
    target: &UncompressedP256,
    organization_id: &str,
    signer: &P256KeyPair,
) -> Result<String, EnclaveError> {
    let (encapped, ciphertext) =
        quorum_kit::bundle::hpke_p256::seal_with_rng(plaintext, target, &mut OsRng)
            .map_err(invalid)?;
    let data = serde_json::json!({
        "encappedPublic": encapped.to_hex(),
        "ciphertext": hex_encode(&ciphertext),
        "organizationId": organization_id,
    })
    .to_string();
    let signature: p256::ecdsa::Signature = signer.signing_key().sign(data.as_bytes());
    Ok(serde_json::json!({
        "version": "v1.0.0",
        "data": hex_encode(data.as_bytes()),
        "dataSignature": hex_encode(signature.to_der().as_bytes()),
        "enclaveQuorumPublic": signer.public_key_uncompressed().to_hex(),
    })
    .to_string())
}

/// A credential bundle (PROTOCOL §6): bs58check(compressed encapped key ‖ ciphertext).
///
/// # Errors
/// [`EnclaveError::Invalid`] if sealing fails.
pub fn credential_bundle(
    plaintext: &[u8],
    target: &UncompressedP256,
) -> Result<String, EnclaveError> {
    let (encapped, ciphertext) =
        quorum_kit::bundle::hpke_p256::seal_with_rng(plaintext, target, &mut OsRng)
            .map_err(invalid)?;
    let mut bytes = encapped.to_compressed().as_bytes().to_vec();
    bytes.extend_from_slice(&ciphertext);
    Ok(bs58check_encode(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let sig = sign_digest(&d.key, &digest).unwrap();
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
        let signed = sign_eip1559(&d.key, &unsigned).unwrap();
        assert_eq!(signed.first(), Some(&0x02));
        assert!(parse_eip1559(&signed).is_err(), "a signed tx has 12 fields");
    }
}
