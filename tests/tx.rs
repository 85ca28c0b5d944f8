//! `tx`: unsigned Ethereum transactions decoded from their bytes, checked against published
//! vectors (EIP-155, EIP-55, a mainnet EIP-1559 transaction) and against `alloy-rlp`'s encoder.

use quorum_kit::tx::{Fee, TxError, TxKind, UnsignedTransaction, decode_unsigned_transaction};

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
