//! Benchmark set-up for the market pallets: funded accounts and eligible providers, made
//! through this pallet's own logic so they are what a real provider would be.

use crate::{Auditors, BalanceOf, Config, Pallet};
use alloc::vec::Vec;
use ccre_primitives::{MarketBenchmarkHelper, PropertyValue, ResourceSet};
use core::marker::PhantomData;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use sp_runtime::traits::Bounded;

/// Makes the actors of market benchmarks on any runtime with this pallet.
pub struct MarketActors<T>(PhantomData<T>);

impl<T: Config> MarketBenchmarkHelper<T::AccountId, BalanceOf<T>> for MarketActors<T> {
	fn funded_account(seed: u32, amount: BalanceOf<T>) -> T::AccountId {
		let who = frame_benchmarking::account("market", seed, 0);
		T::Currency::set_balance(&who, amount);
		who
	}

	fn eligible_provider(seed: u32, attributes: ResourceSet) -> T::AccountId {
		// Enough for any deposit and stake, with room for many accounts in the issuance.
		let who = Self::funded_account(seed, BalanceOf::<T>::max_value() / 1024u32.into());
		let properties = attributes.properties().filter_map(|(property, value)| {
			Some((property, PropertyValue::try_from(value.to_vec()).ok()?))
		});
		let registration = Pallet::<T>::do_register(
			who.clone(),
			BoundedVec::truncate_from(b"https://provider.invalid:8443".to_vec()),
			BoundedVec::truncate_from(attributes.capacities().collect()),
			BoundedVec::truncate_from(properties.collect()),
			BoundedVec::truncate_from(b"ops@provider.invalid".to_vec()),
		);
		// Stake to back any lease a benchmark opens, far above the minimum.
		let stake = (BalanceOf::<T>::max_value() / 2048u32.into()).max(T::MinimumStake::get());
		let bonded = Pallet::<T>::do_bond(who.clone(), stake);
		// Benchmark set-up: failing here means the benchmark's premise is wrong.
		assert!(registration.is_ok() && bonded.is_ok(), "{registration:?} {bonded:?}");
		who
	}

	fn attested_by(provider: &T::AccountId, count: u32) -> Vec<T::AccountId> {
		(0..count)
			.map(|seed| {
				let auditor = Self::funded_account(
					10_000 + seed,
					BalanceOf::<T>::max_value() / 1024u32.into(),
				);
				if !Auditors::<T>::contains_key(&auditor) {
					let added = Pallet::<T>::do_add_auditor(auditor.clone());
					assert!(added.is_ok(), "add_auditor: {added:?}");
				}
				let attested = Pallet::<T>::do_attest(auditor.clone(), provider.clone());
				assert!(attested.is_ok(), "attest: {attested:?}");
				auditor
			})
			.collect()
	}
}
