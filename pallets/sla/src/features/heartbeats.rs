//! Heartbeats: once per epoch, a provider names the started leases it serves.

use crate::*;
use ccre_primitives::{epoch_of, first_whole_epoch, EpochIndex, LeaseInspect, LeaseState, OrderId};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::SaturatedConversion;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_heartbeat(
		provider: T::AccountId,
		leases: BoundedVec<OrderId, T::MaxHeartbeatLeases>,
	) -> DispatchResultWithPostInfo {
		ensure!(!leases.is_empty(), Error::<T>::NoLeases);
		let epoch = Self::current_epoch();
		ensure!(
			LastHeartbeat::<T>::get(&provider).is_none_or(|last| last < epoch),
			Error::<T>::AlreadyReported
		);
		for (index, lease_id) in leases.iter().enumerate() {
			ensure!(!leases[..index].contains(lease_id), Error::<T>::DuplicateLease);
			let lease = T::Leases::lease(*lease_id).ok_or(Error::<T>::NotServing)?;
			let started_at = lease.started_at.ok_or(Error::<T>::NotServing)?;
			ensure!(
				lease.provider == provider && lease.state == LeaseState::Active,
				Error::<T>::NotServing
			);
			let mut uptime = Self::uptime(*lease_id, started_at);
			// The epoch a lease starts in is not a whole epoch of it, and does not count.
			if epoch >= uptime.counted_from {
				uptime.served = uptime.served.saturating_add(1);
				uptime.last_served = Some(epoch);
			}
			Uptime::<T>::insert(lease_id, uptime);
		}
		LastHeartbeat::<T>::insert(&provider, epoch);
		Self::deposit_event(Event::Heartbeat {
			provider,
			epoch,
			leases: leases.len().saturated_into(),
		});
		// Reporting is the provider's duty, not a service it buys: a valid heartbeat is free.
		Ok(Pays::No.into())
	}

	/// The epoch the current block is in.
	pub(crate) fn current_epoch() -> EpochIndex {
		Self::epoch_at(frame_system::Pallet::<T>::block_number())
	}

	pub(crate) fn epoch_at(block: BlockNumberFor<T>) -> EpochIndex {
		epoch_of(block.saturated_into(), T::EpochLength::get())
	}

	/// The first whole epoch of a lease started at `started_at`: the first its SLA covers.
	pub(crate) fn first_epoch(started_at: BlockNumberFor<T>) -> EpochIndex {
		first_whole_epoch(started_at.saturated_into(), T::EpochLength::get())
	}

	/// What is counted for `lease`, started at `started_at`: from its first whole epoch if
	/// nothing is yet.
	pub(crate) fn uptime(lease: OrderId, started_at: BlockNumberFor<T>) -> UptimeRecord {
		Uptime::<T>::get(lease).unwrap_or(UptimeRecord {
			counted_from: Self::first_epoch(started_at),
			served: 0,
			last_served: None,
		})
	}
}
