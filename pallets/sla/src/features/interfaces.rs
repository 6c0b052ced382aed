//! What the lease pallet tells this one.

use crate::*;
use ccre_primitives::{OnLeaseReaped, OrderId};
use frame_support::weights::Weight;

impl<T: Config> OnLeaseReaped for Pallet<T> {
	fn on_lease_reaped(lease: OrderId) {
		Uptime::<T>::remove(lease);
	}

	fn weight() -> Weight {
		T::WeightInfo::on_lease_reaped()
	}
}
