//! Benchmarks for every call and for the interface the lease pallet calls, each at its worst
//! case.

use super::*;
use ccre_primitives::{
	Capacity, LeaseBenchmarkHelper, MarketBenchmarkHelper, OnLeaseReaped, OrderId, Property,
	ResourceSet, SlaTerms,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{One, Saturating},
	Perbill,
};

const LEASE: OrderId = 1;
const EVIDENCE: [u8; 32] = [1; 32];

/// Any missed epoch breaches it, and is credited in full.
const STRICT: SlaTerms =
	SlaTerms { availability: Perbill::from_percent(100), credit_rate: Perbill::from_percent(100) };

/// A price whose every share is well above the existential deposit.
fn price<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(One::one()).saturating_mul(1_000u32.into())
}

/// An account with funds for any benchmark here, escrow for many leases included.
fn funded<T: Config>(seed: u32) -> T::AccountId {
	T::BenchmarkHelper::funded_account(seed, price::<T>().saturating_mul(4_000_000_000u32.into()))
}

fn provider<T: Config>() -> T::AccountId {
	let attributes = ResourceSet::new(
		[(Capacity::CpuMillicores, 64_000)],
		[(Property::Region, b"bench".to_vec())],
	)
	.unwrap_or_default();
	T::BenchmarkHelper::eligible_provider(1, attributes)
}

/// Moves to the first block of epoch `epoch`.
fn to_epoch<T: Config>(epoch: u32) {
	let block = epoch.saturating_mul(T::EpochLength::get());
	frame_system::Pallet::<T>::set_block_number(block.into());
}

/// The pool exists, as the runtime guarantees, and an underwriter has put `price × 10 000`
/// in it.
fn funded_pool<T: Config>() -> T::AccountId {
	let pool = T::Pool::get();
	if T::Currency::balance(&pool) < T::Currency::minimum_balance() {
		T::Currency::set_balance(&pool, T::Currency::minimum_balance());
	}
	let underwriter = funded::<T>(2);
	let amount = price::<T>().saturating_mul(10_000u32.into()).max(T::MinUnderwriting::get());
	assert!(Pallet::<T>::do_underwrite(underwriter.clone(), amount).is_ok());
	underwriter
}

/// `count` leases of one tenant with one provider, started at the start of epoch 1, so that
/// every epoch from then on is whole. Returns the tenant and the provider.
fn started<T: Config>(count: u32) -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	to_epoch::<T>(1);
	let tenant = funded::<T>(0);
	let provider = provider::<T>();
	for lease in 0..count {
		T::BenchmarkHelper::started_lease(
			LEASE.saturating_add(lease.into()),
			&tenant,
			&provider,
			price::<T>(),
			STRICT,
		)?;
	}
	Ok((tenant, provider))
}

/// A disputed claim of `LEASE`'s tenant, filed in epoch 2, when an epoch of payments is at
/// risk.
fn filed<T: Config>() -> Result<(ClaimId, T::AccountId, T::AccountId), BenchmarkError> {
	let (tenant, provider) = started::<T>(1)?;
	to_epoch::<T>(2);
	let claim = NextClaimId::<T>::get();
	Pallet::<T>::do_file_claim(tenant.clone(), LEASE, price::<T>(), EVIDENCE)?;
	Ok((claim, tenant, provider))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A heartbeat naming `n` leases, each counted and written.
	#[benchmark]
	fn heartbeat(n: Linear<1, { T::MaxHeartbeatLeases::get() }>) -> Result<(), BenchmarkError> {
		let (_, provider) = started::<T>(n)?;
		to_epoch::<T>(2);
		let leases: BoundedVec<OrderId, T::MaxHeartbeatLeases> = (0..n)
			.map(|lease| LEASE.saturating_add(lease.into()))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("too many leases"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), leases);

		assert_eq!(LastHeartbeat::<T>::get(&provider), Some(2));
		Ok(())
	}

	/// A top-up by an underwriter already in the pool.
	#[benchmark]
	fn underwrite() {
		let underwriter = funded_pool::<T>();
		let amount = T::MinUnderwriting::get().max(price::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(underwriter.clone()), amount);

		assert!(Underwriters::<T>::get(&underwriter).is_some());
	}

	/// A partial withdrawal, which keeps the underwriter's record.
	#[benchmark]
	fn withdraw_underwriting() {
		let underwriter = funded_pool::<T>();
		let unlocks_at = Underwriters::<T>::get(&underwriter).map(|record| record.unlocks_at);
		frame_system::Pallet::<T>::set_block_number(unlocks_at.unwrap_or_default());
		let shares = price::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(underwriter.clone()), shares);

		assert!(Underwriters::<T>::get(&underwriter).is_some());
	}

	/// A breach paid in full: the lease settled, the provider's held earnings clawed back, its
	/// stake slashed for the market's take on them, the pool paying that, reputation recorded.
	#[benchmark]
	fn claim_downtime() -> Result<(), BenchmarkError> {
		funded_pool::<T>();
		let (tenant, _) = started::<T>(1)?;
		to_epoch::<T>(11);

		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), LEASE);

		assert_eq!(Uptime::<T>::get(LEASE).map(|uptime| uptime.counted_from), Some(11));
		Ok(())
	}

	/// A claim on a lease with an epoch of payments at risk, settled first.
	#[benchmark]
	fn file_claim() -> Result<(), BenchmarkError> {
		let (tenant, _) = started::<T>(1)?;
		to_epoch::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), LEASE, price::<T>(), EVIDENCE);

		assert!(PendingClaim::<T>::contains_key(LEASE));
		Ok(())
	}

	#[benchmark]
	fn answer_claim() -> Result<(), BenchmarkError> {
		let (claim, _, provider) = filed::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), claim, EVIDENCE);

		assert!(Claims::<T>::get(claim).is_some_and(|claim| claim.answer.is_some()));
		Ok(())
	}

	/// An upheld claim, the costlier ruling: the deposit released, the provider's held earnings
	/// clawed back, its stake slashed, the pool paying, reputation recorded.
	#[benchmark]
	fn decide_claim() -> Result<(), BenchmarkError> {
		funded_pool::<T>();
		let (claim, _, provider) = filed::<T>()?;
		Pallet::<T>::do_answer_claim(provider, claim, EVIDENCE)?;
		let origin = T::ArbitrationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, claim, Ruling::Uphold { award: price::<T>() });

		assert!(!Claims::<T>::contains_key(claim));
		Ok(())
	}

	#[benchmark]
	fn withdraw_claim() -> Result<(), BenchmarkError> {
		let (claim, tenant, _) = filed::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), claim);

		assert!(!Claims::<T>::contains_key(claim));
		Ok(())
	}

	/// Forgetting a reaped lease's heartbeats.
	#[benchmark]
	fn on_lease_reaped() -> Result<(), BenchmarkError> {
		let (_, provider) = started::<T>(1)?;
		to_epoch::<T>(2);
		let leases = BoundedVec::truncate_from(alloc::vec![LEASE]);
		Pallet::<T>::do_heartbeat(provider, leases).map_err(|error| error.error)?;

		#[block]
		{
			<Pallet<T> as OnLeaseReaped<T::AccountId>>::on_lease_reaped(LEASE);
		}

		assert!(!Uptime::<T>::contains_key(LEASE));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
