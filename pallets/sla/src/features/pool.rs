//! The insurance pool's underwriters: deposits for shares, withdrawals after the lock-up.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, Saturating, Zero},
	Rounding,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_underwrite(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(amount >= T::MinUnderwriting::get(), Error::<T>::BelowMinimum);
		let value = Self::pool_value();
		let mut total = TotalShares::<T>::get();
		if total.is_zero() {
			// What the pool holds before its first underwriter is the market's: it becomes
			// the market's shares, one per unit, so no underwriter is handed it.
			total = value;
		}
		let shares = if total.is_zero() {
			amount
		} else {
			ensure!(!value.is_zero(), Error::<T>::PoolDepleted);
			Self::convert(amount, total, value)?
		};
		ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
		let total = total.checked_add(&shares).ok_or(Error::<T>::Overflow)?;
		T::Currency::transfer(&who, &T::Pool::get(), amount, Preservation::Preserve)?;
		let unlocks_at = frame_system::Pallet::<T>::block_number().saturating_add(T::LockUp::get());
		let mut record = Underwriters::<T>::get(&who)
			.unwrap_or(Underwriting { shares: Zero::zero(), unlocks_at });
		record.shares = record.shares.checked_add(&shares).ok_or(Error::<T>::Overflow)?;
		record.unlocks_at = unlocks_at;
		Underwriters::<T>::insert(&who, record);
		TotalShares::<T>::put(total);
		Self::deposit_event(Event::Underwritten { underwriter: who, amount, shares, unlocks_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_underwriting(
		who: T::AccountId,
		shares: BalanceOf<T>,
	) -> DispatchResult {
		let mut record = Underwriters::<T>::get(&who).ok_or(Error::<T>::NotUnderwriter)?;
		ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
		ensure!(shares <= record.shares, Error::<T>::InsufficientShares);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= record.unlocks_at, Error::<T>::StillLocked);
		let total = TotalShares::<T>::get();
		let amount = Self::convert(shares, Self::redeemable_value(), total)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroShares);
		T::Currency::transfer(&T::Pool::get(), &who, amount, Preservation::Preserve)?;
		record.shares = record.shares.saturating_sub(shares);
		if record.shares.is_zero() {
			Underwriters::<T>::remove(&who);
		} else {
			Underwriters::<T>::insert(&who, record);
		}
		TotalShares::<T>::put(total.saturating_sub(shares));
		Self::deposit_event(Event::UnderwritingWithdrawn { underwriter: who, shares, amount });
		Ok(())
	}

	/// What the pool can pay out: its balance above the existential deposit.
	pub fn pool_value() -> BalanceOf<T> {
		T::Currency::reducible_balance(&T::Pool::get(), Preservation::Preserve, Fortitude::Polite)
	}

	/// What the pool's shares redeem against: its value less what pending claims could take
	/// from it. Deposits buy shares at the full value, redemptions are paid net of pending
	/// claims, so neither an underwriter leaving ahead of a payout nor one buying in cheaply
	/// while a claim is pending can take from the others.
	pub fn redeemable_value() -> BalanceOf<T> {
		Self::pool_value().saturating_sub(PendingExposure::<T>::get())
	}

	/// `amount × numerator / denominator`, rounded down: shares bought and funds redeemed
	/// both round in the pool's favour, so no one can take from the others by rounding.
	pub(crate) fn convert(
		amount: BalanceOf<T>,
		numerator: BalanceOf<T>,
		denominator: BalanceOf<T>,
	) -> Result<BalanceOf<T>, Error<T>> {
		multiply_by_rational_with_rounding(
			amount.try_into().map_err(|_| Error::<T>::Overflow)?,
			numerator.try_into().map_err(|_| Error::<T>::Overflow)?,
			denominator.try_into().map_err(|_| Error::<T>::Overflow)?,
			Rounding::Down,
		)
		.and_then(|result| result.try_into().ok())
		.ok_or(Error::<T>::Overflow)
	}
}
