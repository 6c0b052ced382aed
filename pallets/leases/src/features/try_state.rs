//! Invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use ccre_primitives::LeaseState;
use frame_support::{ensure, traits::Get};
use sp_runtime::{
	traits::{One, Saturating},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut active = BTreeMap::<T::AccountId, ProviderLoad<T::Balance>>::new();
		for (id, lease) in Leases::<T>::iter() {
			if let Some(started_at) = lease.started_at {
				ensure!(started_at >= lease.created_at, "a lease started before it was opened");
			}
			match lease.state {
				LeaseState::Active => {
					let load = active.entry(lease.provider.clone()).or_default();
					load.leases = load.leases.saturating_add(1);
					load.price = load.price.saturating_add(lease.price);
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

		for (provider, load) in ProviderLoads::<T>::iter() {
			ensure!(load.leases > 0, "a provider without active leases has a load");
			ensure!(
				load.leases <= T::MaxLeasesPerProvider::get(),
				"a provider holds more leases than allowed"
			);
			ensure!(
				active.remove(&provider) == Some(load),
				"a provider's load differs from its active leases"
			);
		}
		ensure!(active.is_empty(), "active leases without a load");
		Ok(())
	}
}
