//! What the lease pallet tells this one.

use crate::*;
use ccre_primitives::{OnLeaseReaped, OrderId};
use frame_support::weights::Weight;

impl<T: Config> OnLeaseReaped<T::AccountId> for Pallet<T> {
	fn on_lease_reaped(lease: OrderId) {
		Uptime::<T>::remove(lease);
	}

	fn on_provider_idle(provider: &T::AccountId) {
		// A provider serving nothing has no heartbeat to send; its record would stay forever.
		LastHeartbeat::<T>::remove(provider);
	}

	fn weight() -> Weight {
		T::WeightInfo::on_lease_reaped()
	}
}
