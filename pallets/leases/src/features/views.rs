//! What the runtime API and other pallets read.

use crate::*;
use ccre_primitives::{ActiveLeases, LeaseFacts, LeaseInspect, OrderId};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The lease `lease`, open or closed and not yet reaped. The runtime API adds the order's
	/// manifest hash and the escrow account to make a [`ccre_primitives::LeaseView`].
	pub fn lease_view(lease: OrderId) -> Option<LeaseOf<T>> {
		Leases::<T>::get(lease)
	}
}

impl<T: Config> ActiveLeases<T::AccountId, T::Balance> for Pallet<T> {
	fn active_leases(provider: &T::AccountId) -> u32 {
		ProviderLoads::<T>::get(provider).map_or(0, |load| load.leases)
	}

	fn committed_price(provider: &T::AccountId) -> T::Balance {
		ProviderLoads::<T>::get(provider).map_or_else(Default::default, |load| load.price)
	}

	fn has_room(provider: &T::AccountId) -> bool {
		Self::active_leases(provider) < T::MaxLeasesPerProvider::get()
	}
}

impl<T: Config> LeaseInspect<T::AccountId, T::Balance, BlockNumberFor<T>> for Pallet<T> {
	fn lease(lease: OrderId) -> Option<LeaseFacts<T::AccountId, T::Balance, BlockNumberFor<T>>> {
		Leases::<T>::get(lease).map(|lease| LeaseFacts {
			tenant: lease.tenant,
			provider: lease.provider,
			price: lease.price,
			started_at: lease.started_at,
			state: lease.state,
			sla: lease.sla,
		})
	}
}
