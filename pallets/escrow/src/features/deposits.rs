//! Topping up an account, by its owner or anyone else.

use crate::*;
use ccre_primitives::OrderId;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::traits::{CheckedAdd, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_deposit(
		from: T::AccountId,
		order: OrderId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut account = Accounts::<T>::get(order).ok_or(Error::<T>::UnknownAccount)?;
		let now = frame_system::Pallet::<T>::block_number();
		// An account whose funds ran out is over, even if the sweep has not closed it yet:
		// topping it up would revive the stream and charge the blocks in between.
		ensure!(
			Self::runs_out_at_of(&account).is_none_or(|runs_out_at| runs_out_at > now),
			Error::<T>::FundsRanOut
		);
		// Settled first, so the new funds pay only for blocks from now on.
		Self::settle_to(order, &mut account, now)?;
		let balance = account.balance.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let reason = HoldReason::Escrow.into();
		if from == account.owner {
			T::Currency::hold(&reason, &from, amount)?;
		} else {
			// The funds become the owner's, held: the owner gets back whatever is not paid out.
			T::Currency::transfer_and_hold(
				&reason,
				&from,
				&account.owner,
				amount,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)?;
		}
		account.balance = balance;
		Self::reschedule(order, &mut account, now);
		Accounts::<T>::insert(order, account);
		Self::deposit_event(Event::Deposited { order, from, amount });
		Ok(())
	}
}
