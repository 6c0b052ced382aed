//! Invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		for (who, record) in Providers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProviderDeposit.into(), &who)
					== record.deposit,
				"a provider's held deposit differs from its record"
			);
			ensure!(record.attributes.is_canonical(), "stored attributes are not canonical");
		}
		for (who, ledger) in Stakes::<T>::iter() {
			let total = Self::ledger_total(&ledger);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Stake.into(), &who) == total,
				"held stake differs from the ledger"
			);
			ensure!(!total.is_zero(), "an empty stake ledger is stored");
		}
		ensure!(Auditors::<T>::count() <= T::MaxAuditors::get(), "too many auditors");

		let mut per_provider = BTreeMap::<T::AccountId, u32>::new();
		let mut per_auditor = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (provider, auditor, attestation) in Attestations::<T>::iter() {
			ensure!(Providers::<T>::contains_key(&provider), "an attestation without a provider");
			let count = per_provider.entry(provider).or_default();
			*count = count.saturating_add(1);
			let held = per_auditor.entry(auditor).or_default();
			*held = held.saturating_add(attestation.deposit);
		}
		for (provider, count) in AttestationCount::<T>::iter() {
			ensure!(
				per_provider.remove(&provider) == Some(count),
				"an attestation count differs from the attestations"
			);
		}
		ensure!(per_provider.is_empty(), "attestations without a count");
		for (auditor, deposits) in per_auditor {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AttestationDeposit.into(), &auditor)
					== deposits,
				"an auditor's held deposit differs from its attestations"
			);
		}
		Ok(())
	}
}
