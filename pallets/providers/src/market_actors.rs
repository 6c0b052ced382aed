//! Benchmark set-up for the market pallets: funded accounts and eligible providers, made
//! through this pallet's own logic so they are what a real provider would be.

use crate::{BalanceOf, Config, Pallet};
use ccre_primitives::{MarketBenchmarkHelper, ResourceSet};
use core::marker::PhantomData;
use frame_support::traits::{fungible::Mutate, Get};
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
		let registration = Pallet::<T>::do_register(
			who.clone(),
			b"https://provider.invalid:8443".to_vec(),
			attributes.capacities().collect(),
			attributes.properties().map(|(property, value)| (property, value.to_vec())).collect(),
			b"ops@provider.invalid".to_vec(),
		);
		let bonded = Pallet::<T>::do_bond(who.clone(), T::MinimumStake::get());
		// Benchmark set-up: failing here means the benchmark's premise is wrong.
		assert!(registration.is_ok() && bonded.is_ok(), "{registration:?} {bonded:?}");
		who
	}
}
