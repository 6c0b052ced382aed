//! Invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use ccre_primitives::LeaseState;
use frame_support::ensure;
use sp_runtime::{
	traits::{One, Saturating},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut active = BTreeMap::<T::AccountId, u32>::new();
		for (id, lease) in Leases::<T>::iter() {
			if let Some(started_at) = lease.started_at {
				ensure!(started_at >= lease.created_at, "a lease started before it was opened");
			}
			match lease.state {
				LeaseState::Active => {
					let count = active.entry(lease.provider.clone()).or_default();
					*count = count.saturating_add(1);
					// Not started: the manifest timeout; started: the expiry, if it has one.
					let expects_deadline = lease.started_at.is_none() || lease.duration.is_some();
					ensure!(
						lease.deadline.is_some() == expects_deadline,
						"an active lease's deadline does not match its stage"
					);
				},
				LeaseState::InsufficientFunds { .. } | LeaseState::Closed { .. } => {
					ensure!(lease.deadline.is_none(), "a closed lease has a deadline");
				},
			}
			if let Some(block) = lease.deadline {
				ensure!(
					Deadlines::<T>::contains_key(block, id),
					"a lease's deadline is not booked"
				);
			}
		}

		let cursor = DeadlineCursor::<T>::get();
		for (block, id, ()) in Deadlines::<T>::iter() {
			ensure!(
				Leases::<T>::get(id).and_then(|lease| lease.deadline) == Some(block),
				"a booked deadline does not belong to its lease"
			);
			if let Some(cursor) = cursor {
				ensure!(block >= cursor, "a deadline is booked behind the cursor");
			}
		}
		if let Some(cursor) = cursor {
			ensure!(cursor <= now.saturating_add(One::one()), "the deadline cursor is ahead");
		}

		for (provider, count) in ActiveLeaseCount::<T>::iter() {
			ensure!(count > 0, "a zero lease count is stored");
			ensure!(
				active.remove(&provider) == Some(count),
				"a lease count differs from the active leases"
			);
		}
		ensure!(active.is_empty(), "active leases without a count");
		Ok(())
	}
}
