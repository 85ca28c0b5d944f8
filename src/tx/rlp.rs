//! The few RLP reads a transaction needs, on top of `alloy-rlp`'s header decoder (which rejects
//! non-canonical headers: a single byte below 0x80 wrapped in a string header, long-form lengths
//! under 56, lengths with leading zeros, and items that run past their input).

use crate::prelude::*;

use alloy_rlp::Header;

use super::TxError;

/// One RLP item: a byte string or a list, with its payload (for a list, its items concatenated).
#[derive(Debug, Clone, Copy)]
pub(super) struct Item<'a> {
    /// Whether the item is a list.
    pub list: bool,
    /// The payload after the header.
    pub payload: &'a [u8],
}

fn rlp_error(e: alloy_rlp::Error) -> TxError {
    TxError::Rlp(e.to_string())
}

/// Reads one item from the front of `buf`, advancing it past the item.
pub(super) fn next_item<'a>(buf: &mut &'a [u8]) -> Result<Item<'a>, TxError> {
    let header = Header::decode(buf).map_err(rlp_error)?;
    // A single byte below 0x80 is its own payload: `Header::decode` leaves it in `buf`.
    let (payload, rest) = buf
        .split_at_checked(header.payload_length)
        .ok_or_else(|| rlp_error(alloy_rlp::Error::InputTooShort))?;
    *buf = rest;
    Ok(Item {
        list: header.list,
        payload,
    })
}

/// The items of a list payload.
pub(super) fn list_items(mut payload: &[u8]) -> Result<Vec<Item<'_>>, TxError> {
    let mut items = Vec::new();
    while !payload.is_empty() {
        items.push(next_item(&mut payload)?);
    }
    Ok(items)
}

impl<'a> Item<'a> {
    /// The payload of a byte-string item.
    pub(super) fn bytes(&self, field: &'static str) -> Result<&'a [u8], TxError> {
        if self.list {
            return Err(TxError::Malformed { field });
        }
        Ok(self.payload)
    }

    /// The big-endian bytes of a canonical unsigned integer of at most `max_len` bytes.
    pub(super) fn uint(&self, field: &'static str, max_len: usize) -> Result<&'a [u8], TxError> {
        let bytes = self.bytes(field)?;
        if bytes.first() == Some(&0) {
            return Err(TxError::NonCanonicalInteger { field });
        }
        if bytes.len() > max_len {
            return Err(TxError::IntegerTooLarge { field });
        }
        Ok(bytes)
    }

    /// A canonical integer of at most 64 bits.
    pub(super) fn u64(&self, field: &'static str) -> Result<u64, TxError> {
        Ok(self
            .uint(field, 8)?
            .iter()
            .fold(0, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// A canonical integer of at most 256 bits, as an exact decimal string.
    pub(super) fn u256_decimal(&self, field: &'static str) -> Result<String, TxError> {
        let bytes = self.uint(field, 32)?;
        let mut word = [0u8; 32];
        let start = word.len() - bytes.len();
        word.get_mut(start..)
            .ok_or(TxError::IntegerTooLarge { field })?
            .copy_from_slice(bytes);
        Ok(super::units::u256_to_decimal(&word))
    }
}
