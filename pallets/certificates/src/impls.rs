//! The logic behind each call, and the queries a runtime API exposes.
//!
//! Every call validates everything before it writes anything, so an error leaves storage as
//! it was even outside the storage layer FRAME wraps calls in. The one fallible write, the
//! balance hold (or release), comes first, before the registry's own infallible writes.

use crate::*;
use alloc::vec::Vec;
use ccre_primitives::{CertificateError, CertificateView, PublishedCertificate};
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, UnixTime},
};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// Publishes `der` for `owner`; see [`Pallet::publish`].
	pub(crate) fn do_publish(owner: T::AccountId, der: DerOf<T>, proof: ProofOf) -> DispatchResult {
		let refused = |error| match error {
			CertificateError::Malformed => Error::<T>::MalformedCertificate,
			CertificateError::InvalidValidity => Error::<T>::InvalidValidity,
			CertificateError::UnsupportedKey => Error::<T>::UnsupportedKey,
			CertificateError::BadOwnershipProof => Error::<T>::BadOwnershipProof,
		};
		let validity = ccre_primitives::parse_certificate(&der).map_err(refused)?;
		// Only the end of the window is checked here. A certificate that becomes valid later is
		// accepted (the gateway refuses it until its notBefore), which also lets benchmarks and
		// genesis, where the timestamp is still 0, publish ordinary certificates.
		ensure!(validity.not_after > Self::now_unix_secs(), Error::<T>::CertificateExpired);
		let fingerprint = ccre_primitives::fingerprint(&der);
		ensure!(!Certificates::<T>::contains_key(fingerprint), Error::<T>::AlreadyPublished);
		let mut index = CertificatesOf::<T>::get(&owner);
		index.try_push(fingerprint).map_err(|_| Error::<T>::TooManyCertificates)?;
		// The signature check, the costliest, comes once everything cheap has passed.
		owner
			.using_encoded(|account| {
				ccre_primitives::certificate::verify_ownership(&der, account, &proof)
			})
			.map_err(refused)?;
		let len = u32::try_from(der.len()).map_err(|_| Error::<T>::Overflow)?;
		let deposit = Self::deposit_for(len)?;

		let reason: T::RuntimeHoldReason = HoldReason::CertificateDeposit.into();
		T::Currency::hold(&reason, &owner, deposit).map_err(|_| Error::<T>::InsufficientBalance)?;

		let not_after = validity.not_after;
		Certificates::<T>::insert(
			fingerprint,
			CertificateRecord {
				owner: owner.clone(),
				der,
				validity,
				published_at: frame_system::Pallet::<T>::block_number(),
				revoked_at: None,
				deposit,
			},
		);
		CertificatesOf::<T>::insert(&owner, index);
		Self::deposit_event(Event::CertificatePublished { owner, fingerprint, not_after });
		Ok(())
	}

	/// Revokes `owner`'s certificate `fingerprint`; see [`Pallet::revoke`].
	pub(crate) fn do_revoke(owner: T::AccountId, fingerprint: Fingerprint) -> DispatchResult {
		let mut record = Certificates::<T>::get(fingerprint).ok_or(Error::<T>::NotFound)?;
		ensure!(record.owner == owner, Error::<T>::NotOwner);
		ensure!(record.revoked_at.is_none(), Error::<T>::AlreadyRevoked);

		record.revoked_at = Some(frame_system::Pallet::<T>::block_number());
		Certificates::<T>::insert(fingerprint, record);
		Self::deposit_event(Event::CertificateRevoked { owner, fingerprint });
		Ok(())
	}

	/// Removes `owner`'s revoked or expired certificate `fingerprint` and releases its
	/// deposit; see [`Pallet::remove`].
	pub(crate) fn do_remove(owner: T::AccountId, fingerprint: Fingerprint) -> DispatchResult {
		let record = Certificates::<T>::get(fingerprint).ok_or(Error::<T>::NotFound)?;
		ensure!(record.owner == owner, Error::<T>::NotOwner);
		// "Expired" as the gateway judges it (notAfter is inclusive), so a record is never
		// removed while a gateway would still accept the certificate.
		let expired = Self::now_unix_secs() > record.validity.not_after;
		ensure!(record.revoked_at.is_some() || expired, Error::<T>::StillValid);

		let reason: T::RuntimeHoldReason = HoldReason::CertificateDeposit.into();
		T::Currency::release(&reason, &owner, record.deposit, Precision::Exact)?;

		Certificates::<T>::remove(fingerprint);
		let mut index = CertificatesOf::<T>::get(&owner);
		index.retain(|listed| *listed != fingerprint);
		if index.is_empty() {
			CertificatesOf::<T>::remove(&owner);
		} else {
			CertificatesOf::<T>::insert(&owner, index);
		}
		Self::deposit_event(Event::CertificateRemoved {
			owner,
			fingerprint,
			deposit: record.deposit,
		});
		Ok(())
	}

	/// The deposit for a certificate of `len` bytes: `DepositBase + DepositPerByte * len`.
	pub fn deposit_for(len: u32) -> Result<BalanceOf<T>, Error<T>> {
		ccre_primitives::storage_deposit(T::DepositBase::get(), T::DepositPerByte::get(), len)
			.ok_or(Error::<T>::Overflow)
	}

	/// The chain's wall-clock time in whole unix seconds.
	fn now_unix_secs() -> u64 {
		T::UnixTime::now().as_secs()
	}

	/// The certificate published under `fingerprint`, if any (revoked ones included).
	pub fn certificate(fingerprint: Fingerprint) -> Option<CertificateRecordOf<T>> {
		Certificates::<T>::get(fingerprint)
	}

	/// `owner`'s certificates with their fingerprints, in publication order.
	pub fn certificates_of(owner: &T::AccountId) -> Vec<(Fingerprint, CertificateRecordOf<T>)> {
		CertificatesOf::<T>::get(owner)
			.into_iter()
			.filter_map(|fingerprint| {
				Certificates::<T>::get(fingerprint).map(|record| (fingerprint, record))
			})
			.collect()
	}

	/// The certificate published under `fingerprint`, as the runtime API shows it.
	pub fn certificate_view(
		fingerprint: Fingerprint,
	) -> Option<CertificateView<T::AccountId, BlockNumberFor<T>>> {
		Self::certificate(fingerprint).map(|record| Self::view_of(fingerprint, record))
	}

	/// `owner`'s certificates, as the runtime API shows them.
	pub fn certificate_views_of(
		owner: &T::AccountId,
	) -> Vec<CertificateView<T::AccountId, BlockNumberFor<T>>> {
		Self::certificates_of(owner)
			.into_iter()
			.map(|(fingerprint, record)| Self::view_of(fingerprint, record))
			.collect()
	}

	fn view_of(
		fingerprint: Fingerprint,
		record: CertificateRecordOf<T>,
	) -> CertificateView<T::AccountId, BlockNumberFor<T>> {
		CertificateView {
			fingerprint,
			owner: record.owner,
			der: record.der.into_inner(),
			validity: record.validity,
			published_at: record.published_at,
			revoked_at: record.revoked_at,
		}
	}

	/// The gateway's check: may `owner` use the certificate `fingerprint` now? The decision is
	/// [`ccre_primitives::check_presented`], the same function the provider daemon runs
	/// against its cached copy of the registry.
	pub fn check_presented(
		owner: &T::AccountId,
		fingerprint: Fingerprint,
	) -> Result<(), CertificateRefusal> {
		let record = Certificates::<T>::get(fingerprint);
		let published = record.as_ref().map(|record| PublishedCertificate {
			owner: &record.owner,
			validity: record.validity,
			revoked: record.revoked_at.is_some(),
		});
		ccre_primitives::check_presented(published, owner, Self::now_unix_secs())
	}

	/// Checks the registry's invariants:
	/// - every record is listed in its owner's index, and every index entry is a record of
	///   that owner, each exactly once;
	/// - no index is stored empty;
	/// - every record is stored under its own fingerprint;
	/// - every owner's `CertificateDeposit` hold equals the sum of their records' deposits;
	/// - every owner's account exists.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut records: u64 = 0;
		for (key, record) in Certificates::<T>::iter() {
			ensure!(
				ccre_primitives::fingerprint(&record.der) == key,
				"a record is not stored under its fingerprint"
			);
			ensure!(
				CertificatesOf::<T>::get(&record.owner).contains(&key),
				"a record is missing from its owner's index"
			);
			ensure!(
				frame_system::Pallet::<T>::account_exists(&record.owner),
				"a certificate owner's account does not exist"
			);
			let total = deposits.entry(record.owner.clone()).or_insert_with(Zero::zero);
			*total = total.checked_add(&record.deposit).ok_or("an owner's deposits overflow")?;
			records = records.checked_add(1).ok_or("record count overflows")?;
		}

		let reason: T::RuntimeHoldReason = HoldReason::CertificateDeposit.into();
		let mut listed: u64 = 0;
		for (owner, index) in CertificatesOf::<T>::iter() {
			ensure!(!index.is_empty(), "an empty index is stored");
			for key in index.iter() {
				let record =
					Certificates::<T>::get(key).ok_or("an index lists a missing record")?;
				ensure!(record.owner == owner, "an index lists another account's record");
			}
			listed = listed.checked_add(index.len() as u64).ok_or("index count overflows")?;
			let expected = deposits.get(&owner).copied().unwrap_or_else(Zero::zero);
			ensure!(
				T::Currency::balance_on_hold(&reason, &owner) == expected,
				"an owner's held deposit differs from the sum of their records' deposits"
			);
		}
		// Every record is in its owner's index and every entry is a record of that owner, so
		// equal counts mean no fingerprint is listed twice.
		ensure!(records == listed, "an index lists a certificate twice");
		Ok(())
	}
}
