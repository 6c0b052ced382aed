//! Claims by tenants: downtime claims paid by the heartbeat record, and disputed claims filed
//! for the arbitrators.

use crate::features::payouts::Breach;
use crate::*;
use ccre_primitives::{
	Downtime, EarningsAtRisk, EpochIndex, LeaseFacts, LeaseInspect, OrderId, SlashReason,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

/// The epochs a claim would cover, from `uptime.counted_from` up to `end`, not included.
pub(crate) struct ClaimPeriod {
	pub uptime: UptimeRecord,
	pub end: EpochIndex,
	/// Heartbeats counted in `uptime` that fall after the period (at most the current epoch's).
	pub carried: u32,
}

impl ClaimPeriod {
	pub fn downtime(&self) -> Downtime {
		Downtime {
			epochs: self.end.saturating_sub(self.uptime.counted_from),
			served: self.uptime.served.saturating_sub(self.carried),
		}
	}
}

pub(crate) type LeaseFactsOf<T> =
	LeaseFacts<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_claim_downtime(who: T::AccountId, lease_id: OrderId) -> DispatchResult {
		Self::tenants_lease(&who, lease_id)?;
		// Paid up to now first, so the latest blocks' earnings are at risk too (settling may
		// close a lease whose funds ran out, so it is read after).
		T::Earnings::settle(lease_id)?;
		let lease = Self::tenants_lease(&who, lease_id)?;
		let started_at = lease.started_at.ok_or(Error::<T>::NotStarted)?;
		let period = Self::claim_period(lease_id, started_at, &lease);
		if period.end <= period.uptime.counted_from {
			return Err(if period.uptime.counted_from > Self::first_epoch(started_at) {
				Error::<T>::PeriodAlreadyClaimed
			} else {
				Error::<T>::NoWholeEpoch
			}
			.into());
		}
		let downtime = period.downtime();
		ensure!(downtime.breaches(&lease.sla), Error::<T>::SlaMet);
		// A credit is paid from what the lease paid that is still at risk, and never more.
		let credit = downtime
			.credit(&lease.sla, lease.price, T::EpochLength::get())
			.ok_or(Error::<T>::Overflow)?
			.min(T::Earnings::at_risk(lease_id).paid);
		ensure!(!credit.is_zero(), Error::<T>::NothingAtRisk);
		let payout = Self::compensate(Breach {
			lease: lease_id,
			tenant: &lease.tenant,
			provider: &lease.provider,
			worth: credit,
			price: lease.price,
			reason: SlashReason::MissedHeartbeats,
		})?;
		Uptime::<T>::insert(
			lease_id,
			UptimeRecord {
				counted_from: period.end,
				served: period.carried,
				last_served: period.uptime.last_served,
			},
		);
		Self::deposit_event(Event::DowntimeCompensated {
			lease: lease_id,
			tenant: lease.tenant,
			provider: lease.provider,
			epochs: downtime.epochs,
			served: downtime.served,
			credit,
			clawed_back: payout.clawed_back,
			paid: payout.paid,
			slashed: payout.slashed,
		});
		Ok(())
	}

	pub(crate) fn do_file_claim(
		who: T::AccountId,
		lease_id: OrderId,
		amount: BalanceOf<T>,
		evidence: EvidenceHash,
	) -> DispatchResult {
		Self::tenants_lease(&who, lease_id)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!PendingClaim::<T>::contains_key(lease_id), Error::<T>::ClaimPending);
		T::Earnings::settle(lease_id)?;
		let lease = Self::tenants_lease(&who, lease_id)?;
		// A claim is about what the lease put at risk, and holds it there until it is decided.
		let at_risk = T::Earnings::at_risk(lease_id);
		ensure!(amount <= at_risk.paid, Error::<T>::AboveAtRisk);
		T::Earnings::set_disputed(lease_id, true);
		let exposure = amount.saturating_sub(at_risk.earned);
		PendingExposure::<T>::mutate(|total| *total = total.saturating_add(exposure));
		let id = NextClaimId::<T>::get();
		NextClaimId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let deposit = T::ClaimDeposit::get();
		T::Currency::hold(&HoldReason::ClaimDeposit.into(), &who, deposit)?;
		Claims::<T>::insert(
			id,
			Claim {
				lease: lease_id,
				tenant: who.clone(),
				provider: lease.provider,
				amount,
				price: lease.price,
				evidence,
				answer: None,
				filed_at: frame_system::Pallet::<T>::block_number(),
				deposit,
				exposure,
			},
		);
		PendingClaim::<T>::insert(lease_id, id);
		Self::deposit_event(Event::ClaimFiled {
			claim: id,
			lease: lease_id,
			tenant: who,
			amount,
			evidence,
		});
		Ok(())
	}

	pub(crate) fn do_answer_claim(
		who: T::AccountId,
		claim_id: ClaimId,
		evidence: EvidenceHash,
	) -> DispatchResult {
		Claims::<T>::try_mutate(claim_id, |claim| {
			let claim = claim.as_mut().ok_or(Error::<T>::UnknownClaim)?;
			ensure!(claim.provider == who, Error::<T>::NotProvider);
			ensure!(claim.answer.is_none(), Error::<T>::AlreadyAnswered);
			claim.answer = Some(evidence);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ClaimAnswered { claim: claim_id, evidence });
		Ok(())
	}

	pub(crate) fn do_withdraw_claim(who: T::AccountId, claim_id: ClaimId) -> DispatchResult {
		let claim = Claims::<T>::get(claim_id).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(claim.tenant == who, Error::<T>::NotTenant);
		T::Currency::release(
			&HoldReason::ClaimDeposit.into(),
			&claim.tenant,
			claim.deposit,
			Precision::Exact,
		)?;
		Self::remove_claim(claim_id, &claim);
		Self::deposit_event(Event::ClaimWithdrawn { claim: claim_id });
		Ok(())
	}

	/// What a claim on `lease_id`, started at `started_at`, would cover now: whole epochs
	/// only, up to the current one while the lease runs and up to the one it closed in after.
	pub(crate) fn claim_period(
		lease_id: OrderId,
		started_at: BlockNumberFor<T>,
		lease: &LeaseFactsOf<T>,
	) -> ClaimPeriod {
		let uptime = Self::uptime(lease_id, started_at);
		let now = frame_system::Pallet::<T>::block_number();
		let end = Self::epoch_at(lease.state.closed_at().unwrap_or(now));
		// A heartbeat already sent in the current epoch belongs to the next claim.
		let carried = u32::from(uptime.last_served.is_some_and(|last| last >= end));
		ClaimPeriod { uptime, end, carried }
	}

	/// The lease `lease_id`, if `who` is its tenant.
	fn tenants_lease(who: &T::AccountId, lease_id: OrderId) -> Result<LeaseFactsOf<T>, Error<T>> {
		let lease = T::Leases::lease(lease_id).ok_or(Error::<T>::UnknownLease)?;
		ensure!(&lease.tenant == who, Error::<T>::NotTenant);
		Ok(lease)
	}

	/// Removes a decided or withdrawn claim: the lease's earnings vest again, and the pool no
	/// longer counts on paying it.
	pub(crate) fn remove_claim(claim_id: ClaimId, claim: &ClaimOf<T>) {
		Claims::<T>::remove(claim_id);
		PendingClaim::<T>::remove(claim.lease);
		T::Earnings::set_disputed(claim.lease, false);
		PendingExposure::<T>::mutate(|total| *total = total.saturating_sub(claim.exposure));
	}
}
