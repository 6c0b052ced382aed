//! The provider starting a lease once it has deployed the manifest.

use crate::*;
use ccre_primitives::{Escrow, LeaseState, OrderId};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_start(who: T::AccountId, lease_id: OrderId) -> DispatchResult {
		let mut lease = Leases::<T>::get(lease_id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(who == lease.provider, Error::<T>::NotProvider);
		ensure!(matches!(lease.state, LeaseState::Active), Error::<T>::NotActive);
		ensure!(lease.started_at.is_none(), Error::<T>::AlreadyStarted);

		let now = frame_system::Pallet::<T>::block_number();
		let ends_at = lease.duration.map(|duration| now.saturating_add(duration));
		T::Escrow::start_stream(lease_id, &lease.provider, lease.price, ends_at)?;
		// The manifest timeout no longer applies; the expiry, if any, takes its place.
		Self::unschedule(lease_id, lease.deadline.take());
		lease.deadline = ends_at.map(|end| Self::schedule(lease_id, end));
		lease.started_at = Some(now);
		Leases::<T>::insert(lease_id, lease);
		Self::deposit_event(Event::Started { lease: lease_id, at: now });
		Ok(())
	}
}
