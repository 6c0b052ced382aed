//! Auditors, approved by governance, signing providers' attributes.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_auditor(auditor: T::AccountId) -> DispatchResult {
		ensure!(!Auditors::<T>::contains_key(&auditor), Error::<T>::AlreadyAuditor);
		ensure!(Auditors::<T>::count() < T::MaxAuditors::get(), Error::<T>::TooManyAuditors);
		Auditors::<T>::insert(&auditor, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::AuditorAdded { auditor });
		Ok(())
	}

	pub(crate) fn do_remove_auditor(auditor: T::AccountId) -> DispatchResult {
		ensure!(Auditors::<T>::contains_key(&auditor), Error::<T>::NotAuditor);
		Auditors::<T>::remove(&auditor);
		Self::deposit_event(Event::AuditorRemoved { auditor });
		Ok(())
	}

	pub(crate) fn do_attest(auditor: T::AccountId, provider: T::AccountId) -> DispatchResult {
		ensure!(Auditors::<T>::contains_key(&auditor), Error::<T>::NotAuditor);
		let record = Providers::<T>::get(&provider).ok_or(Error::<T>::NotRegistered)?;
		let attributes_hash = Self::attributes_hash(&record.attributes);
		let signed_at = frame_system::Pallet::<T>::block_number();
		match Attestations::<T>::get(&provider, &auditor) {
			Some(existing) => {
				// Re-signing after the provider changed its attributes keeps the deposit.
				ensure!(existing.attributes_hash != attributes_hash, Error::<T>::AlreadyAttested);
				let renewed = Attestation { attributes_hash, signed_at, ..existing };
				Attestations::<T>::insert(&provider, &auditor, renewed);
			},
			None => {
				let count = AttestationCount::<T>::get(&provider);
				ensure!(count < T::MaxAuditors::get(), Error::<T>::TooManyAttestations);
				let deposit = T::AttestationDeposit::get();
				T::Currency::hold(&HoldReason::AttestationDeposit.into(), &auditor, deposit)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				Attestations::<T>::insert(
					&provider,
					&auditor,
					Attestation { attributes_hash, signed_at, deposit },
				);
				AttestationCount::<T>::insert(&provider, count.saturating_add(1));
			},
		}
		Self::deposit_event(Event::Attested { provider, auditor });
		Ok(())
	}

	pub(crate) fn do_withdraw_attestation(
		auditor: T::AccountId,
		provider: T::AccountId,
	) -> DispatchResult {
		let attestation =
			Attestations::<T>::get(&provider, &auditor).ok_or(Error::<T>::NotAttested)?;
		T::Currency::release(
			&HoldReason::AttestationDeposit.into(),
			&auditor,
			attestation.deposit,
			Precision::Exact,
		)?;
		Attestations::<T>::remove(&provider, &auditor);
		AttestationCount::<T>::mutate_exists(&provider, |count| {
			*count = count.and_then(|count| count.checked_sub(1)).filter(|count| *count > 0);
		});
		Self::deposit_event(Event::AttestationWithdrawn { provider, auditor });
		Ok(())
	}

	/// Whether `auditor` is approved and its signature covers `provider`'s attributes now.
	pub(crate) fn attestation_valid(provider: &T::AccountId, auditor: &T::AccountId) -> bool {
		Providers::<T>::get(provider).zip(Attestations::<T>::get(provider, auditor)).is_some_and(
			|(record, attestation)| {
				Self::signature_current(
					auditor,
					&attestation,
					&Self::attributes_hash(&record.attributes),
				)
			},
		)
	}

	/// Whether `attestation` by `auditor` counts for attributes hashing to `current`: the
	/// auditor is still approved and signed these attributes.
	pub(crate) fn signature_current(
		auditor: &T::AccountId,
		attestation: &AttestationOf<T>,
		current: &AttributesHash,
	) -> bool {
		attestation.attributes_hash == *current && Auditors::<T>::contains_key(auditor)
	}
}
