//! Paying a tenant for a breach: first the provider's held earnings from the lease, then its
//! stake into the pool, then the pool.

use crate::*;
use ccre_primitives::{
	EarningsAtRisk, LeaseOutcome, OrderId, ReputationRecorder, SlashReason, StakeSlashing,
};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::traits::{Saturating, Zero};

/// What a breach cost whom.
pub(crate) struct Payout<Balance> {
	/// What came back to the tenant from the provider's held earnings.
	pub clawed_back: Balance,
	/// What the pool paid the tenant.
	pub paid: Balance,
	/// What the provider's stake gave the pool.
	pub slashed: Balance,
}

/// A breach to pay for.
pub(crate) struct Breach<'a, AccountId, Balance> {
	pub lease: OrderId,
	pub tenant: &'a AccountId,
	pub provider: &'a AccountId,
	/// What it is worth, at most the lease's payments still at risk.
	pub worth: Balance,
	/// The lease's price per block, the least the breach weighs in reputation.
	pub price: Balance,
	pub reason: SlashReason,
}

impl<T: Config> Pallet<T> {
	/// Pays `breach.tenant` `breach.worth`: the provider's earnings from the lease still held
	/// go back first; what they leave (the market's take on them) is slashed from the provider's
	/// stake into the pool, as far as it has stake, and the pool pays it, as far as it holds it.
	/// The breach counts against the provider's reputation, weighing at least one block.
	pub(crate) fn compensate(
		breach: Breach<T::AccountId, BalanceOf<T>>,
	) -> Result<Payout<BalanceOf<T>>, DispatchError> {
		let clawed_back = if breach.worth.is_zero() {
			Zero::zero()
		} else {
			T::Earnings::claw_back(breach.lease, breach.worth)?
		};
		let gap = breach.worth.saturating_sub(clawed_back);
		let pool = T::Pool::get();
		let slashed = gap.min(T::Stake::slashable(breach.provider));
		if !slashed.is_zero() {
			T::Stake::slash(breach.provider, slashed, &pool, breach.reason)?;
		}
		let paid = gap.min(Self::pool_value());
		if !paid.is_zero() {
			T::Currency::transfer(&pool, breach.tenant, paid, Preservation::Preserve)?;
		}
		T::Reputation::record_outcome(
			breach.provider,
			LeaseOutcome::Failure,
			breach.worth.max(breach.price),
		)?;
		Ok(Payout { clawed_back, paid, slashed })
	}
}
