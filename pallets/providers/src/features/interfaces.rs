//! The interfaces other pallets use: inspecting providers, slashing stake, recording lease
//! outcomes.

use crate::{
	reputation::{outcome_weight, Discount, Reputation},
	*,
};
use ccre_primitives::{
	ActiveLeases, LeaseOutcome, ProviderInspect, ReputationRecorder, ResourceSet, SlashReason,
	StakeSlashing,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// `who`'s reputation discounted to the current block.
	pub fn current_reputation(who: &T::AccountId) -> Reputation<BlockNumberFor<T>> {
		Reputations::<T>::get(who)
			.discounted(frame_system::Pallet::<T>::block_number(), Self::discount())
	}

	fn discount() -> Discount<BlockNumberFor<T>> {
		Discount { period: T::ReputationPeriod::get(), retention: T::ReputationRetention::get() }
	}
}

impl<T: Config> ProviderInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn attributes(who: &T::AccountId) -> Option<ResourceSet> {
		Providers::<T>::get(who).map(|record| record.attributes)
	}

	fn active_stake(who: &T::AccountId) -> BalanceOf<T> {
		Stakes::<T>::get(who).map_or_else(Zero::zero, |ledger| ledger.active)
	}

	fn can_bid(who: &T::AccountId) -> bool {
		Providers::<T>::contains_key(who) && Self::active_stake(who) >= T::MinimumStake::get()
	}

	fn can_take_lease(who: &T::AccountId, price: BalanceOf<T>) -> bool {
		let committed = T::ActiveLeases::committed_price(who).saturating_add(price);
		Providers::<T>::contains_key(who)
			&& T::ActiveLeases::has_room(who)
			&& Self::active_stake(who) >= Self::collateral_for(committed)
	}

	fn is_attested_by(provider: &T::AccountId, auditor: &T::AccountId) -> bool {
		Self::attestation_valid(provider, auditor)
	}

	fn reputation(who: &T::AccountId) -> Perbill {
		Self::current_reputation(who).score()
	}
}

impl<T: Config> StakeSlashing<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn slashable(provider: &T::AccountId) -> BalanceOf<T> {
		Stakes::<T>::get(provider).map_or_else(Zero::zero, |ledger| {
			ledger
				.unlocking
				.iter()
				.fold(ledger.active, |total, chunk| total.saturating_add(chunk.value))
		})
	}

	fn slash(
		provider: &T::AccountId,
		amount: BalanceOf<T>,
		beneficiary: &T::AccountId,
		reason: SlashReason,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Stakes::<T>::get(provider).ok_or(Error::<T>::InsufficientStake)?;
		// Active stake first, then unbonding stake from the latest chunk back: the stake
		// furthest from leaving is the stake a provider expected to keep at risk.
		let mut remaining = amount;
		let from_active = remaining.min(ledger.active);
		ledger.active = ledger.active.saturating_sub(from_active);
		remaining = remaining.saturating_sub(from_active);
		for chunk in ledger.unlocking.iter_mut().rev() {
			let taken = remaining.min(chunk.value);
			chunk.value = chunk.value.saturating_sub(taken);
			remaining = remaining.saturating_sub(taken);
		}
		ensure!(remaining.is_zero(), Error::<T>::InsufficientStake);
		ledger.unlocking.retain(|chunk| !chunk.value.is_zero());
		T::Currency::transfer_on_hold(
			&HoldReason::Stake.into(),
			provider,
			beneficiary,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Self::store_ledger(provider, ledger);
		Self::deposit_event(Event::Slashed {
			provider: provider.clone(),
			amount,
			beneficiary: beneficiary.clone(),
			reason,
		});
		Ok(())
	}
}

impl<T: Config> ReputationRecorder<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn record_outcome(
		provider: &T::AccountId,
		outcome: LeaseOutcome,
		value: BalanceOf<T>,
	) -> Result<(), DispatchError> {
		ensure!(
			Providers::<T>::contains_key(provider) || Reputations::<T>::contains_key(provider),
			Error::<T>::NotRegistered
		);
		let weight =
			outcome_weight(value, T::ReputationValueUnit::get(), T::MaxOutcomeWeight::get());
		let reputation = Self::current_reputation(provider).with_outcome(outcome, weight);
		Reputations::<T>::insert(provider, reputation);
		Self::deposit_event(Event::OutcomeRecorded {
			provider: provider.clone(),
			outcome,
			value,
			score: reputation.score(),
		});
		Ok(())
	}
}
