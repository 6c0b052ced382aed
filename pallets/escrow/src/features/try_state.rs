//! Invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut held = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (order, account) in Accounts::<T>::iter() {
			let total = held.entry(account.owner.clone()).or_default();
			*total = total.saturating_add(account.balance);
			match (&account.stream, account.due_at) {
				(Some(stream), Some(due_at)) => {
					ensure!(!stream.rate.is_zero(), "a stream with a zero rate");
					ensure!(stream.settled_at <= due_at, "a stream settled past its due block");
					ensure!(
						Due::<T>::contains_key(due_at, order),
						"a streaming account has no Due entry at its due block"
					);
				},
				(Some(_), None) => return Err("a streaming account is not scheduled".into()),
				(None, Some(_)) => return Err("an account without a stream is scheduled".into()),
				(None, None) => {},
			}
		}
		for (order, ledger) in Vesting::<T>::iter() {
			ensure!(
				!ledger.chunks.is_empty() || ledger.disputed,
				"an empty vesting ledger is kept without a dispute"
			);
			ensure!(
				ledger.chunks.windows(2).all(|pair| pair[0].vests_at < pair[1].vests_at),
				"vesting chunks out of order"
			);
			for chunk in ledger.chunks.iter() {
				ensure!(!chunk.paid.is_zero(), "a vesting chunk with nothing paid");
				ensure!(chunk.earned <= chunk.paid, "earnings above what was paid for them");
			}
			if let Some(account) = Accounts::<T>::get(order) {
				ensure!(account.owner == ledger.owner, "earnings held on another owner");
			}
			let total = held.entry(ledger.owner.clone()).or_default();
			*total = total.saturating_add(Self::vesting_of(order));
		}
		for (owner, total) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &owner) == total,
				"an owner's escrow hold differs from its accounts and held earnings"
			);
		}

		let cursor = SweepCursor::<T>::get();
		for (block, order, ()) in Due::<T>::iter() {
			let account = Accounts::<T>::get(order).ok_or("a Due entry without an account")?;
			ensure!(account.stream.is_some(), "a Due entry for an account without a stream");
			ensure!(
				account.due_at == Some(block),
				"a Due entry other than its account's due block"
			);
			// The sweep never looks behind its cursor again.
			ensure!(cursor.is_none_or(|cursor| block >= cursor), "a Due entry behind the cursor");
		}
		Ok(())
	}
}
