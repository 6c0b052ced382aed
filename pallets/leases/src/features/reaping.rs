//! Reaping closed leases once the window for claims against them is over.

use crate::*;
use ccre_primitives::{Deployments, Escrow, OnLeaseReaped, OrderId};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_reap(who: T::AccountId, lease_id: OrderId) -> DispatchResult {
		let lease = Leases::<T>::get(lease_id).ok_or(Error::<T>::UnknownLease)?;
		let closed_at = lease.state.closed_at().ok_or(Error::<T>::StillActive)?;
		// The retention protects the tenant's claims; the tenant may give that up.
		if who != lease.tenant {
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				now >= closed_at.saturating_add(T::ClosedLeaseRetention::get()),
				Error::<T>::RetentionNotOver
			);
		}
		T::Deployments::remove_deployment(lease_id)?;
		// No claim can reach the lease any more: what it still holds of the provider's
		// earnings is the provider's.
		T::Escrow::release_earnings(lease_id)?;
		Leases::<T>::remove(lease_id);
		T::OnReaped::on_lease_reaped(lease_id);
		Self::deposit_event(Event::Reaped { lease: lease_id });
		Ok(())
	}
}
