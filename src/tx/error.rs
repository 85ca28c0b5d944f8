//! Why an unsigned transaction could not be decoded.

use crate::prelude::*;

use super::TxKind;

/// Why the bytes are not an unsigned transaction this module can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TxError {
    /// The input is not hex (odd length or a non-hex character).
    #[error("invalid hex: {0}")]
    Hex(String),
    /// The input has no bytes.
    #[error("the transaction is empty")]
    Empty,
    /// An EIP-2718 typed transaction of a type this module does not decode (blob, set-code, …).
    #[error(
        "unsupported transaction type 0x{0:02x} (supported: legacy, 0x01 EIP-2930, 0x02 EIP-1559)"
    )]
    UnsupportedType(u8),
    /// The bytes are not valid, canonical RLP.
    #[error("invalid RLP: {0}")]
    Rlp(String),
    /// A field has the wrong shape (a list where a byte string belongs, or the reverse, or a
    /// malformed access list).
    #[error("malformed field `{field}`")]
    Malformed {
        /// The field, named as in the EIP.
        field: &'static str,
    },
    /// The list does not have the number of fields an unsigned transaction of this kind has.
    #[error(
        "an unsigned {kind} transaction has {} fields, this one has {actual}",
        kind.unsigned_field_counts()
    )]
    FieldCount {
        /// The kind announced by the type byte (or legacy).
        kind: TxKind,
        /// The number of fields found.
        actual: usize,
    },
    /// Bytes follow the transaction's RLP list.
    #[error("bytes follow the end of the transaction")]
    TrailingBytes,
    /// An integer has leading zero bytes (RLP integers are minimal big-endian; zero is empty).
    #[error("field `{field}` is not a canonical integer (leading zero bytes)")]
    NonCanonicalInteger {
        /// The field, named as in the EIP.
        field: &'static str,
    },
    /// An integer is wider than its field allows (64 bits for nonce, gas and chain id; 256 bits
    /// for amounts and fees).
    #[error("field `{field}` is too large")]
    IntegerTooLarge {
        /// The field, named as in the EIP.
        field: &'static str,
    },
    /// `to` is neither empty (contract creation) nor 20 bytes.
    #[error("`to` must be empty (contract creation) or a 20-byte address")]
    BadAddressLength,
    /// The transaction carries a signature (`v`, `r`, `s` / `yParity`, `r`, `s`): this is a
    /// transaction to broadcast, not a payload to approve.
    #[error("this transaction is already signed; expected the unsigned transaction")]
    Signed,
}

impl TxError {
    /// The stable `name` the JS facade gives this error (`err.name` in JS).
    #[must_use]
    pub fn js_name(&self) -> &'static str {
        match self {
            Self::Signed => "SignedTransactionError",
            Self::UnsupportedType(_) => "UnsupportedTransactionTypeError",
            _ => "TransactionDecodeError",
        }
    }
}
