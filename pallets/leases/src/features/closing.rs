//! Closing a lease: by its tenant or provider, by the chain at a deadline, or when its escrow
//! runs out.

use crate::*;
use ccre_primitives::{
	reputation_effect, CloseReason, Escrow, LeaseState, OnFundsExhausted, OnLeaseReaped, OrderId,
	ReputationRecorder, Settlement,
};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// `who` closes `lease_id` for `reason`: the tenant with its reason, the provider with one
	/// of its own.
	pub(crate) fn do_close_as(
		who: T::AccountId,
		lease_id: OrderId,
		reason: CloseReason,
	) -> DispatchResult {
		let lease = Leases::<T>::get(lease_id).ok_or(Error::<T>::UnknownLease)?;
		let is_tenant = who == lease.tenant;
		let is_provider = who == lease.provider;
		ensure!(is_tenant || is_provider, Error::<T>::NotParticipant);
		ensure!(
			(is_tenant && reason.is_tenants()) || (is_provider && reason.is_providers()),
			Error::<T>::NotAllowed
		);
		Self::do_close(lease_id, reason, frame_system::Pallet::<T>::block_number())
	}

	/// Closes the active lease `lease_id` for `reason` at block `at`: settles and closes its
	/// escrow account, cancels its deadline and records the outcome for the provider.
	///
	/// Not transactional by itself: callers outside a dispatch wrap it in a storage layer.
	pub(crate) fn do_close(
		lease_id: OrderId,
		reason: CloseReason,
		at: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut lease = Leases::<T>::get(lease_id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(matches!(lease.state, LeaseState::Active), Error::<T>::NotActive);

		let Settlement { paid, refunded } = T::Escrow::close(lease_id)?;
		if let Some((outcome, value)) = reputation_effect(reason, paid, lease.price) {
			T::Reputation::record_outcome(&lease.provider, outcome, value)?;
		}
		Self::unschedule(lease_id, lease.deadline.take());
		Self::end_active(&lease.provider, lease.price);
		lease.state = LeaseState::Closed { reason, at };
		Leases::<T>::insert(lease_id, lease);
		Self::deposit_event(Event::Closed { lease: lease_id, reason, at, paid, refunded });
		Ok(())
	}

	/// Takes one lease of `provider`'s at `price` out of its load; at none left, the record goes
	/// and whoever keeps something per serving provider is told.
	fn end_active(provider: &T::AccountId, price: T::Balance) {
		let idle = ProviderLoads::<T>::mutate_exists(provider, |load| {
			if let Some(current) = load.as_mut() {
				current.leases = current.leases.saturating_sub(1);
				current.price = current.price.saturating_sub(price);
			}
			if load.is_some_and(|current| current.leases == 0) {
				*load = None;
				return true;
			}
			false
		});
		if idle {
			T::OnReaped::on_provider_idle(provider);
		}
	}
}

impl<T: Config> OnFundsExhausted<T::Balance, BlockNumberFor<T>> for Pallet<T> {
	fn on_funds_exhausted(order: OrderId, at: BlockNumberFor<T>, paid: T::Balance) {
		let Some(mut lease) = Leases::<T>::get(order) else { return };
		if !matches!(lease.state, LeaseState::Active) {
			return;
		}
		// The escrow account is gone already, so there is nothing to settle: the lease only
		// follows it. A lease that ran until its funds ran out was served.
		Self::unschedule(order, lease.deadline.take());
		Self::end_active(&lease.provider, lease.price);
		// The escrow cannot be told of a failure here; a provider the registry does not know
		// (which the order book never matches) simply gets no outcome.
		if let Some((outcome, value)) =
			reputation_effect(CloseReason::InsufficientFunds, paid, lease.price)
		{
			let _ = T::Reputation::record_outcome(&lease.provider, outcome, value);
		}
		lease.state = LeaseState::InsufficientFunds { at };
		Leases::<T>::insert(order, lease);
		Self::deposit_event(Event::FundsExhausted { lease: order, at });
	}

	fn weight() -> Weight {
		T::WeightInfo::on_funds_exhausted().saturating_add(T::OnReaped::weight())
	}
}
