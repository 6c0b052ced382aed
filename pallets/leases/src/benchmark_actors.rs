//! Benchmark actors for pallets that work on leases (the SLA pallet): funded accounts and
//! eligible providers from the lease pallet's own helper, and started leases opened the way
//! the order book opens them.

use crate::*;
use ccre_primitives::{
	Deployments, Escrow, LeaseBenchmarkHelper, LeaseOpener, MarketBenchmarkHelper, OrderId,
	ResourceSet, SlaTerms,
};
use core::marker::PhantomData;
use sp_runtime::{traits::Saturating, DispatchResult};

/// Sets up actors on runtime `T` for benchmarks of pallets that need started leases.
pub struct LeaseActors<T>(PhantomData<T>);

impl<T: Config> MarketBenchmarkHelper<T::AccountId, T::Balance> for LeaseActors<T> {
	fn funded_account(seed: u32, amount: T::Balance) -> T::AccountId {
		T::BenchmarkHelper::funded_account(seed, amount)
	}

	fn eligible_provider(seed: u32, attributes: ResourceSet) -> T::AccountId {
		T::BenchmarkHelper::eligible_provider(seed, attributes)
	}

	fn attested_by(provider: &T::AccountId, count: u32) -> alloc::vec::Vec<T::AccountId> {
		T::BenchmarkHelper::attested_by(provider, count)
	}
}

impl<T: Config> LeaseBenchmarkHelper<T::AccountId, T::Balance> for LeaseActors<T> {
	fn started_lease(
		lease: OrderId,
		tenant: &T::AccountId,
		provider: &T::AccountId,
		price: T::Balance,
		sla: SlaTerms,
	) -> DispatchResult {
		T::Deployments::matched_for_benchmark(lease, tenant, provider);
		T::Escrow::open(lease, tenant, price.saturating_mul(1_000_000u32.into()))?;
		Pallet::<T>::open_lease(lease, tenant, provider, price, None, sla)?;
		Pallet::<T>::do_start(provider.clone(), lease)
	}
}
