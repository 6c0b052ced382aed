//! `0x`-prefixed hex, as Substrate's RPCs show hashes and data, and as the CLI reads them.

use alloc::{string::String, vec::Vec};

/// `bytes` as `0x` and two lowercase hex digits per byte.
pub fn encode(bytes: &[u8]) -> String {
	let mut text = String::with_capacity(2 + 2 * bytes.len());
	text.push_str("0x");
	for byte in bytes {
		text.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
		text.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
	}
	text
}

/// The bytes of hex digits (either case), with or without `0x`; `None` if any pair is not hex.
pub fn decode(text: &str) -> Option<Vec<u8>> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	if digits.len() % 2 != 0 {
		return None;
	}
	digits
		.as_bytes()
		.chunks(2)
		.map(|pair| {
			core::str::from_utf8(pair).ok().and_then(|pair| u8::from_str_radix(pair, 16).ok())
		})
		.collect()
}

/// A 32-byte hash (a fingerprint, a manifest hash) from hex; `None` if not exactly 32 bytes.
pub fn decode_hash32(text: &str) -> Option<[u8; 32]> {
	decode(text)?.try_into().ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips_and_refuses_what_is_not_hex() {
		assert_eq!(encode(&[0x00, 0xab, 0x7f]), "0x00ab7f");
		assert_eq!(decode("0x00AB7f"), Some(vec![0x00, 0xab, 0x7f]));
		assert_eq!(decode("00ab"), Some(vec![0x00, 0xab]));
		assert_eq!(decode("0xabc"), None);
		assert_eq!(decode("0xzz"), None);
		assert_eq!(decode_hash32(&encode(&[7; 32])), Some([7; 32]));
		assert_eq!(decode_hash32("0x0707"), None);
	}
}
