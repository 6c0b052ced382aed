//! Bonding, unbonding and withdrawing stake.

use crate::*;
use ccre_primitives::ActiveLeases;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_bond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(Providers::<T>::contains_key(&who), Error::<T>::NotRegistered);
		let mut ledger = Stakes::<T>::get(&who).unwrap_or_else(Self::empty_ledger);
		ledger.active = ledger.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::Stake.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Stakes::<T>::insert(&who, ledger);
		Self::deposit_event(Event::Bonded { provider: who, amount });
		Ok(())
	}

	pub(crate) fn do_unbond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Stakes::<T>::get(&who).ok_or(Error::<T>::InsufficientActiveStake)?;
		ensure!(amount <= ledger.active, Error::<T>::InsufficientActiveStake);
		// Stake backing active leases stays until they end, so claims on them can be paid.
		if T::ActiveLeases::active_leases(&who) > 0 {
			let committed = T::ActiveLeases::committed_price(&who);
			ensure!(
				ledger.active.saturating_sub(amount) >= Self::collateral_for(committed),
				Error::<T>::CollateralRequired
			);
		}
		let unlock_at = Self::unlock_block();
		Self::push_unlocking(&mut ledger, amount, unlock_at)?;
		ledger.active = ledger.active.saturating_sub(amount);
		Stakes::<T>::insert(&who, ledger);
		Self::deposit_event(Event::Unbonded { provider: who, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		let mut ledger = Stakes::<T>::get(&who).ok_or(Error::<T>::NothingToWithdraw)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut amount = BalanceOf::<T>::zero();
		ledger.unlocking.retain(|chunk| {
			let unlocked = chunk.unlock_at <= now;
			if unlocked {
				amount = amount.saturating_add(chunk.value);
			}
			!unlocked
		});
		ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
		T::Currency::release(&HoldReason::Stake.into(), &who, amount, Precision::Exact)?;
		Self::store_ledger(&who, ledger);
		Self::deposit_event(Event::Withdrawn { provider: who, amount });
		Ok(())
	}

	/// Adds `amount` to the ledger's unbonding chunks, merging with a chunk that unlocks at
	/// the same block.
	pub(crate) fn push_unlocking(
		ledger: &mut StakeLedgerOf<T>,
		amount: BalanceOf<T>,
		unlock_at: BlockNumberFor<T>,
	) -> DispatchResult {
		match ledger.unlocking.last_mut() {
			Some(last) if last.unlock_at == unlock_at => {
				last.value = last.value.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			},
			_ => ledger
				.unlocking
				.try_push(UnlockChunk { value: amount, unlock_at })
				.map_err(|_| Error::<T>::TooManyUnlockingChunks)?,
		}
		Ok(())
	}

	/// The active stake a provider serving leases that pay `committed` per block together must
	/// keep: `CollateralBlocks` blocks of it, and at least the minimum stake.
	pub fn collateral_for(committed: BalanceOf<T>) -> BalanceOf<T> {
		let blocks: BalanceOf<T> =
			T::CollateralBlocks::get().saturated_into::<u128>().saturated_into();
		committed.saturating_mul(blocks).max(T::MinimumStake::get())
	}

	/// The block stake unbonded now can be withdrawn at.
	pub(crate) fn unlock_block() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get())
	}

	pub(crate) fn empty_ledger() -> StakeLedgerOf<T> {
		StakeLedger { active: Zero::zero(), unlocking: BoundedVec::new() }
	}

	/// Everything in a ledger: active and unbonding.
	pub(crate) fn ledger_total(ledger: &StakeLedgerOf<T>) -> BalanceOf<T> {
		ledger
			.unlocking
			.iter()
			.fold(ledger.active, |total, chunk| total.saturating_add(chunk.value))
	}

	/// Stores a ledger, or removes it once it holds nothing.
	pub(crate) fn store_ledger(who: &T::AccountId, ledger: StakeLedgerOf<T>) {
		if Self::ledger_total(&ledger).is_zero() {
			Stakes::<T>::remove(who);
		} else {
			Stakes::<T>::insert(who, ledger);
		}
	}
}
