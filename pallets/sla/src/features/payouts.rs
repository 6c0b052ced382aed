//! Paying a tenant for a breach: the provider's stake into the pool, the pool to the tenant.

use crate::*;
use ccre_primitives::{LeaseOutcome, ReputationRecorder, SlashReason, StakeSlashing};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::traits::Zero;

/// What a breach cost whom.
pub(crate) struct Payout<Balance> {
	/// What the pool paid the tenant.
	pub paid: Balance,
	/// What the provider's stake gave the pool.
	pub slashed: Balance,
}

impl<T: Config> Pallet<T> {
	/// Pays `tenant` up to `worth` for a breach by `provider` of a lease at `price` per block.
	/// The provider's stake is slashed into the pool by as much as it has, up to `worth`; the
	/// pool then pays what it holds, up to `worth`; the breach counts against the provider's
	/// reputation, weighing at least one block of the lease.
	pub(crate) fn compensate(
		tenant: &T::AccountId,
		provider: &T::AccountId,
		worth: BalanceOf<T>,
		price: BalanceOf<T>,
		reason: SlashReason,
	) -> Result<Payout<BalanceOf<T>>, DispatchError> {
		let pool = T::Pool::get();
		let slashed = worth.min(T::Stake::slashable(provider));
		if !slashed.is_zero() {
			T::Stake::slash(provider, slashed, &pool, reason)?;
		}
		let paid = worth.min(Self::pool_value());
		if !paid.is_zero() {
			T::Currency::transfer(&pool, tenant, paid, Preservation::Preserve)?;
		}
		T::Reputation::record_outcome(provider, LeaseOutcome::Failure, worth.max(price))?;
		Ok(Payout { paid, slashed })
	}
}
