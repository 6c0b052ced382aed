//! The arbitrators' decisions on disputed claims.

use crate::features::payouts::Breach;
use crate::*;
use ccre_primitives::{EarningsAtRisk, SlashReason};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_decide_claim(claim_id: ClaimId, ruling: RulingOf<T>) -> DispatchResult {
		let claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::UnknownClaim)?;
		// The provider is heard, or has had its time to be.
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			claim.answer.is_some() || now >= claim.filed_at.saturating_add(T::AnswerPeriod::get()),
			Error::<T>::AnswerPeriodOpen
		);
		let reason = HoldReason::ClaimDeposit.into();
		match ruling {
			Ruling::Uphold { award } => {
				ensure!(!award.is_zero(), Error::<T>::ZeroAmount);
				ensure!(award <= claim.amount, Error::<T>::AwardAboveClaim);
				T::Currency::release(&reason, &claim.tenant, claim.deposit, Precision::Exact)?;
				// Whatever the arbitrators award, the tenant gets at most what the lease
				// still has at risk: a downtime claim may have taken part of it meanwhile.
				let award = award.min(T::Earnings::at_risk(claim.lease).paid);
				let payout = Self::compensate(Breach {
					lease: claim.lease,
					tenant: &claim.tenant,
					provider: &claim.provider,
					worth: award,
					price: claim.price,
					reason: SlashReason::UpheldClaim,
				})?;
				Self::deposit_event(Event::ClaimUpheld {
					claim: claim_id,
					award,
					clawed_back: payout.clawed_back,
					paid: payout.paid,
					slashed: payout.slashed,
				});
			},
			Ruling::Reject => {
				T::Currency::transfer_on_hold(
					&reason,
					&claim.tenant,
					&T::Pool::get(),
					claim.deposit,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
				Self::deposit_event(Event::ClaimRejected {
					claim: claim_id,
					forfeited: claim.deposit,
				});
			},
		}
		Self::remove_claim(claim_id, &claim);
		Ok(())
	}
}
