// A tiny EIP-1559 builder (copied from the demo, www/eth.js): the app makes the unsigned
// transaction; <quorum-approve-transaction> decodes it from its bytes, shows it and gets it signed.
// RLP (Ethereum yellow paper, appendix B) and EIP-2718 type 0x02 framing, nothing more.

const hexToBytes = (h) => Uint8Array.from((h.replace(/^0x/, "").match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** A non-negative integer as its minimal big-endian bytes (0 is empty). */
function intBytes(n) {
  n = BigInt(n);
  if (n < 0n) throw new RangeError("negative integer");
  if (n === 0n) return new Uint8Array();
  const h = n.toString(16);
  return hexToBytes(h.length % 2 ? `0${h}` : h);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function length(len, offset) {
  if (len < 56) return Uint8Array.of(offset + len);
  const l = intBytes(len);
  return concat([Uint8Array.of(offset + 55 + l.length), l]);
}

/** RLP of a byte string or a (nested) list of them. */
export function rlp(item) {
  if (Array.isArray(item)) {
    const body = concat(item.map(rlp));
    return concat([length(body.length, 0xc0), body]);
  }
  if (item.length === 1 && item[0] < 0x80) return item;
  return concat([length(item.length, 0x80), item]);
}

/** "0.01" ETH → wei (up to 18 decimals); throws on anything else. */
export function parseEther(text) {
  const m = /^\s*(\d+)(?:\.(\d{1,18}))?\s*$/.exec(text);
  if (!m) throw new RangeError(`not an amount of ETH: ${text}`);
  return BigInt(m[1]) * 10n ** 18n + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** Whether `text` is a 0x-prefixed 20-byte address. */
export const isAddress = (text) => /^0x[0-9a-fA-F]{40}$/.test(text.trim());

/**
 * An unsigned EIP-1559 transfer as hex (no 0x): `0x02 || rlp([chainId, nonce, maxPriorityFee,
 * maxFee, gas, to, value, data, accessList])`.
 */
export function unsignedTransfer({ chainId, nonce, to, valueWei, maxPriorityFeePerGas = 1_000_000_000n, maxFeePerGas = 30_000_000_000n, gas = 21_000n }) {
  const fields = [chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas].map(intBytes);
  const body = rlp([...fields, hexToBytes(to), intBytes(valueWei), new Uint8Array(), []]);
  return `02${toHex(body)}`;
}
