//! Benchmarks for every call, the deadline hook's two steps and the interfaces other pallets
//! call, each at its worst case.

use super::*;
use ccre_primitives::{
	Capacity, CloseReason, Deployments, Escrow, LeaseOpener, LeaseState, MarketBenchmarkHelper,
	OnFundsExhausted, OrderId, Property, ResourceSet, SlaTerms,
};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::Saturating;

const LEASE: OrderId = 1;

/// Ninety-nine per cent, fully credited.
const SLA: SlaTerms = SlaTerms {
	availability: sp_runtime::Perbill::from_percent(99),
	credit_rate: sp_runtime::Perbill::from_percent(100),
};

fn price<T: Config>() -> T::Balance {
	1_000_000u32.into()
}

/// What the tenant puts in escrow: enough for far more blocks than any benchmark runs.
fn funds<T: Config>() -> T::Balance {
	price::<T>().saturating_mul(1_000_000u32.into())
}

fn attributes() -> ResourceSet {
	ResourceSet::new([(Capacity::CpuMillicores, 64_000)], [(Property::Region, b"bench".to_vec())])
		.unwrap_or_default()
}

fn set_block<T: Config>(block: u32) -> BlockNumberFor<T> {
	let block: BlockNumberFor<T> = block.into();
	frame_system::Pallet::<T>::set_block_number(block);
	block
}

/// A tenant with far more than the escrow funds (the order book's deposit comes on top), and
/// an eligible provider.
fn actors<T: Config>() -> (T::AccountId, T::AccountId) {
	let tenant =
		T::BenchmarkHelper::funded_account(0, funds::<T>().saturating_mul(1_000u32.into()));
	let provider = T::BenchmarkHelper::eligible_provider(1, attributes());
	(tenant, provider)
}

/// A lease opened the way the order book opens one, at block 1: the tenant's escrow account
/// funded, then the lease. Returns the tenant and the provider.
fn opened<T: Config>(
	duration: Option<BlockNumberFor<T>>,
) -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	set_block::<T>(1);
	let (tenant, provider) = actors::<T>();
	T::Deployments::matched_for_benchmark(LEASE, &tenant, &provider);
	T::Escrow::open(LEASE, &tenant, funds::<T>())?;
	Pallet::<T>::open_lease(LEASE, &tenant, &provider, price::<T>(), duration, SLA)?;
	Ok((tenant, provider))
}

/// A lease started by its provider at block 1, paying from then on.
fn started<T: Config>(
	duration: Option<BlockNumberFor<T>>,
) -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	let (tenant, provider) = opened::<T>(duration)?;
	Pallet::<T>::do_start(provider.clone(), LEASE)?;
	Ok((tenant, provider))
}

fn state<T: Config>() -> Option<LeaseState<BlockNumberFor<T>>> {
	Leases::<T>::get(LEASE).map(|lease| lease.state)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Starting a lease with a duration: the stream starts and the deadline moves.
	#[benchmark]
	fn start() -> Result<(), BenchmarkError> {
		let (_, provider) = opened::<T>(Some(1_000u32.into()))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), LEASE);

		let one: BlockNumberFor<T> = 1u32.into();
		assert_eq!(Leases::<T>::get(LEASE).and_then(|lease| lease.started_at), Some(one));
		Ok(())
	}

	/// Closing a started lease with a deadline, so the escrow pays out, takes its cut and
	/// refunds, and the deadline is cancelled.
	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		let (tenant, _) = started::<T>(Some(1_000u32.into()))?;
		set_block::<T>(11);

		#[extrinsic_call]
		_(RawOrigin::Signed(tenant), LEASE, CloseReason::Tenant);

		assert!(matches!(
			state::<T>(),
			Some(LeaseState::Closed { reason: CloseReason::Tenant, .. })
		));
		Ok(())
	}

	/// Reaping by someone other than the tenant, once the retention is over.
	#[benchmark]
	fn reap() -> Result<(), BenchmarkError> {
		let (_, _) = started::<T>(None)?;
		let closed_at = set_block::<T>(11);
		Pallet::<T>::do_close(LEASE, CloseReason::Tenant, closed_at)?;
		frame_system::Pallet::<T>::set_block_number(
			closed_at.saturating_add(T::ClosedLeaseRetention::get()),
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), LEASE);

		assert!(Leases::<T>::get(LEASE).is_none());
		Ok(())
	}

	/// One block's bucket with nothing due: the cursor and one empty prefix read.
	#[benchmark]
	fn deadline_bucket() {
		let now = set_block::<T>(10);
		DeadlineCursor::<T>::put(now);

		#[block]
		{
			Pallet::<T>::process_deadlines(now);
		}

		assert_eq!(DeadlineCursor::<T>::get(), Some(now.saturating_add(1u32.into())));
	}

	/// One deadline: a started lease expiring, so the escrow pays out, takes its cut and
	/// refunds, and the outcome is recorded.
	#[benchmark]
	fn deadline_item() -> Result<(), BenchmarkError> {
		started::<T>(Some(10u32.into()))?;
		let expiry = Leases::<T>::get(LEASE).and_then(|lease| lease.deadline).ok_or("no expiry")?;
		frame_system::Pallet::<T>::set_block_number(expiry);

		#[block]
		{
			Pallet::<T>::process_deadline(expiry, LEASE, expiry);
		}

		assert!(matches!(
			state::<T>(),
			Some(LeaseState::Closed { reason: CloseReason::Expired, .. })
		));
		Ok(())
	}

	/// A started lease with a deadline whose escrow ran out.
	#[benchmark]
	fn on_funds_exhausted() -> Result<(), BenchmarkError> {
		started::<T>(Some(1_000u32.into()))?;
		let at = set_block::<T>(11);

		#[block]
		{
			<Pallet<T> as OnFundsExhausted<_, _>>::on_funds_exhausted(LEASE, at, funds::<T>());
		}

		assert_eq!(state::<T>(), Some(LeaseState::InsufficientFunds { at }));
		Ok(())
	}

	/// Opening a lease with a duration (its cost does not depend on the provider's count).
	#[benchmark]
	fn open_lease() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let (tenant, provider) = actors::<T>();
		T::Escrow::open(LEASE, &tenant, funds::<T>())?;
		let duration: BlockNumberFor<T> = 1_000u32.into();

		#[block]
		{
			Pallet::<T>::open_lease(LEASE, &tenant, &provider, price::<T>(), Some(duration), SLA)?;
		}

		assert_eq!(ProviderLoads::<T>::get(&provider).map(|load| load.leases), Some(1));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
