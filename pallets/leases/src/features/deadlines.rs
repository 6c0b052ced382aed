//! Deadlines: the manifest timeout of a lease not yet started and the expiry of a started
//! lease with a duration, kept in per-block buckets and worked through by `on_initialize`
//! under a weight budget, resuming from a cursor so none is skipped.

use crate::*;
use alloc::vec::Vec;
use ccre_primitives::{CloseReason, LeaseState, OrderId};
use frame_support::{pallet_prelude::*, storage::with_storage_layer, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Books `lease_id`'s deadline at `block`, or at the next block if `block` is not after
	/// the current one (its bucket may have been processed already), and returns the block
	/// booked.
	pub(crate) fn schedule(lease_id: OrderId, block: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let earliest = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		let block = block.max(earliest);
		Deadlines::<T>::insert(block, lease_id, ());
		block
	}

	/// Cancels `lease_id`'s deadline at `deadline`, if it has one.
	pub(crate) fn unschedule(lease_id: OrderId, deadline: Option<BlockNumberFor<T>>) {
		if let Some(block) = deadline {
			Deadlines::<T>::remove(block, lease_id);
		}
	}

	/// Processes the deadline buckets from the cursor to `now`, within `DeadlineBudget`, and
	/// returns the weight used.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::DeadlineBudget::get());
		let mut block = DeadlineCursor::<T>::get().unwrap_or(now);
		while block <= now {
			if !Self::process_bucket(block, now, &mut meter) {
				DeadlineCursor::<T>::put(block);
				Self::deposit_event(Event::DeadlinesDeferred { from: block });
				return meter.consumed();
			}
			if block == now {
				break;
			}
			block = block.saturating_add(One::one());
		}
		DeadlineCursor::<T>::put(now.saturating_add(One::one()));
		meter.consumed()
	}

	/// Processes as much of `block`'s bucket as the meter allows; whether it finished it.
	fn process_bucket(
		block: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
		meter: &mut WeightMeter,
	) -> bool {
		if meter.try_consume(T::WeightInfo::deadline_bucket()).is_err() {
			return false;
		}
		let item = T::WeightInfo::deadline_item();
		let mut due = Vec::new();
		let mut finished = true;
		// Keys first, processing after: closing a lease removes its key from this bucket.
		for lease_id in Deadlines::<T>::iter_key_prefix(block) {
			if meter.try_consume(item).is_err() {
				finished = false;
				break;
			}
			due.push(lease_id);
		}
		for lease_id in due {
			Self::process_deadline(block, lease_id, now);
		}
		finished
	}

	/// Closes `lease_id`, whose deadline is `block`: with `ManifestTimeout` if the provider
	/// never started it, `Expired` if it ran its duration. A failed close leaves the lease as
	/// it was, with its deadline moved to the next block to try again.
	pub(crate) fn process_deadline(
		block: BlockNumberFor<T>,
		lease_id: OrderId,
		now: BlockNumberFor<T>,
	) {
		let lease = match Leases::<T>::get(lease_id) {
			Some(lease)
				if matches!(lease.state, LeaseState::Active) && lease.deadline == Some(block) =>
			{
				lease
			},
			// A stale entry (which `try_state` rules out): drop it.
			_ => {
				Deadlines::<T>::remove(block, lease_id);
				return;
			},
		};
		let reason = if lease.started_at.is_some() {
			CloseReason::Expired
		} else {
			CloseReason::ManifestTimeout
		};
		if let Err(error) = with_storage_layer(|| Self::do_close(lease_id, reason, block)) {
			Deadlines::<T>::remove(block, lease_id);
			let retry = Self::schedule(lease_id, now.saturating_add(One::one()));
			Leases::<T>::mutate(lease_id, |lease| {
				if let Some(lease) = lease {
					lease.deadline = Some(retry);
				}
			});
			Self::deposit_event(Event::CloseFailed { lease: lease_id, error });
		}
	}
}
