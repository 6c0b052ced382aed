//! X.509 certificates for mutual TLS between tenants and providers.
//!
//! Tenants and providers publish their client certificates on chain; a provider's gateway
//! accepts a TLS client only if the certificate it presents is published, by the account the
//! gateway expects, and neither revoked nor outside its validity. This module holds the rules
//! both sides must agree on: how a certificate is identified ([`fingerprint`]), what the chain
//! reads out of one ([`parse_certificate`]) and the gateway's decision ([`check_presented`]).
//! The runtime and the provider daemon call the same functions, so they cannot drift apart.
//!
//! The chain does not verify chains of trust: a certificate is trusted because its owner's
//! account published it, not because a CA signed it. It does check that the publisher holds the
//! certificate's key ([`verify_ownership`]): the key signs [`ownership_message`], which names
//! the publishing account, so no one can publish, and so squat, a certificate they copied.
//! Parsing otherwise only proves the bytes are a well-formed certificate and extracts the
//! validity window the gateway needs.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use x509_cert::{der::Decode as DerDecode, Certificate};

/// The SHA-256 digest of a certificate's DER encoding: the key the chain stores it under.
pub type Fingerprint = [u8; 32];

/// The certificate's fingerprint, the same value `openssl x509 -fingerprint -sha256` prints.
/// TLS stacks expose the peer's DER bytes, so a gateway can compute this without parsing.
pub fn fingerprint(der: &[u8]) -> Fingerprint {
	sp_crypto_hashing::sha2_256(der)
}

/// A certificate's validity window, in unix seconds, both ends inclusive (RFC 5280 4.1.2.5).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Validity {
	/// The first second the certificate may be used.
	pub not_before: u64,
	/// The last second the certificate may be used.
	pub not_after: u64,
}

/// A published certificate as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct CertificateView<AccountId, BlockNumber> {
	/// Its SHA-256 fingerprint, the key it is stored under.
	#[serde(with = "hash32_hex")]
	pub fingerprint: Fingerprint,
	/// The account that published it.
	pub owner: AccountId,
	/// The certificate itself, DER-encoded.
	#[serde(with = "der_hex")]
	pub der: Vec<u8>,
	/// Its validity window.
	pub validity: Validity,
	/// When it was published.
	pub published_at: BlockNumber,
	/// When it was revoked, if it was.
	pub revoked_at: Option<BlockNumber>,
}

/// Bytes as a `0x`-prefixed hex string in JSON, as Substrate's RPCs show hashes and data.
mod der_hex {
	use alloc::{string::String, vec::Vec};
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&crate::hex::encode(bytes))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
		let text = String::deserialize(deserializer)?;
		crate::hex::decode(&text)
			.ok_or_else(|| D::Error::custom("not hex: an even number of hex digits expected"))
	}
}

/// A 32-byte hash (a fingerprint, a manifest hash) as a `0x`-prefixed hex string in JSON.
pub(crate) mod hash32_hex {
	use super::{der_hex, Fingerprint};
	use serde::{de::Error, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(print: &Fingerprint, serializer: S) -> Result<S::Ok, S::Error> {
		der_hex::serialize(print, serializer)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<Fingerprint, D::Error> {
		der_hex::deserialize(deserializer)?
			.try_into()
			.map_err(|_| D::Error::custom("32 bytes expected"))
	}
}

/// Why some bytes are not a certificate the chain accepts.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum CertificateError {
	/// Not exactly one DER-encoded X.509 certificate: truncated, followed by other bytes, or
	/// not a certificate at all.
	Malformed,
	/// The certificate's notAfter is not later than its notBefore, so it is never valid.
	InvalidValidity,
	/// The certificate's key is not an ECDSA P-256 key, the one kind whose ownership the chain
	/// checks.
	UnsupportedKey,
	/// The proof of ownership is not a signature by the certificate's key of
	/// [`ownership_message`] for the publishing account.
	BadOwnershipProof,
}

/// The longest proof of ownership: an ECDSA P-256 signature, DER-encoded (at most 72 bytes) or
/// as the 64 bytes of `r ‖ s`.
pub const MAX_OWNERSHIP_PROOF_LEN: u32 = 72;

/// What a certificate's key signs to let `owner` (the publishing account's SCALE encoding, the
/// 32 bytes of an `AccountId32`) publish it: `ccre/certificate-owner/v1`, then `owner`, then the
/// certificate's [`fingerprint`]. Signed with ECDSA P-256 over SHA-256, as TLS keys sign.
pub fn ownership_message(owner: &[u8], fingerprint: &Fingerprint) -> Vec<u8> {
	const DOMAIN: &[u8] = b"ccre/certificate-owner/v1";
	let mut message = Vec::with_capacity(DOMAIN.len() + owner.len() + fingerprint.len());
	message.extend_from_slice(DOMAIN);
	message.extend_from_slice(owner);
	message.extend_from_slice(fingerprint);
	message
}

/// The proof that `owner` may publish the certificate `der`, signed with the certificate's key
/// (`secret`, the 32 bytes of its P-256 scalar): what the CLI, the provider daemon, tests and
/// benchmarks publish with. DER-encoded, as TLS stacks sign. `None` if `secret` is not a valid
/// scalar.
pub fn prove_ownership(secret: &[u8; 32], owner: &[u8], der: &[u8]) -> Option<Vec<u8>> {
	use p256::ecdsa::{signature::Signer, Signature, SigningKey};
	let key = SigningKey::from_bytes(secret.into()).ok()?;
	let signature: Signature = key.sign(&ownership_message(owner, &fingerprint(der)));
	Some(signature.to_der().as_bytes().to_vec())
}

/// Checks that `proof` is the signature of [`ownership_message`] for `owner` by the key of the
/// certificate `der`.
pub fn verify_ownership(der: &[u8], owner: &[u8], proof: &[u8]) -> Result<(), CertificateError> {
	use p256::ecdsa::{signature::Verifier, Signature, VerifyingKey};
	use x509_cert::der::asn1::ObjectIdentifier;
	// RFC 5480: id-ecPublicKey, on the curve secp256r1 (P-256).
	const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
	const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
	let certificate =
		<Certificate as DerDecode>::from_der(der).map_err(|_| CertificateError::Malformed)?;
	let key_info = certificate.tbs_certificate.subject_public_key_info;
	let curve = key_info
		.algorithm
		.parameters
		.as_ref()
		.and_then(|parameters| parameters.decode_as::<ObjectIdentifier>().ok());
	if key_info.algorithm.oid != EC_PUBLIC_KEY || curve != Some(P256) {
		return Err(CertificateError::UnsupportedKey);
	}
	let key = key_info.subject_public_key.as_bytes().ok_or(CertificateError::UnsupportedKey)?;
	let key = VerifyingKey::from_sec1_bytes(key).map_err(|_| CertificateError::UnsupportedKey)?;
	let signature = Signature::from_der(proof)
		.or_else(|_| Signature::from_slice(proof))
		.map_err(|_| CertificateError::BadOwnershipProof)?;
	key.verify(&ownership_message(owner, &fingerprint(der)), &signature)
		.map_err(|_| CertificateError::BadOwnershipProof)
}

/// Parses exactly one DER-encoded X.509 certificate and returns its validity window.
///
/// Trailing bytes are refused: the fingerprint covers every byte stored, so two encodings that
/// differ only in junk after the certificate must not both be publishable as "the same"
/// certificate under different keys.
pub fn parse_certificate(der: &[u8]) -> Result<Validity, CertificateError> {
	let certificate =
		<Certificate as DerDecode>::from_der(der).map_err(|_| CertificateError::Malformed)?;
	let validity = certificate.tbs_certificate.validity;
	let not_before = validity.not_before.to_unix_duration().as_secs();
	let not_after = validity.not_after.to_unix_duration().as_secs();
	if not_after <= not_before {
		return Err(CertificateError::InvalidValidity);
	}
	Ok(Validity { not_before, not_after })
}

/// Why a gateway refuses a client certificate presented in a TLS handshake.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[serde(rename_all = "snake_case")]
pub enum CertificateRefusal {
	/// No certificate with this fingerprint was ever published (or it was removed).
	NotPublished,
	/// The owner revoked it; the record stays on chain precisely so this can be told apart
	/// from [`CertificateRefusal::NotPublished`].
	Revoked,
	/// It was published by an account other than the one the gateway expects.
	WrongOwner,
	/// Its notAfter has passed.
	Expired,
	/// Its notBefore has not come yet.
	NotYetValid,
}

/// What the registry knows about a published certificate, as far as the gateway's check needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PublishedCertificate<'a, AccountId> {
	/// The account that published it.
	pub owner: &'a AccountId,
	/// Its validity window.
	pub validity: Validity,
	/// Whether its owner has revoked it.
	pub revoked: bool,
}

/// The gateway's decision on a presented client certificate: `Ok` if it may be used now by
/// `expected_owner`.
///
/// `published` is the registry's entry for the certificate's fingerprint, `None` if there is
/// none. The checks run in a fixed order, so every caller reports the same reason for a
/// certificate that fails several: not published, wrong owner, revoked, not yet valid,
/// expired. Ownership comes before revocation so a gateway never tells one account anything
/// about another account's certificate beyond "not yours".
pub fn check_presented<AccountId: PartialEq>(
	published: Option<PublishedCertificate<'_, AccountId>>,
	expected_owner: &AccountId,
	now_unix_secs: u64,
) -> Result<(), CertificateRefusal> {
	let published = published.ok_or(CertificateRefusal::NotPublished)?;
	if published.owner != expected_owner {
		return Err(CertificateRefusal::WrongOwner);
	}
	if published.revoked {
		return Err(CertificateRefusal::Revoked);
	}
	if now_unix_secs < published.validity.not_before {
		return Err(CertificateRefusal::NotYetValid);
	}
	if now_unix_secs > published.validity.not_after {
		return Err(CertificateRefusal::Expired);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::CertificateRefusal::*;
	use super::*;
	use alloc::vec::Vec;

	const TENANT: &[u8] = include_bytes!("../fixtures/tenant.der");
	const LARGE: &[u8] = include_bytes!("../fixtures/large.der");
	const EXPIRED: &[u8] = include_bytes!("../fixtures/expired.der");
	const INVERTED: &[u8] = include_bytes!("../fixtures/inverted.der");
	const RSA: &[u8] = include_bytes!("../fixtures/rsa.der");
	/// The tenant certificate's private key, the 32 bytes of its P-256 scalar.
	const TENANT_KEY: &[u8; 32] = include_bytes!("../fixtures/tenant.key");

	// What `openssl x509 -inform der -noout -startdate -enddate` says, in unix seconds
	// (`date -u -d ... +%s`); see fixtures/README.md.
	const TENANT_VALIDITY: Validity =
		Validity { not_before: 1_796_075_271, not_after: 4_949_675_271 };
	const LARGE_VALIDITY: Validity =
		Validity { not_before: 1_796_075_274, not_after: 4_949_675_274 };
	const EXPIRED_VALIDITY: Validity =
		Validity { not_before: 1_577_836_800, not_after: 1_609_459_200 };

	// What `openssl x509 -inform der -noout -fingerprint -sha256` says, without the colons.
	const TENANT_SHA256: &str = "896138A1E573287C0B2891B328A6B3FEFB04D241B3D6EB685D773FB483C1690C";
	const LARGE_SHA256: &str = "8220537AE02FF9A2B93560A9C3DB39A559868E7F79BBF852713B79916CB8EA4D";

	fn hex(text: &str) -> Vec<u8> {
		crate::hex::decode(text).expect("hex digits")
	}

	fn malformed(der: &[u8]) -> bool {
		parse_certificate(der) == Err(CertificateError::Malformed)
	}

	#[test]
	fn valid_certificates_parse_to_the_validity_openssl_reports() {
		assert_eq!(parse_certificate(TENANT), Ok(TENANT_VALIDITY));
		assert_eq!(parse_certificate(LARGE), Ok(LARGE_VALIDITY));
		// Parsing does not judge the clock: an expired certificate is still well-formed.
		assert_eq!(parse_certificate(EXPIRED), Ok(EXPIRED_VALIDITY));
	}

	#[test]
	fn the_large_fixture_is_the_size_the_benchmarks_assume() {
		assert!((3_500..=4_000).contains(&LARGE.len()), "large.der is {} bytes", LARGE.len());
	}

	#[test]
	fn fingerprints_match_openssl() {
		assert_eq!(fingerprint(TENANT).to_vec(), hex(TENANT_SHA256));
		assert_eq!(fingerprint(LARGE).to_vec(), hex(LARGE_SHA256));
	}

	#[test]
	fn only_the_holder_of_the_key_proves_ownership_for_an_account() {
		let owner = [7u8; 32];
		let proof = prove_ownership(TENANT_KEY, &owner, TENANT).expect("a valid key");
		// DER, as TLS stacks and Node's crypto.sign produce, or the 64 bytes of r ‖ s.
		assert_eq!(verify_ownership(TENANT, &owner, &proof), Ok(()));
		let raw = p256::ecdsa::Signature::from_der(&proof).expect("DER").to_bytes();
		assert_eq!(verify_ownership(TENANT, &owner, &raw), Ok(()));
		assert!(proof.len() <= MAX_OWNERSHIP_PROOF_LEN as usize);
		// The same proof does not let another account publish the certificate.
		assert_eq!(
			verify_ownership(TENANT, &[8u8; 32], &proof),
			Err(CertificateError::BadOwnershipProof)
		);
		// Nor does a signature by another key, or garbage.
		let other = prove_ownership(&[9u8; 32], &owner, TENANT).expect("a valid key");
		assert_eq!(
			verify_ownership(TENANT, &owner, &other),
			Err(CertificateError::BadOwnershipProof)
		);
		assert_eq!(
			verify_ownership(TENANT, &owner, &[1, 2, 3]),
			Err(CertificateError::BadOwnershipProof)
		);
		// Keys other than P-256 are not supported.
		assert_eq!(verify_ownership(RSA, &owner, &proof), Err(CertificateError::UnsupportedKey));
		assert_eq!(verify_ownership(&[0x30, 0x00], &owner, &[]), Err(CertificateError::Malformed));
	}

	#[test]
	fn truncated_der_is_malformed() {
		assert!(malformed(&TENANT[..TENANT.len() - 1]));
		assert!(malformed(&TENANT[..TENANT.len() / 2]));
		assert!(malformed(&[]));
	}

	#[test]
	fn trailing_bytes_are_malformed() {
		let mut padded = TENANT.to_vec();
		padded.push(0);
		assert!(malformed(&padded));
		// A second certificate after the first is trailing data too.
		let mut doubled = TENANT.to_vec();
		doubled.extend_from_slice(TENANT);
		assert!(malformed(&doubled));
	}

	#[test]
	fn random_bytes_are_malformed() {
		let noise: Vec<u8> =
			(0u16..400).map(|i| (i.wrapping_mul(167).wrapping_add(13) % 256) as u8).collect();
		assert!(malformed(&noise));
		// A DER SEQUENCE holding one INTEGER: well-formed DER, but not a certificate.
		assert!(malformed(&[0x30, 0x03, 0x02, 0x01, 0x01]));
	}

	#[test]
	fn a_window_that_ends_before_it_starts_is_refused() {
		assert_eq!(parse_certificate(INVERTED), Err(CertificateError::InvalidValidity));
	}

	/// The gateway's decision for a certificate with the tenant fixture's window, published by
	/// `owner` and presented for account 1 at `now`.
	fn check(owner: u64, revoked: bool, now: u64) -> Result<(), CertificateRefusal> {
		let published = PublishedCertificate { owner: &owner, validity: TENANT_VALIDITY, revoked };
		check_presented(Some(published), &1, now)
	}

	#[test]
	fn a_published_certificate_of_the_expected_owner_is_accepted_inside_its_window() {
		assert_eq!(check(1, false, TENANT_VALIDITY.not_before + 1), Ok(()));
		// Both ends of the window are inclusive.
		assert_eq!(check(1, false, TENANT_VALIDITY.not_before), Ok(()));
		assert_eq!(check(1, false, TENANT_VALIDITY.not_after), Ok(()));
	}

	#[test]
	fn each_refusal_has_its_reason() {
		let now = TENANT_VALIDITY.not_before + 1;
		assert_eq!(check_presented(None, &1u64, now), Err(NotPublished));
		assert_eq!(check(2, false, now), Err(WrongOwner));
		assert_eq!(check(1, true, now), Err(Revoked));
		assert_eq!(check(1, false, TENANT_VALIDITY.not_before - 1), Err(NotYetValid));
		assert_eq!(check(1, false, TENANT_VALIDITY.not_after + 1), Err(Expired));
	}

	#[test]
	fn refusals_follow_the_documented_order() {
		let late = TENANT_VALIDITY.not_after + 1;
		// Wrong owner wins over revoked and expired.
		assert_eq!(check(2, true, late), Err(WrongOwner));
		// Revoked wins over expired and over not yet valid.
		assert_eq!(check(1, true, late), Err(Revoked));
		assert_eq!(check(1, true, 0), Err(Revoked));
		// Not yet valid and expired cannot both hold of a valid window.
		assert_eq!(check(1, false, 0), Err(NotYetValid));
	}
}
