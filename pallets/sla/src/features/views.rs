//! What the runtime API reads: the pool, an underwriter's stake, a lease's pending downtime.

use crate::*;
use ccre_primitives::{Downtime, LeaseInspect, OrderId, PoolView, UnderwritingView};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// The insurance pool.
	pub fn pool_view() -> PoolView<BalanceOf<T>> {
		PoolView { value: Self::pool_value(), total_shares: TotalShares::<T>::get() }
	}

	/// `who`'s stake in the pool, if it has one.
	pub fn underwriting_view(
		who: &T::AccountId,
	) -> Option<UnderwritingView<BalanceOf<T>, BlockNumberFor<T>>> {
		let record = Underwriters::<T>::get(who)?;
		let value = Self::convert(record.shares, Self::redeemable_value(), TotalShares::<T>::get())
			.unwrap_or_else(|_| Zero::zero());
		Some(UnderwritingView { shares: record.shares, value, unlocks_at: record.unlocks_at })
	}

	/// The downtime a claim on `lease` would cover now; `None` if the lease is unknown or not
	/// started.
	pub fn pending_downtime(lease: OrderId) -> Option<Downtime> {
		let facts = T::Leases::lease(lease)?;
		Some(Self::claim_period(lease, facts.started_at?, &facts).downtime())
	}
}
