//! Byte strings that are text by convention (URIs, contacts, property values) as JSON
//! strings rather than arrays of numbers. Bytes that are not UTF-8 are shown with
//! replacement characters; the chain stores them unchanged.

use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&String::from_utf8_lossy(bytes))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
	String::deserialize(deserializer).map(String::into_bytes)
}
