//! # Certificates
//!
//! The on-chain registry of X.509 client certificates that tenants and providers present to
//! each other's gateways in mutual TLS. It is a pallet of its own because tenants, who never
//! register as providers, publish certificates too, and because a gateway's admission check
//! needs nothing else: [`Pallet::check_presented`] answers "may this account use this
//! certificate now?" from this registry alone.
//!
//! An account publishes a certificate's DER bytes against a deposit proportional to their
//! size. The certificate is stored under its SHA-256 fingerprint, which is what a TLS stack
//! can compute from the peer's certificate without parsing it. The chain checks only that the
//! bytes are one well-formed certificate and reads its validity window; it verifies no
//! signature, since trust comes from the publishing account, not from a CA.
//!
//! Revoking keeps the record, deposit and all, so a gateway can tell "revoked" from "never
//! published". Removing deletes the record and returns the deposit, and is allowed only once
//! the certificate can no longer be used: after it is revoked or has expired.
//!
//! The calls are thin; their logic and the public queries are in `impls.rs`. The rules the
//! chain and the provider daemon must share (fingerprint, parsing, the gateway's check) are in
//! [`ccre_primitives::certificate`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod impls;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use ccre_primitives::{CertificateRefusal, Fingerprint, Validity};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Wall-clock time, to refuse certificates that have already expired and to judge
		/// presented ones.
		type UnixTime: frame_support::traits::UnixTime;

		/// The largest certificate accepted, in bytes of DER.
		#[pallet::constant]
		type MaxCertificateLen: Get<u32>;

		/// The most certificates one account may have published at once (revoked ones count
		/// until they are removed).
		#[pallet::constant]
		type MaxCertificatesPerAccount: Get<u32>;

		/// The deposit for a certificate, before its size is counted.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// The deposit per byte of DER stored.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// What the pallet holds funds for.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a published certificate, returned when it is removed.
		CertificateDeposit,
	}

	/// Published certificates by fingerprint. `Identity` is safe: the key is a SHA-256 digest,
	/// so placing entries in a chosen part of the trie means grinding certificates, and every
	/// entry costs a deposit.
	#[pallet::storage]
	pub type Certificates<T: Config> =
		StorageMap<_, Identity, Fingerprint, CertificateRecordOf<T>, OptionQuery>;

	/// The fingerprints each account has published, in publication order. Revoked certificates
	/// stay listed until they are removed.
	#[pallet::storage]
	pub type CertificatesOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Fingerprint, T::MaxCertificatesPerAccount>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `owner` published the certificate with this fingerprint.
		CertificatePublished {
			owner: T::AccountId,
			fingerprint: Fingerprint,
			/// The certificate's notAfter, in unix seconds.
			not_after: u64,
		},
		/// `owner` revoked the certificate; gateways must refuse it from now on.
		CertificateRevoked { owner: T::AccountId, fingerprint: Fingerprint },
		/// `owner` removed the certificate's record and got `deposit` back.
		CertificateRemoved { owner: T::AccountId, fingerprint: Fingerprint, deposit: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The bytes are not exactly one DER-encoded X.509 certificate.
		MalformedCertificate,
		/// The certificate's notAfter is not later than its notBefore.
		InvalidValidity,
		/// The certificate's key is not an ECDSA P-256 key, whose ownership the chain can check.
		UnsupportedKey,
		/// The proof is not the certificate's key's signature of the ownership message for the
		/// caller.
		BadOwnershipProof,
		/// The certificate's notAfter has already passed.
		CertificateExpired,
		/// A certificate with this fingerprint is already published, by this account (another
		/// account cannot hold its key).
		AlreadyPublished,
		/// The account already has `MaxCertificatesPerAccount` certificates; remove one first.
		TooManyCertificates,
		/// The deposit does not fit in the balance type.
		Overflow,
		/// The account cannot put the deposit on hold.
		InsufficientBalance,
		/// No certificate with this fingerprint is published.
		NotFound,
		/// The certificate belongs to another account.
		NotOwner,
		/// The certificate is already revoked.
		AlreadyRevoked,
		/// The certificate is neither revoked nor expired, so a gateway would still accept
		/// it; revoke it first.
		StillValid,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes a DER-encoded X.509 certificate owned by the caller, holding a deposit of
		/// `DepositBase + DepositPerByte * der.len()`.
		///
		/// `proof` is the certificate's key's signature of
		/// [`ccre_primitives::certificate::ownership_message`] for the caller: only who holds the
		/// key can publish a certificate, so no one can take a copied one's fingerprint. Both are
		/// bounded at decode. A certificate whose notBefore is still to come is accepted (the
		/// gateway refuses it until then); one whose notAfter has passed is not.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::publish())]
		pub fn publish(origin: OriginFor<T>, der: DerOf<T>, proof: ProofOf) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_publish(owner, der, proof)
		}

		/// Revokes one of the caller's certificates. The record and its deposit stay, so
		/// gateways report it as revoked rather than unknown; remove it to get the deposit
		/// back.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(origin: OriginFor<T>, fingerprint: Fingerprint) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_revoke(owner, fingerprint)
		}

		/// Removes one of the caller's certificates that is revoked or expired, and releases
		/// its deposit.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove())]
		pub fn remove(origin: OriginFor<T>, fingerprint: Fingerprint) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_remove(owner, fingerprint)
		}
	}
}
