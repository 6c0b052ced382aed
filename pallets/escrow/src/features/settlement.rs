//! Paying a stream, scheduling its next settlement, and closing an account whose funds ran out.
//!
//! Settlement moves several transfers; every caller runs it inside a storage layer (a call, or
//! the sweep's and `close`'s own), so a failed transfer never leaves a payment half made.

use crate::*;
use ccre_primitives::{OnFundsExhausted, OrderId};
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
	traits::{Bounded, CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, One, Saturating, Zero},
	SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_settle(order: OrderId) -> DispatchResult {
		let account = Accounts::<T>::get(order).ok_or(Error::<T>::UnknownAccount)?;
		ensure!(account.stream.is_some(), Error::<T>::NoStream);
		Self::settle_or_exhaust(order, account, frame_system::Pallet::<T>::block_number())
	}

	/// Settles `account` to `now` and schedules its next settlement, or closes it if its funds
	/// have run out by `now`. The sweep and [`Pallet::settle`] both come here.
	pub(crate) fn settle_or_exhaust(
		order: OrderId,
		mut account: EscrowAccountOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		match Self::runs_out_at_of(&account) {
			Some(runs_out_at) if runs_out_at <= now => Self::exhaust(order, account),
			_ => {
				Self::settle_to(order, &mut account, now)?;
				Self::reschedule(order, &mut account, now);
				Accounts::<T>::insert(order, account);
				Ok(())
			},
		}
	}

	/// Closes an account whose funds have run out: pays the stream up to the block they ran
	/// out at, returns the remainder to the owner, removes the account and tells
	/// `OnFundsExhausted`, which finds the account already gone.
	pub(crate) fn exhaust(order: OrderId, mut account: EscrowAccountOf<T>) -> DispatchResult {
		let at = Self::runs_out_at_of(&account).ok_or(Error::<T>::NoStream)?;
		Self::settle_to(order, &mut account, at)?;
		let refunded = account.balance;
		Self::refund(&account.owner, refunded)?;
		Self::unschedule(order, &mut account);
		Accounts::<T>::remove(order);
		let paid = account.paid;
		Self::deposit_event(Event::FundsExhausted { order, at, paid, refunded });
		T::OnFundsExhausted::on_funds_exhausted(order, at, paid);
		Ok(())
	}

	/// Pays `account`'s stream up to `to`, or up to the block its funds run out if earlier, and
	/// splits each payment between the payee's vesting earnings, the treasury and the insurance
	/// pool; hands the payee what has vested. Updates `account` but does not store it; the
	/// caller reschedules and stores it.
	pub(crate) fn settle_to(
		order: OrderId,
		account: &mut EscrowAccountOf<T>,
		to: BlockNumberFor<T>,
	) -> DispatchResult {
		let Some((settled_to, due)) = Self::owed(account, to)? else { return Ok(()) };
		let Some(payee) = account.stream.as_ref().map(|stream| stream.payee.clone()) else {
			return Ok(());
		};
		let take = T::TakeRate::get().mul_floor(due);
		let to_pool = T::InsuranceShare::get().mul_floor(take);
		let to_treasury = take.saturating_sub(to_pool);
		let to_provider = due.saturating_sub(take);
		// Worked out before anything moves, so a failure leaves `account` as it was.
		let balance = account.balance.checked_sub(&due).ok_or(Error::<T>::Overflow)?;
		let paid = account.paid.checked_add(&due).ok_or(Error::<T>::Overflow)?;

		Self::pay(&account.owner, &T::Treasury::get(), to_treasury)?;
		Self::pay(&account.owner, &T::InsurancePool::get(), to_pool)?;
		// The provider's part stays held until it vests: claims may take it back until then.
		// What vested earlier goes first, making room in the ledger.
		Self::release_vested_of(order)?;
		let now = frame_system::Pallet::<T>::block_number();
		Self::add_earnings(order, &account.owner, &payee, due, to_provider, now)?;

		account.balance = balance;
		account.paid = paid;
		if let Some(stream) = account.stream.as_mut() {
			stream.settled_at = settled_to;
		}
		Self::deposit_event(Event::Settled {
			order,
			to_provider,
			to_treasury,
			to_pool,
			settled_to,
		});
		Ok(())
	}

	/// What `account`'s stream owes for the blocks up to `to`, capped at the block its funds
	/// run out: the block it would be settled to and the amount, or `None` if nothing is owed.
	pub(crate) fn owed(
		account: &EscrowAccountOf<T>,
		to: BlockNumberFor<T>,
	) -> Result<Option<(BlockNumberFor<T>, BalanceOf<T>)>, DispatchError> {
		let Some(stream) = account.stream.as_ref() else { return Ok(None) };
		let to = to.min(Self::runs_out_at(account.balance, stream));
		let to = stream.ends_at.map_or(to, |ends_at| to.min(ends_at));
		if to <= stream.settled_at {
			return Ok(None);
		}
		// At most `balance / rate` blocks because of the cap, so this fits the balance type.
		let blocks: u128 = to.saturating_sub(stream.settled_at).saturated_into();
		let due = stream
			.rate
			.checked_mul(&BalanceOf::<T>::saturated_from(blocks))
			.ok_or(Error::<T>::Overflow)?;
		ensure!(due <= account.balance, Error::<T>::Overflow);
		Ok(Some((to, due)))
	}

	/// The block `account`'s funds run out at; `None` without a stream.
	pub(crate) fn runs_out_at_of(account: &EscrowAccountOf<T>) -> Option<BlockNumberFor<T>> {
		account.stream.as_ref().map(|stream| Self::runs_out_at(account.balance, stream))
	}

	/// The block a stream with `balance` left runs out at: the last block it can pay up to in
	/// full.
	pub(crate) fn runs_out_at(balance: BalanceOf<T>, stream: &StreamOf<T>) -> BlockNumberFor<T> {
		stream.settled_at.saturating_add(Self::blocks_covered(balance, stream.rate))
	}

	/// Whole blocks `balance` pays for at `rate`; saturates rather than fail, since a stream
	/// that long never runs out in practice.
	pub(crate) fn blocks_covered(balance: BalanceOf<T>, rate: BalanceOf<T>) -> BlockNumberFor<T> {
		match balance.checked_div(&rate) {
			Some(blocks) => BlockNumberFor::<T>::saturated_from(blocks.saturated_into::<u128>()),
			None => BlockNumberFor::<T>::max_value(),
		}
	}

	/// The settlement interval, at least one block.
	pub(crate) fn interval() -> BlockNumberFor<T> {
		T::SettlementInterval::get().max(One::one())
	}

	/// Moves `account`'s [`Due`] entry to when it must next be settled: the earlier of its next
	/// interval and the block it runs out, but never before the next block, whose sweep is the
	/// earliest still to come. Without a stream the entry is removed.
	pub(crate) fn reschedule(
		order: OrderId,
		account: &mut EscrowAccountOf<T>,
		now: BlockNumberFor<T>,
	) {
		let next = account.stream.as_ref().map(|stream| {
			stream
				.settled_at
				.saturating_add(Self::interval())
				.min(Self::runs_out_at(account.balance, stream))
				.max(now.saturating_add(One::one()))
		});
		if next == account.due_at {
			return;
		}
		Self::unschedule(order, account);
		if let Some(due_at) = next {
			Due::<T>::insert(due_at, order, ());
			account.due_at = Some(due_at);
		}
	}

	/// Removes `account`'s [`Due`] entry, if it has one.
	pub(crate) fn unschedule(order: OrderId, account: &mut EscrowAccountOf<T>) {
		if let Some(due_at) = account.due_at.take() {
			Due::<T>::remove(due_at, order);
		}
	}

	/// Pays `amount` of `owner`'s escrowed funds to `dest`.
	pub(crate) fn pay(
		owner: &T::AccountId,
		dest: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::Escrow.into(),
			owner,
			dest,
			amount,
			Precision::Exact,
			Restriction::Free,
			// Escrowed funds are the payee's once due: a lock the tenant took on its account
			// afterwards must not stop the payment.
			Fortitude::Force,
		)?;
		Ok(())
	}

	/// Returns `amount` of `owner`'s escrowed funds to its free balance.
	pub(crate) fn refund(owner: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&HoldReason::Escrow.into(), owner, amount, Precision::Exact)?;
		Ok(())
	}
}
