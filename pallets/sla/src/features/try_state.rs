//! The pallet's invariants, checked after every test and by `try-runtime`.

use crate::*;
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		// Underwriters hold no more than all the shares; the rest are the market's.
		let mut underwritten = BalanceOf::<T>::zero();
		for (_, record) in Underwriters::<T>::iter() {
			ensure!(!record.shares.is_zero(), "an underwriter with no shares is kept");
			underwritten = underwritten.saturating_add(record.shares);
		}
		ensure!(underwritten <= TotalShares::<T>::get(), "underwriters hold more than all shares");

		// Every pending claim is indexed by its lease, once, and its deposit is held.
		let mut deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let next = NextClaimId::<T>::get();
		let mut exposure = BalanceOf::<T>::zero();
		for (id, claim) in Claims::<T>::iter() {
			ensure!(id < next, "a claim id at or above NextClaimId");
			ensure!(claim.exposure <= claim.amount, "a claim exposes more than it claims");
			exposure = exposure.saturating_add(claim.exposure);
			ensure!(PendingClaim::<T>::get(claim.lease) == Some(id), "a claim not indexed");
			let total = deposits.entry(claim.tenant).or_default();
			*total = total.saturating_add(claim.deposit);
		}
		ensure!(
			PendingClaim::<T>::iter().all(|(lease, id)| {
				Claims::<T>::get(id).is_some_and(|claim| claim.lease == lease)
			}),
			"an index entry without its claim"
		);
		ensure!(
			PendingExposure::<T>::get() == exposure,
			"the pending exposure differs from the pending claims'"
		);
		for (tenant, total) in deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::ClaimDeposit.into(), &tenant);
			ensure!(held == total, "claim deposits differ from what is held");
		}

		// Heartbeats are counted once per epoch, never ahead of time.
		let now = Self::current_epoch();
		for (_, uptime) in Uptime::<T>::iter() {
			if let Some(last) = uptime.last_served {
				ensure!(last <= now, "a heartbeat counted in a future epoch");
				ensure!(
					uptime.served <= last.saturating_sub(uptime.counted_from).saturating_add(1),
					"more heartbeats counted than epochs"
				);
			} else {
				ensure!(uptime.served.is_zero(), "heartbeats counted with none recorded");
			}
		}
		Ok(())
	}
}
