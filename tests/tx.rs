//! `tx`: unsigned Ethereum transactions decoded from their bytes, checked against published
//! vectors (EIP-155, EIP-55, a mainnet EIP-1559 transaction) and against `alloy-rlp`'s encoder.
//! Runs natively and in headless Chromium (`cargo test --target wasm32-unknown-unknown`), where
//! `crypto-bigint`'s limbs are 32 bits instead of 64.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use alloy_rlp::{Encodable as _, Header};
use quorum_kit::tx::{
    Fee, TxError, TxKind, UnsignedTransaction, checksum_address, decode_unsigned_transaction,
    decode_unsigned_transaction_bytes, format_units,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore as _, SeedableRng as _};
use sha3::{Digest as _, Keccak256};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// EIP-155's example: nonce 9, gas price 20 gwei, gas 21000, to 0x3535…35, 1 ether, chain 1.
const EIP155_SIGNING_PAYLOAD: &str =
    "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080";
/// The same transaction signed, from EIP-155.
const EIP155_SIGNED: &str = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

#[test]
fn eip155_example() {
    let tx = decode_unsigned_transaction(EIP155_SIGNING_PAYLOAD).unwrap();
    assert_eq!(
        tx,
        UnsignedTransaction {
            kind: TxKind::Legacy,
            chain_id: Some(1),
            nonce: 9,
            to: Some("0x3535353535353535353535353535353535353535".into()),
            value_wei: "1000000000000000000".into(),
            gas_limit: 21000,
            fee: Fee::GasPrice {
                gas_price_wei: "20000000000".into()
            },
            data_len: 0,
            selector: None,
        }
    );
    assert_eq!(tx.value_eth(), "1");
    // Without 0x, and in upper case.
    let bare = EIP155_SIGNING_PAYLOAD.trim_start_matches("0x");
    assert_eq!(decode_unsigned_transaction(bare).unwrap(), tx);
    assert_eq!(
        decode_unsigned_transaction(&format!("0X{}", bare.to_uppercase())).unwrap(),
        tx
    );
}

#[test]
fn eip155_signed_is_refused() {
    let err = decode_unsigned_transaction(EIP155_SIGNED).unwrap_err();
    assert_eq!(err, TxError::Signed);
    assert_eq!(err.js_name(), "SignedTransactionError");
}

#[test]
fn eip155_vectors_hash_as_published() {
    // EIP-155: "signing hash: 0xdaf5a779…", and the signed transaction's own hash is the tx hash.
    let payload = hex::decode(&EIP155_SIGNING_PAYLOAD[2..]).unwrap();
    assert_eq!(
        hex::encode(Keccak256::digest(&payload)),
        "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"
    );
}

// ---------------------------------------------------------------------------------------------
// An independent encoder: `alloy-rlp`'s `Encodable`/`Header::encode` (the decoder under test uses
// only its header *decoder*, and does its own integer, address and field handling).
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum SpecFee {
    GasPrice([u8; 32]),
    Eip1559 { tip: [u8; 32], max: [u8; 32] },
}

/// A transaction as the test means it, encoded by [`Spec::encode`] and predicted by
/// [`Spec::expected`].
#[derive(Debug, Clone)]
struct Spec {
    kind: TxKind,
    chain_id: Option<u64>,
    nonce: u64,
    fee: SpecFee,
    gas: u64,
    to: Option<[u8; 20]>,
    value: [u8; 32],
    data: Vec<u8>,
    access_list: Vec<([u8; 20], Vec<[u8; 32]>)>,
}

fn item(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

/// An RLP integer from 32 big-endian bytes: the minimal byte string.
fn uint256(be: &[u8; 32]) -> Vec<u8> {
    let start = be.iter().position(|b| *b != 0).unwrap_or(32);
    item(|o| be[start..].encode(o))
}

/// An RLP byte string of `len` copies of `byte`.
fn string(len: usize, byte: u8) -> Vec<u8> {
    item(|o| vec![byte; len].as_slice().encode(o))
}

fn list(items: &[Vec<u8>]) -> Vec<u8> {
    let payload = items.concat();
    let mut out = Vec::new();
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    out
}

fn u256_from_u128(n: u128) -> [u8; 32] {
    let mut be = [0u8; 32];
    be[16..].copy_from_slice(&n.to_be_bytes());
    be
}

/// Schoolbook base-256 → base-10, independent of the crate's crypto-bigint conversion.
fn decimal(be: &[u8]) -> String {
    let mut n = be.to_vec();
    let mut digits = Vec::new();
    loop {
        let mut rem = 0u32;
        for b in &mut n {
            let cur = rem * 256 + u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
        if n.iter().all(|b| *b == 0) {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap()
}

impl Spec {
    /// The fields of the unsigned transaction, each RLP-encoded.
    fn fields(&self) -> Vec<Vec<u8>> {
        let nonce = item(|o| self.nonce.encode(o));
        let gas = item(|o| self.gas.encode(o));
        let to = item(|o| self.to.as_ref().map_or(&[][..], |a| &a[..]).encode(o));
        let value = uint256(&self.value);
        let data = item(|o| self.data.as_slice().encode(o));
        let access_list = list(
            &self
                .access_list
                .iter()
                .map(|(address, keys)| {
                    let keys: Vec<Vec<u8>> = keys
                        .iter()
                        .map(|k| item(|o| k.as_slice().encode(o)))
                        .collect();
                    list(&[item(|o| address.as_slice().encode(o)), list(&keys)])
                })
                .collect::<Vec<_>>(),
        );
        let chain = || item(|o| self.chain_id.unwrap().encode(o));
        match (&self.kind, &self.fee) {
            (TxKind::Legacy, SpecFee::GasPrice(price)) => {
                let mut fields = vec![nonce, uint256(price), gas, to, value, data];
                if self.chain_id.is_some() {
                    fields.extend([chain(), vec![0x80], vec![0x80]]);
                }
                fields
            }
            (TxKind::Eip2930, SpecFee::GasPrice(price)) => {
                vec![
                    chain(),
                    nonce,
                    uint256(price),
                    gas,
                    to,
                    value,
                    data,
                    access_list,
                ]
            }
            (TxKind::Eip1559, SpecFee::Eip1559 { tip, max }) => vec![
                chain(),
                nonce,
                uint256(tip),
                uint256(max),
                gas,
                to,
                value,
                data,
                access_list,
            ],
            other => unreachable!("{other:?}"),
        }
    }

    /// `type ‖ rlp(fields ‖ extra)`.
    fn encode_with(&self, extra: &[Vec<u8>]) -> Vec<u8> {
        let mut fields = self.fields();
        fields.extend_from_slice(extra);
        let mut out = match self.kind {
            TxKind::Legacy => vec![],
            TxKind::Eip2930 => vec![0x01],
            TxKind::Eip1559 => vec![0x02],
        };
        out.extend(list(&fields));
        out
    }

    fn encode(&self) -> Vec<u8> {
        self.encode_with(&[])
    }

    fn expected(&self) -> UnsignedTransaction {
        UnsignedTransaction {
            kind: self.kind,
            chain_id: self.chain_id,
            nonce: self.nonce,
            to: self.to.as_ref().map(checksum_address),
            value_wei: decimal(&self.value),
            gas_limit: self.gas,
            fee: match &self.fee {
                SpecFee::GasPrice(p) => Fee::GasPrice {
                    gas_price_wei: decimal(p),
                },
                SpecFee::Eip1559 { tip, max } => Fee::Eip1559 {
                    max_fee_per_gas_wei: decimal(max),
                    max_priority_fee_per_gas_wei: decimal(tip),
                },
            },
            data_len: self.data.len(),
            selector: self.data.get(..4).map(|s| format!("0x{}", hex::encode(s))),
        }
    }
}

/// An ordinary transfer of `kind`.
fn transfer(kind: TxKind) -> Spec {
    Spec {
        kind,
        chain_id: Some(1),
        nonce: 7,
        fee: match kind {
            TxKind::Eip1559 => SpecFee::Eip1559 {
                tip: u256_from_u128(1_000_000_000),
                max: u256_from_u128(30_000_000_000),
            },
            _ => SpecFee::GasPrice(u256_from_u128(20_000_000_000)),
        },
        gas: 21_000,
        to: Some([0x35; 20]),
        value: u256_from_u128(10_000_000_000_000_000),
        data: vec![],
        access_list: vec![],
    }
}

/// A contract call with long data (long-form RLP headers) and an access list.
fn call(kind: TxKind) -> Spec {
    let mut data = hex::decode("a9059cbb").unwrap();
    data.extend([0x11; 64]);
    Spec {
        data,
        access_list: if kind == TxKind::Legacy {
            vec![]
        } else {
            vec![
                ([0xaa; 20], vec![[0x01; 32], [0x02; 32]]),
                ([0xbb; 20], vec![]),
            ]
        },
        ..transfer(kind)
    }
}

fn decode(bytes: &[u8]) -> Result<UnsignedTransaction, TxError> {
    decode_unsigned_transaction(&hex::encode(bytes))
}

// ---------------------------------------------------------------------------------------------
// A mainnet EIP-1559 transaction (0x0ec0b6a2…, a `setApprovalForAll` call), as published with its
// fields and signature (for instance in reth's `recover_signer_eip1559` test).
// ---------------------------------------------------------------------------------------------

fn mainnet_eip1559() -> Spec {
    Spec {
        kind: TxKind::Eip1559,
        chain_id: Some(1),
        nonce: 0x42,
        fee: SpecFee::Eip1559 {
            tip: u256_from_u128(0x3b9a_ca00),
            max: u256_from_u128(0x4_a817_c800),
        },
        gas: 44_386,
        to: Some(
            hex::decode("6069a6c32cf691f5982febae4faf8a6f3ab2f0f6")
                .unwrap()
                .try_into()
                .unwrap(),
        ),
        value: [0; 32],
        data: hex::decode("a22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a0000000000000000000000000000000000000000000000000000000000000000").unwrap(),
        access_list: vec![],
    }
}

#[test]
fn mainnet_eip1559_transaction() {
    let spec = mainnet_eip1559();
    let r =
        hex::decode("840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565").unwrap();
    let s =
        hex::decode("25e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1").unwrap();
    let signed = spec.encode_with(&[
        item(|o| 0u8.encode(o)),
        item(|o| r.as_slice().encode(o)),
        item(|o| s.as_slice().encode(o)),
    ]);
    // The encoder reproduces the published transaction hash, so its unsigned form is right too.
    assert_eq!(
        hex::encode(Keccak256::digest(&signed)),
        "0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0"
    );
    assert_eq!(decode(&signed), Err(TxError::Signed));

    let tx = decode(&spec.encode()).unwrap();
    assert_eq!(tx.kind, TxKind::Eip1559);
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 66);
    assert_eq!(tx.gas_limit, 44_386);
    assert_eq!(
        tx.to.as_deref().map(str::to_lowercase).as_deref(),
        Some("0x6069a6c32cf691f5982febae4faf8a6f3ab2f0f6")
    );
    assert_eq!(tx.value_wei, "0");
    assert_eq!(tx.value_eth(), "0");
    assert_eq!(
        tx.fee,
        Fee::Eip1559 {
            max_fee_per_gas_wei: "20000000000".into(),
            max_priority_fee_per_gas_wei: "1000000000".into(),
        }
    );
    assert_eq!(tx.data_len, 68);
    assert_eq!(tx.selector.as_deref(), Some("0xa22cb465"));
    assert_eq!(tx, spec.expected());
}

#[test]
fn eip2930_and_calls_decode() {
    for kind in [TxKind::Legacy, TxKind::Eip2930, TxKind::Eip1559] {
        for spec in [transfer(kind), call(kind)] {
            let tx = decode(&spec.encode()).unwrap();
            assert_eq!(tx, spec.expected(), "{spec:?}");
        }
        let tx = decode(&call(kind).encode()).unwrap();
        assert_eq!(tx.selector.as_deref(), Some("0xa9059cbb"));
        assert_eq!(tx.data_len, 68);
        assert_eq!(tx.value_eth(), "0.01");
    }
    // Pre-EIP-155 legacy: no chain id.
    let legacy = Spec {
        chain_id: None,
        ..transfer(TxKind::Legacy)
    };
    assert_eq!(decode(&legacy.encode()).unwrap().chain_id, None);
    // Contract creation: empty `to`; 3 bytes of data is no selector.
    let create = Spec {
        to: None,
        data: vec![0x60, 0x80, 0x60],
        ..transfer(TxKind::Eip1559)
    };
    let tx = decode(&create.encode()).unwrap();
    assert_eq!((tx.to, tx.selector, tx.data_len), (None, None, 3));
}

#[test]
fn extremes_decode_exactly() {
    let max = Spec {
        chain_id: Some(u64::MAX),
        nonce: u64::MAX,
        gas: u64::MAX,
        value: [0xff; 32],
        fee: SpecFee::Eip1559 {
            tip: [0xff; 32],
            max: [0xff; 32],
        },
        ..transfer(TxKind::Eip1559)
    };
    let tx = decode(&max.encode()).unwrap();
    let u256_max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    assert_eq!(tx.value_wei, u256_max);
    assert_eq!(
        tx.value_eth(),
        "115792089237316195423570985008687907853269984665640564039457.584007913129639935"
    );
    assert_eq!(
        (tx.nonce, tx.gas_limit, tx.chain_id),
        (u64::MAX, u64::MAX, Some(u64::MAX))
    );
    let zero = Spec {
        chain_id: Some(0),
        nonce: 0,
        gas: 0,
        value: [0; 32],
        fee: SpecFee::GasPrice([0; 32]),
        ..transfer(TxKind::Eip2930)
    };
    let tx = decode(&zero.encode()).unwrap();
    assert_eq!(tx, zero.expected());
    assert_eq!(tx.value_eth(), "0");
    let one_wei = Spec {
        value: u256_from_u128(1),
        ..transfer(TxKind::Legacy)
    };
    assert_eq!(
        decode(&one_wei.encode()).unwrap().value_eth(),
        "0.000000000000000001"
    );
}

// ---------------------------------------------------------------------------------------------
// Property: random transactions of every kind round-trip through the independent encoder.
// ---------------------------------------------------------------------------------------------

fn random_u64(rng: &mut ChaCha8Rng) -> u64 {
    match rng.next_u32() % 65 {
        0 => 0,
        bits => rng.next_u64() >> (64 - bits),
    }
}

fn random_u256(rng: &mut ChaCha8Rng) -> [u8; 32] {
    let mut be = [0u8; 32];
    let len = (rng.next_u32() % 33) as usize;
    rng.fill_bytes(&mut be[32 - len..]);
    be
}

fn random_bytes<const N: usize>(rng: &mut ChaCha8Rng) -> [u8; N] {
    let mut out = [0u8; N];
    rng.fill_bytes(&mut out);
    out
}

fn random_spec(rng: &mut ChaCha8Rng) -> Spec {
    let kind = [TxKind::Legacy, TxKind::Eip2930, TxKind::Eip1559][(rng.next_u32() % 3) as usize];
    let data_len = match rng.next_u32() % 4 {
        0 => 0,
        1 => rng.next_u32() % 5,
        2 => rng.next_u32() % 60,
        _ => rng.next_u32() % 400,
    } as usize;
    let mut data = vec![0u8; data_len];
    rng.fill_bytes(&mut data);
    let access_list = if kind == TxKind::Legacy {
        vec![]
    } else {
        (0..rng.next_u32() % 4)
            .map(|_| {
                let keys = (0..rng.next_u32() % 4).map(|_| random_bytes(rng)).collect();
                (random_bytes(rng), keys)
            })
            .collect()
    };
    Spec {
        kind,
        chain_id: (kind != TxKind::Legacy || !rng.next_u32().is_multiple_of(4))
            .then(|| random_u64(rng)),
        nonce: random_u64(rng),
        fee: if kind == TxKind::Eip1559 {
            SpecFee::Eip1559 {
                tip: random_u256(rng),
                max: random_u256(rng),
            }
        } else {
            SpecFee::GasPrice(random_u256(rng))
        },
        gas: random_u64(rng),
        to: (!rng.next_u32().is_multiple_of(8)).then(|| random_bytes(rng)),
        value: random_u256(rng),
        data,
        access_list,
    }
}

#[test]
fn random_transactions_round_trip() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x7478);
    for _ in 0..3000 {
        let spec = random_spec(&mut rng);
        let bytes = spec.encode();
        let tx = decode_unsigned_transaction_bytes(&bytes);
        assert_eq!(tx, Ok(spec.expected()), "{spec:?}");
        let tx = tx.unwrap();
        // Upper-case hex decodes the same.
        assert_eq!(
            decode_unsigned_transaction(&hex::encode_upper(&bytes)).unwrap(),
            tx
        );
        // The to-address is the EIP-55 form of the bytes.
        if let (Some(shown), Some(raw)) = (&tx.to, &spec.to) {
            assert_eq!(shown.to_lowercase(), format!("0x{}", hex::encode(raw)));
        }
        assert_eq!(tx.value_eth(), format_units(&tx.value_wei, 18));
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed input: typed errors, never a panic.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_truncation_errors() {
    for kind in [TxKind::Legacy, TxKind::Eip2930, TxKind::Eip1559] {
        for spec in [transfer(kind), call(kind)] {
            let bytes = spec.encode();
            for cut in 0..bytes.len() {
                let err = decode_unsigned_transaction_bytes(&bytes[..cut]).unwrap_err();
                if cut == 0 {
                    assert_eq!(err, TxError::Empty);
                }
            }
            let text = hex::encode(&bytes);
            for cut in 0..text.len() {
                assert!(
                    decode_unsigned_transaction(&text[..cut]).is_err(),
                    "{kind:?} cut at {cut}"
                );
            }
            // One byte more is trailing.
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(decode(&longer), Err(TxError::TrailingBytes));
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xbad);
    for kind in [TxKind::Legacy, TxKind::Eip2930, TxKind::Eip1559] {
        let bytes = call(kind).encode();
        for i in 0..bytes.len() {
            for v in [
                0x00,
                0x01,
                0x7f,
                0x80,
                0x81,
                0xb7,
                0xb8,
                0xbf,
                0xc0,
                0xf7,
                0xf8,
                0xff,
                bytes[i] ^ 1,
            ] {
                let mut bad = bytes.clone();
                bad[i] = v;
                let _ = decode_unsigned_transaction_bytes(&bad);
            }
        }
    }
    for _ in 0..20_000 {
        let mut bad = vec![0u8; (rng.next_u32() % 200) as usize];
        rng.fill_bytes(&mut bad);
        if let Some(first) = bad.first_mut() {
            *first = [0x01, 0x02, 0xc0, 0xd0, 0xf8, 0xf9, *first][(rng.next_u32() % 7) as usize];
        }
        let _ = decode_unsigned_transaction_bytes(&bad);
    }
}

/// Replaces field `i` of `spec`'s list with `raw` (already RLP-encoded).
fn with_field(spec: &Spec, i: usize, raw: Vec<u8>) -> Vec<u8> {
    let mut fields = spec.fields();
    fields[i] = raw;
    let mut out = spec.encode()[..usize::from(spec.kind != TxKind::Legacy)].to_vec();
    out.extend(list(&fields));
    out
}

#[test]
fn bad_input_gets_the_right_error() {
    assert_eq!(decode_unsigned_transaction(""), Err(TxError::Empty));
    assert_eq!(decode_unsigned_transaction("0x"), Err(TxError::Empty));
    for bad in ["0x0", "0xzz", "0x0x02", "02 c0", "0xé"] {
        assert!(
            matches!(decode_unsigned_transaction(bad), Err(TxError::Hex(_))),
            "{bad}"
        );
    }
    assert_eq!(
        decode_unsigned_transaction("0x03c0"),
        Err(TxError::UnsupportedType(3))
    );
    assert_eq!(
        decode_unsigned_transaction("00"),
        Err(TxError::UnsupportedType(0))
    );
    assert_eq!(
        decode_unsigned_transaction("7f"),
        Err(TxError::UnsupportedType(0x7f))
    );
    assert_eq!(
        TxError::UnsupportedType(3).js_name(),
        "UnsupportedTransactionTypeError"
    );
    // An RLP string, not a list; a type byte with nothing after it; a non-minimal header.
    assert!(matches!(
        decode_unsigned_transaction("0x80"),
        Err(TxError::Rlp(_))
    ));
    assert!(matches!(
        decode_unsigned_transaction("0x02"),
        Err(TxError::Rlp(_))
    ));
    assert!(matches!(
        decode_unsigned_transaction("0x0280"),
        Err(TxError::Rlp(_))
    ));
    assert!(matches!(
        decode_unsigned_transaction("0xf800"),
        Err(TxError::Rlp(_))
    ));
    assert_eq!(
        decode_unsigned_transaction("0xc0"),
        Err(TxError::FieldCount {
            kind: TxKind::Legacy,
            actual: 0
        })
    );

    let legacy = transfer(TxKind::Legacy);
    let eip1559 = transfer(TxKind::Eip1559);
    let eip2930 = transfer(TxKind::Eip2930);
    use TxError::{BadAddressLength, IntegerTooLarge, Malformed, NonCanonicalInteger};
    #[rustfmt::skip]
    let cases = [
        // Integers: zero is the empty string, no leading zero bytes, and each fits its field.
        (with_field(&legacy, 0, vec![0x00]), NonCanonicalInteger { field: "nonce" }),
        (with_field(&legacy, 4, vec![0x82, 0x00, 0x01]), NonCanonicalInteger { field: "value" }),
        (with_field(&eip1559, 3, vec![0x82, 0x00, 0x05]), NonCanonicalInteger { field: "maxFeePerGas" }),
        (with_field(&legacy, 0, string(9, 1)), IntegerTooLarge { field: "nonce" }),
        (with_field(&eip1559, 0, string(9, 1)), IntegerTooLarge { field: "chainId" }),
        (with_field(&eip1559, 4, string(9, 1)), IntegerTooLarge { field: "gasLimit" }),
        (with_field(&legacy, 4, string(33, 1)), IntegerTooLarge { field: "value" }),
        (with_field(&eip2930, 2, string(33, 1)), IntegerTooLarge { field: "gasPrice" }),
        (with_field(&eip1559, 2, string(33, 1)), IntegerTooLarge { field: "maxPriorityFeePerGas" }),
        // `to`: empty or 20 bytes.
        (with_field(&legacy, 3, string(19, 1)), BadAddressLength),
        (with_field(&eip1559, 5, string(21, 1)), BadAddressLength),
        // Lists where byte strings belong.
        (with_field(&legacy, 3, list(&[])), Malformed { field: "to" }),
        (with_field(&legacy, 5, list(&[])), Malformed { field: "data" }),
        (with_field(&legacy, 0, list(&[])), Malformed { field: "nonce" }),
        // Non-canonical RLP inside the list: a byte below 0x80 wrapped as a 1-byte string.
        (with_field(&legacy, 0, vec![0x81, 0x00]), TxError::Rlp("non-canonical single byte".into())),
        (with_field(&legacy, 0, vec![0x81, 0x05]), TxError::Rlp("non-canonical single byte".into())),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            decode(&bytes),
            Err(expected.clone()),
            "{}",
            hex::encode(&bytes)
        );
        assert_eq!(expected.js_name(), "TransactionDecodeError");
    }

    #[rustfmt::skip]
    let bad_access_lists = [
        vec![0x80],                                                 // a string
        list(&[vec![0x80]]),                                        // an entry that is a string
        list(&[list(&[string(19, 1), list(&[])])]),                 // a 19-byte address
        list(&[list(&[string(20, 1), list(&[string(31, 1)])])]),    // a 31-byte storage key
        list(&[list(&[string(20, 1), list(&[list(&[])])])]),        // a storage key that is a list
        list(&[list(&[string(20, 1), vec![0x80]])]),                // keys that are not a list
        list(&[list(&[string(20, 1), list(&[]), list(&[])])]),      // three parts
        list(&[list(&[string(20, 1)])]),                            // one part
    ];
    for (spec, index) in [(&eip2930, 7), (&eip1559, 8)] {
        for access_list in &bad_access_lists {
            let bytes = with_field(spec, index, access_list.clone());
            assert_eq!(
                decode(&bytes),
                Err(Malformed {
                    field: "accessList"
                }),
                "{}",
                hex::encode(&bytes)
            );
        }
    }
}

#[test]
fn wrong_field_counts_and_signatures() {
    let sig = [item(|o| 1u8.encode(o)), string(32, 7), string(32, 9)];
    // Typed: yParity, r, s appended.
    for kind in [TxKind::Eip2930, TxKind::Eip1559] {
        assert_eq!(
            decode(&transfer(kind).encode_with(&sig)),
            Err(TxError::Signed)
        );
        let n = transfer(kind).fields().len();
        let err = decode(&transfer(kind).encode_with(&sig[..1])).unwrap_err();
        assert_eq!(
            err,
            TxError::FieldCount {
                kind,
                actual: n + 1
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "an unsigned {kind} transaction has {n} fields, this one has {}",
                n + 1
            )
        );
    }
    // Legacy: v, r, s where EIP-155 puts chainId, 0, 0.
    let pre155 = Spec {
        chain_id: None,
        ..transfer(TxKind::Legacy)
    };
    assert_eq!(decode(&pre155.encode_with(&sig)), Err(TxError::Signed));
    let r_only = [item(|o| 37u8.encode(o)), sig[1].clone(), vec![0x80]];
    assert_eq!(decode(&pre155.encode_with(&r_only)), Err(TxError::Signed));
    let s_only = [item(|o| 37u8.encode(o)), vec![0x80], sig[2].clone()];
    assert_eq!(decode(&pre155.encode_with(&s_only)), Err(TxError::Signed));
    assert_eq!(
        decode(&pre155.encode_with(&sig[..1])),
        Err(TxError::FieldCount {
            kind: TxKind::Legacy,
            actual: 7
        })
    );
    // EIP-155 with chainId, 0, 0 is unsigned.
    let eip155 = [item(|o| 5u64.encode(o)), vec![0x80], vec![0x80]];
    assert_eq!(
        decode(&pre155.encode_with(&eip155)).unwrap().chain_id,
        Some(5)
    );
}

#[test]
fn hand_assembled_eip1559_with_access_list() {
    // Assembled byte by byte (also the fuzz seed in scripts/fuzz.sh): chainId 1, nonce 7, tip
    // 1 gwei, max 30 gwei, gas 21000, to 0x35…35, 0.01 ETH, data a9059cbb, one access-list entry.
    let tx = decode_unsigned_transaction(
        "02f86c0107843b9aca008506fc23ac00825208943535353535353535353535353535353535353535872386f26fc1000084a9059cbbf838f7940a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0ae1a00101010101010101010101010101010101010101010101010101010101010101",
    )
    .unwrap();
    assert_eq!(
        tx,
        UnsignedTransaction {
            kind: TxKind::Eip1559,
            chain_id: Some(1),
            nonce: 7,
            to: Some("0x3535353535353535353535353535353535353535".into()),
            value_wei: "10000000000000000".into(),
            gas_limit: 21_000,
            fee: Fee::Eip1559 {
                max_fee_per_gas_wei: "30000000000".into(),
                max_priority_fee_per_gas_wei: "1000000000".into(),
            },
            data_len: 4,
            selector: Some("0xa9059cbb".into()),
        }
    );
    assert_eq!(tx.value_eth(), "0.01");
}
