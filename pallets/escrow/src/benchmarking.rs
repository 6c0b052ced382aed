//! Benchmarks for both calls, the sweep's two costs and the interface other pallets call, each
//! at its worst case.

use super::*;
use ccre_primitives::{Escrow, MarketBenchmarkHelper, OrderId};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{One, Saturating};

const ORDER: OrderId = 1;

/// A rate each of whose shares, even the insurance pool's slice of the take, is well above the
/// existential deposit.
fn rate<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(One::one()).saturating_mul(1_000u32.into())
}

/// An account with funds for any benchmark here.
fn funded<T: Config>(seed: u32) -> T::AccountId {
	T::BenchmarkHelper::funded_account(seed, rate::<T>().saturating_mul(1_000_000u32.into()))
}

/// The treasury and the insurance pool exist, as the runtime guarantees.
fn market_accounts_exist<T: Config>() {
	let minimum = T::Currency::minimum_balance();
	for who in [T::Treasury::get(), T::InsurancePool::get()] {
		if T::Currency::balance(&who) < minimum {
			T::Currency::set_balance(&who, minimum);
		}
	}
}

/// `ORDER`'s account, streaming to a payee since block 1 with `blocks` blocks of funds and
/// half a block more.
fn streaming<T: Config>(blocks: u32) {
	market_accounts_exist::<T>();
	let owner = funded::<T>(0);
	let payee = funded::<T>(1);
	frame_system::Pallet::<T>::set_block_number(One::one());
	let rate = rate::<T>();
	let amount = rate.saturating_mul(blocks.into()).saturating_add(rate / 2u32.into());
	assert!(<Pallet<T> as Escrow<_, _, _>>::open(ORDER, &owner, amount).is_ok());
	assert!(<Pallet<T> as Escrow<_, _, _>>::start_stream(ORDER, &payee, rate, None).is_ok());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A third party tops up a streaming account with blocks due: every transfer of a
	/// settlement, then the deposit.
	#[benchmark]
	fn deposit() {
		streaming::<T>(1_000);
		frame_system::Pallet::<T>::set_block_number(10u32.into());
		let depositor = funded::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(depositor), ORDER, rate::<T>());

		let account = Accounts::<T>::get(ORDER).expect("open");
		assert_eq!(account.paid, rate::<T>().saturating_mul(9u32.into()));
	}

	/// The account has run out, so settling closes it: every transfer, the refund, the
	/// removal. `OnFundsExhausted` is charged on top.
	#[benchmark]
	fn settle() {
		streaming::<T>(1);
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		let caller = funded::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), ORDER);

		assert!(!Accounts::<T>::contains_key(ORDER));
	}

	/// A sweep of one empty block.
	#[benchmark]
	fn sweep_bucket() {
		let now: BlockNumberFor<T> = 10u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		SweepCursor::<T>::put(now);

		#[block]
		{
			Pallet::<T>::sweep(now);
		}

		assert_eq!(SweepCursor::<T>::get(), Some(now.saturating_add(One::one())));
	}

	/// A sweep of one block with one account due, which has run out and is closed: the bucket
	/// is counted in too, so the item's weight is an overestimate.
	#[benchmark]
	fn sweep_item() {
		streaming::<T>(1);
		let now: BlockNumberFor<T> = 2u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		SweepCursor::<T>::put(now);
		assert!(Due::<T>::contains_key(now, ORDER));

		#[block]
		{
			Pallet::<T>::sweep(now);
		}

		assert!(!Accounts::<T>::contains_key(ORDER));
	}

	#[benchmark]
	fn open() {
		let owner = funded::<T>(0);

		#[block]
		{
			assert!(<Pallet<T> as Escrow<_, _, _>>::open(ORDER, &owner, rate::<T>()).is_ok());
		}

		assert!(Accounts::<T>::contains_key(ORDER));
	}

	#[benchmark]
	fn start_stream() {
		let owner = funded::<T>(0);
		let payee = funded::<T>(1);
		let amount = rate::<T>().saturating_mul(1_000u32.into());
		assert!(<Pallet<T> as Escrow<_, _, _>>::open(ORDER, &owner, amount).is_ok());

		#[block]
		{
			assert!(<Pallet<T> as Escrow<_, _, _>>::start_stream(ORDER, &payee, rate::<T>(), None)
				.is_ok());
		}

		assert!(Accounts::<T>::get(ORDER).and_then(|account| account.due_at).is_some());
	}

	/// Closing with blocks due: every transfer of a settlement, then the refund.
	#[benchmark]
	fn close() {
		streaming::<T>(1_000);
		frame_system::Pallet::<T>::set_block_number(10u32.into());

		#[block]
		{
			assert!(<Pallet<T> as Escrow<_, _, _>>::close(ORDER).is_ok());
		}

		assert!(!Accounts::<T>::contains_key(ORDER));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
