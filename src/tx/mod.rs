//! Decoding an unsigned Ethereum transaction from its bytes, so that an approval screen shows
//! what is being signed as the bytes say it, never as labels a host supplied.
//!
//! Follows:
//! - the Yellow Paper's legacy transaction, `rlp([nonce, gasPrice, gasLimit, to, value, data])`;
//! - [EIP-155]: the legacy signing payload with replay protection,
//!   `rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])`;
//! - [EIP-2718] typed envelopes `TransactionType ‖ TransactionPayload`, of which
//!   - [EIP-2930]: `0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList])`,
//!   - [EIP-1559]: `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to,
//!     value, data, accessList])`;
//! - [EIP-55] for the checksummed `to` address.
//!
//! Decoding is strict: canonical RLP only (integers without leading zero bytes, minimal headers),
//! `to` empty or exactly 20 bytes, access lists `[[address, [storageKey, …]], …]` with 20-byte
//! addresses and 32-byte keys, nothing after the list, and no signature: a signed transaction is
//! [`TxError::Signed`]. Nonce, gas limit and chain id must fit 64 bits (EIP-2681 caps the nonce
//! there); amounts and fees are 256-bit and come out as exact decimal strings.
//!
//! ```
//! use quorum_kit::tx::{Fee, TxKind, decode_unsigned_transaction};
//!
//! // EIP-155's example signing payload.
//! let tx = decode_unsigned_transaction(
//!     "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
//! )?;
//! assert_eq!(tx.kind, TxKind::Legacy);
//! assert_eq!(tx.chain_id, Some(1));
//! assert_eq!(tx.to.as_deref(), Some("0x3535353535353535353535353535353535353535"));
//! assert_eq!(tx.value_eth(), "1");
//! assert_eq!(tx.fee, Fee::GasPrice { gas_price_wei: "20000000000".into() });
//! # Ok::<(), quorum_kit::tx::TxError>(())
//! ```
//!
//! [EIP-155]: https://eips.ethereum.org/EIPS/eip-155
//! [EIP-2718]: https://eips.ethereum.org/EIPS/eip-2718
//! [EIP-2930]: https://eips.ethereum.org/EIPS/eip-2930
//! [EIP-1559]: https://eips.ethereum.org/EIPS/eip-1559
//! [EIP-55]: https://eips.ethereum.org/EIPS/eip-55

use crate::prelude::*;

mod address;
mod error;
mod rlp;
mod units;

use core::fmt;

pub use address::checksum_address;
pub use error::TxError;
pub use units::{MAX_DECIMALS, format_units};

use rlp::{Item, list_items, next_item};

/// The transaction's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    /// An untyped transaction (before EIP-2718), with or without EIP-155 replay protection.
    Legacy,
    /// EIP-2930, type `0x01`: gas price plus an access list.
    Eip2930,
    /// EIP-1559, type `0x02`: priority fee and fee cap.
    Eip1559,
}

impl TxKind {
    /// How many fields the unsigned form has, as words for messages.
    fn unsigned_field_counts(self) -> &'static str {
        match self {
            Self::Legacy => "6 (or 9 with EIP-155)",
            Self::Eip2930 => "8",
            Self::Eip1559 => "9",
        }
    }
}

impl fmt::Display for TxKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Legacy => "legacy",
            Self::Eip2930 => "EIP-2930",
            Self::Eip1559 => "EIP-1559",
        })
    }
}

/// What the transaction offers to pay for gas, in wei per gas, as exact decimal strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fee {
    /// Legacy and EIP-2930: one price per gas.
    GasPrice {
        /// `gasPrice`.
        gas_price_wei: String,
    },
    /// EIP-1559: a cap on the total price per gas and on the tip within it.
    Eip1559 {
        /// `maxFeePerGas`.
        max_fee_per_gas_wei: String,
        /// `maxPriorityFeePerGas`.
        max_priority_fee_per_gas_wei: String,
    },
}

/// An unsigned transaction as its bytes state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsignedTransaction {
    /// The format.
    pub kind: TxKind,
    /// The chain the transaction is bound to; `None` for a legacy transaction without EIP-155
    /// (valid on every chain that accepts it).
    pub chain_id: Option<u64>,
    /// The sender's nonce.
    pub nonce: u64,
    /// The recipient, EIP-55 checksummed (`0x…`); `None` for a contract creation.
    pub to: Option<String>,
    /// The amount sent, in wei, as an exact decimal integer (up to 2^256 − 1).
    pub value_wei: String,
    /// The most gas the transaction may use.
    pub gas_limit: u64,
    /// The gas price or EIP-1559 fees.
    pub fee: Fee,
    /// The length of the call data (or init code, for a contract creation), in bytes.
    pub data_len: usize,
    /// `0x` and the first 4 bytes of the data in hex (the function selector of a contract call),
    /// when the data has at least 4 bytes.
    pub selector: Option<String>,
}

impl UnsignedTransaction {
    /// The amount sent in ETH as an exact decimal (`"0.01"`, `"1"`, `"0.000000000000000001"`).
    #[must_use]
    pub fn value_eth(&self) -> String {
        format_units(&self.value_wei, 18)
    }
}

/// Decodes an unsigned transaction from hex, with or without `0x`, in any case.
///
/// # Errors
/// [`TxError::Hex`] for input that is not hex, otherwise as
/// [`decode_unsigned_transaction_bytes`].
pub fn decode_unsigned_transaction(hex: &str) -> Result<UnsignedTransaction, TxError> {
    let digits = hex
        .strip_prefix("0x")
        .or_else(|| hex.strip_prefix("0X"))
        .unwrap_or(hex);
    let bytes = hex::decode(digits).map_err(|e| TxError::Hex(e.to_string()))?;
    decode_unsigned_transaction_bytes(&bytes)
}

/// Decodes an unsigned transaction from its bytes (what is hashed for signing).
///
/// # Errors
/// [`TxError::Empty`] for no bytes, [`TxError::UnsupportedType`] for a typed transaction other
/// than `0x01`/`0x02`, [`TxError::Signed`] for a transaction with a signature, and the other
/// [`TxError`] variants for bytes that are not a canonical unsigned transaction.
pub fn decode_unsigned_transaction_bytes(bytes: &[u8]) -> Result<UnsignedTransaction, TxError> {
    // EIP-2718: a first byte in [0, 0x7f] is a transaction type; [0xc0, 0xfe] starts a legacy
    // transaction's RLP list.
    let (kind, mut rest) = match bytes.split_first() {
        None => return Err(TxError::Empty),
        Some((0x01, rest)) => (TxKind::Eip2930, rest),
        Some((0x02, rest)) => (TxKind::Eip1559, rest),
        Some((&ty, _)) if ty <= 0x7f => return Err(TxError::UnsupportedType(ty)),
        Some(_) => (TxKind::Legacy, bytes),
    };
    let outer = next_item(&mut rest)?;
    if !outer.list {
        return Err(TxError::Rlp("a transaction is an RLP list".into()));
    }
    if !rest.is_empty() {
        return Err(TxError::TrailingBytes);
    }
    let items = list_items(outer.payload)?;
    use TxKind::{Eip1559, Eip2930, Legacy};
    let (chain_id, fee, body) = match (kind, items.as_slice()) {
        (Legacy, [nonce, price, gas, to, value, data]) => {
            let fee = gas_price_fee(price)?;
            (None, fee, Body::new(nonce, gas, to, value, data))
        }
        (Legacy, [nonce, price, gas, to, value, data, chain, r, s]) => {
            // EIP-155: the signing payload carries `chainId, 0, 0` where a signed transaction
            // carries `v, r, s`.
            if !r.uint("r", 32)?.is_empty() || !s.uint("s", 32)?.is_empty() {
                return Err(TxError::Signed);
            }
            let fee = gas_price_fee(price)?;
            let chain_id = Some(chain.u64("chainId")?);
            (chain_id, fee, Body::new(nonce, gas, to, value, data))
        }
        (Eip2930, [chain, nonce, price, gas, to, value, data, access]) => {
            check_access_list(access)?;
            let fee = gas_price_fee(price)?;
            let chain_id = Some(chain.u64("chainId")?);
            (chain_id, fee, Body::new(nonce, gas, to, value, data))
        }
        (Eip1559, [chain, nonce, tip, max_fee, gas, to, value, data, access]) => {
            check_access_list(access)?;
            let fee = Fee::Eip1559 {
                max_fee_per_gas_wei: max_fee.u256_decimal("maxFeePerGas")?,
                max_priority_fee_per_gas_wei: tip.u256_decimal("maxPriorityFeePerGas")?,
            };
            let chain_id = Some(chain.u64("chainId")?);
            (chain_id, fee, Body::new(nonce, gas, to, value, data))
        }
        // The same list with `yParity, r, s` appended: a signed transaction.
        (Eip2930, items) if items.len() == 11 => return Err(TxError::Signed),
        (Eip1559, items) if items.len() == 12 => return Err(TxError::Signed),
        (kind, items) => {
            return Err(TxError::FieldCount {
                kind,
                actual: items.len(),
            });
        }
    };
    body.finish(kind, chain_id, fee)
}

fn gas_price_fee(gas_price: &Item<'_>) -> Result<Fee, TxError> {
    Ok(Fee::GasPrice {
        gas_price_wei: gas_price.u256_decimal("gasPrice")?,
    })
}

/// The fields every kind shares.
struct Body<'i, 'a> {
    nonce: &'i Item<'a>,
    gas: &'i Item<'a>,
    to: &'i Item<'a>,
    value: &'i Item<'a>,
    data: &'i Item<'a>,
}

impl<'i, 'a> Body<'i, 'a> {
    fn new(
        nonce: &'i Item<'a>,
        gas: &'i Item<'a>,
        to: &'i Item<'a>,
        value: &'i Item<'a>,
        data: &'i Item<'a>,
    ) -> Self {
        Self {
            nonce,
            gas,
            to,
            value,
            data,
        }
    }

    fn finish(
        self,
        kind: TxKind,
        chain_id: Option<u64>,
        fee: Fee,
    ) -> Result<UnsignedTransaction, TxError> {
        let to = match self.to.bytes("to")? {
            [] => None,
            to => {
                let to: &[u8; 20] = to.try_into().map_err(|_| TxError::BadAddressLength)?;
                Some(checksum_address(to))
            }
        };
        let data = self.data.bytes("data")?;
        Ok(UnsignedTransaction {
            kind,
            chain_id,
            nonce: self.nonce.u64("nonce")?,
            to,
            value_wei: self.value.u256_decimal("value")?,
            gas_limit: self.gas.u64("gasLimit")?,
            fee,
            data_len: data.len(),
            selector: data
                .get(..4)
                .map(|selector| format!("0x{}", hex::encode(selector))),
        })
    }
}

/// EIP-2930: `accessList` is `[[address, [storageKey, …]], …]`, 20-byte addresses, 32-byte keys.
fn check_access_list(list: &Item<'_>) -> Result<(), TxError> {
    const FIELD: &str = "accessList";
    let malformed = TxError::Malformed { field: FIELD };
    if !list.list {
        return Err(malformed);
    }
    for entry in list_items(list.payload)? {
        if !entry.list {
            return Err(malformed);
        }
        let [address, keys] = list_items(entry.payload)?[..] else {
            return Err(malformed);
        };
        if address.bytes(FIELD)?.len() != 20 || !keys.list {
            return Err(malformed);
        }
        for key in list_items(keys.payload)? {
            if key.bytes(FIELD)?.len() != 32 {
                return Err(malformed);
            }
        }
    }
    Ok(())
}
