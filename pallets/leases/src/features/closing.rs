//! Closing a lease: by its tenant or provider, by the chain at a deadline, or when its escrow
//! runs out.

use crate::*;
use ccre_primitives::{
	CloseReason, Escrow, LeaseState, OnFundsExhausted, OrderId, ReputationRecorder, Settlement,
};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;

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
		let value = Self::outcome_value(&lease, paid);
		T::Reputation::record_outcome(&lease.provider, reason.outcome(), value)?;
		Self::unschedule(lease_id, lease.deadline.take());
		Self::end_active(&lease.provider);
		lease.state = LeaseState::Closed { reason, at };
		Leases::<T>::insert(lease_id, lease);
		Self::deposit_event(Event::Closed { lease: lease_id, reason, at, paid, refunded });
		Ok(())
	}

	/// What a lease's outcome weighs in its provider's reputation: what it paid, and at least
	/// one block's price, so a failure with nothing paid still counts.
	fn outcome_value(lease: &LeaseOf<T>, paid: T::Balance) -> T::Balance {
		paid.max(lease.price)
	}

	/// Counts one lease of `provider`'s out of state `Active`, removing the count at zero.
	fn end_active(provider: &T::AccountId) {
		ActiveLeaseCount::<T>::mutate_exists(provider, |count| {
			*count = count.and_then(|count| count.checked_sub(1)).filter(|count| *count > 0);
		});
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
		Self::end_active(&lease.provider);
		// The escrow cannot be told of a failure here; a provider the registry does not know
		// (which the order book never matches) simply gets no outcome.
		let _ = T::Reputation::record_outcome(
			&lease.provider,
			CloseReason::InsufficientFunds.outcome(),
			Self::outcome_value(&lease, paid),
		);
		lease.state = LeaseState::InsufficientFunds { at };
		Leases::<T>::insert(order, lease);
		Self::deposit_event(Event::FundsExhausted { lease: order, at });
	}

	fn weight() -> Weight {
		T::WeightInfo::on_funds_exhausted()
	}
}
