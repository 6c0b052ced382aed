//! What the runtime API shows auditors, the daemon and the CLI.

use crate::*;
use alloc::vec::Vec;
use ccre_primitives::{AttestationView, ProviderInspect, ProviderView, ReputationView, StakeView};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

/// The most providers one page of [`Pallet::provider_views`] returns.
pub const MAX_PROVIDERS_PAGE: u32 = 100;

pub type ProviderViewOf<T> =
	ProviderView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Everything about one registered provider.
	pub fn provider_view(who: &T::AccountId) -> Option<ProviderViewOf<T>> {
		Providers::<T>::get(who).map(|record| Self::view_of(who.clone(), record))
	}

	/// Up to `limit` (at most [`MAX_PROVIDERS_PAGE`]) providers in storage order, starting
	/// after `start_after`; page on by passing the last account returned.
	pub fn provider_views(start_after: Option<T::AccountId>, limit: u32) -> Vec<ProviderViewOf<T>> {
		let limit = limit.min(MAX_PROVIDERS_PAGE) as usize;
		let records = match start_after {
			Some(account) => Providers::<T>::iter_from(Providers::<T>::hashed_key_for(account)),
			None => Providers::<T>::iter(),
		};
		records.take(limit).map(|(who, record)| Self::view_of(who, record)).collect()
	}

	/// The stake of `who`, registered or not (stake outlives registration while it unbonds).
	pub fn stake_view(who: &T::AccountId) -> Option<StakeView<BalanceOf<T>, BlockNumberFor<T>>> {
		Stakes::<T>::get(who).map(|ledger| StakeView {
			active: ledger.active,
			unlocking: ledger
				.unlocking
				.iter()
				.map(|chunk| (chunk.value, chunk.unlock_at))
				.collect(),
		})
	}

	fn view_of(who: T::AccountId, record: ProviderRecordOf<T>) -> ProviderViewOf<T> {
		let current = Self::attributes_hash(&record.attributes);
		let attestations = Attestations::<T>::iter_prefix(&who)
			.map(|(auditor, attestation)| AttestationView {
				valid: Self::signature_current(&auditor, &attestation, &current),
				auditor,
				signed_at: attestation.signed_at,
			})
			.collect();
		let reputation = Self::current_reputation(&who);
		ProviderView {
			host_uri: record.host_uri.into_inner(),
			attributes: record.attributes,
			contact: record.contact.into_inner(),
			deposit: record.deposit,
			registered_at: record.registered_at,
			stake: Self::stake_view(&who)
				.unwrap_or(StakeView { active: Zero::zero(), unlocking: Vec::new() }),
			can_bid: Self::can_bid(&who),
			attestations,
			reputation: ReputationView {
				successes: reputation.successes.into_inner(),
				failures: reputation.failures.into_inner(),
				updated_at: reputation.updated_at,
				score: reputation.score(),
			},
			account: who,
		}
	}
}
