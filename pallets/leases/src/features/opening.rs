//! Opening a lease for a matched order, for the order book.

use crate::*;
use ccre_primitives::{LeaseOpener, LeaseState, OrderId, SlaTerms};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> LeaseOpener<T::AccountId, T::Balance, BlockNumberFor<T>> for Pallet<T> {
	fn open_lease(
		order: OrderId,
		tenant: &T::AccountId,
		provider: &T::AccountId,
		price: T::Balance,
		duration: Option<BlockNumberFor<T>>,
		sla: SlaTerms,
	) -> DispatchResult {
		ensure!(!Leases::<T>::contains_key(order), Error::<T>::LeaseExists);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		let mut load = ProviderLoads::<T>::get(provider).unwrap_or_default();
		ensure!(load.leases < T::MaxLeasesPerProvider::get(), Error::<T>::TooManyLeases);
		load.leases = load.leases.saturating_add(1);
		load.price = load.price.checked_add(&price).ok_or(Error::<T>::PriceOverflow)?;

		let now = frame_system::Pallet::<T>::block_number();
		let deadline = Self::schedule(order, now.saturating_add(T::ManifestTimeout::get()));
		Leases::<T>::insert(
			order,
			Lease {
				tenant: tenant.clone(),
				provider: provider.clone(),
				price,
				created_at: now,
				started_at: None,
				duration,
				state: LeaseState::Active,
				deadline: Some(deadline),
				sla,
			},
		);
		ProviderLoads::<T>::insert(provider, load);
		Self::deposit_event(Event::Opened {
			lease: order,
			tenant: tenant.clone(),
			provider: provider.clone(),
			price,
		});
		Ok(())
	}
}
