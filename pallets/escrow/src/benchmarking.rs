//! Benchmarks for both calls, the sweep's two costs and the interface other pallets call, each
//! at its worst case.

use super::*;
use alloc::vec::Vec;
use ccre_primitives::{Escrow, MarketBenchmarkHelper, OrderId};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_support::BoundedVec;
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

/// `order`'s lease holds a full ledger of `owner`'s earnings for `payee`, a rate's worth per
/// chunk, vesting at `vests_at`: the most a settlement or a claim can find to work through.
fn full_ledger<T: Config>(
	order: OrderId,
	owner: &T::AccountId,
	payee: &T::AccountId,
	vests_at: BlockNumberFor<T>,
) {
	use frame_support::traits::fungible::MutateHold;
	let chunk = rate::<T>();
	let chunks: Vec<_> = (0..T::MaxVestingChunks::get())
		.map(|index| VestingChunk {
			vests_at: vests_at.saturating_add(index.into()),
			paid: chunk,
			earned: chunk,
		})
		.collect();
	let held = chunk.saturating_mul(T::MaxVestingChunks::get().into());
	assert!(T::Currency::hold(&HoldReason::Escrow.into(), owner, held).is_ok());
	Vesting::<T>::insert(
		order,
		VestingLedger {
			owner: owner.clone(),
			payee: payee.clone(),
			chunks: BoundedVec::truncate_from(chunks),
			disputed: false,
		},
	);
}

/// [`streaming`], with a full ledger of earnings that have all vested by block 100.
fn streaming_with_vested_earnings<T: Config>(blocks: u32) {
	streaming::<T>(blocks);
	full_ledger::<T>(ORDER, &funded::<T>(0), &funded::<T>(1), One::one());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A third party tops up a streaming account with blocks due: every transfer of a
	/// settlement, then the deposit.
	#[benchmark]
	fn deposit() {
		streaming_with_vested_earnings::<T>(1_000);
		frame_system::Pallet::<T>::set_block_number(100u32.into());
		let depositor = funded::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(depositor), ORDER, rate::<T>());

		let account = Accounts::<T>::get(ORDER).expect("open");
		assert_eq!(account.paid, rate::<T>().saturating_mul(99u32.into()));
	}

	/// The account has run out, so settling closes it: every transfer, a full ledger of vested
	/// earnings handed over, the refund, the removal. `OnFundsExhausted` is charged on top.
	#[benchmark]
	fn settle() {
		streaming_with_vested_earnings::<T>(1);
		frame_system::Pallet::<T>::set_block_number(100u32.into());
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
		streaming_with_vested_earnings::<T>(1);
		let now: BlockNumberFor<T> = 2u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		SweepCursor::<T>::put(now);
		assert!(Due::<T>::contains_key(now, ORDER));
		// Every chunk has vested by the time the sweep comes.
		Vesting::<T>::mutate(ORDER, |ledger| {
			for chunk in ledger.iter_mut().flat_map(|ledger| ledger.chunks.iter_mut()) {
				chunk.vests_at = now;
			}
		});

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

	/// Closing with blocks due: every transfer of a settlement, a full ledger of vested
	/// earnings handed over, then the refund.
	#[benchmark]
	fn close() {
		streaming_with_vested_earnings::<T>(1_000);
		frame_system::Pallet::<T>::set_block_number(100u32.into());

		#[block]
		{
			assert!(<Pallet<T> as Escrow<_, _, _>>::close(ORDER).is_ok());
		}

		assert!(!Accounts::<T>::contains_key(ORDER));
	}

	/// Handing over a full ledger of vested earnings.
	#[benchmark]
	fn release_vested() {
		streaming_with_vested_earnings::<T>(1_000);
		frame_system::Pallet::<T>::set_block_number(100u32.into());
		let caller = funded::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), ORDER);

		assert!(!Vesting::<T>::contains_key(ORDER));
	}

	/// A claim taking back every chunk of a full ledger of unvested earnings.
	#[benchmark]
	fn claw_back() {
		market_accounts_exist::<T>();
		let owner = funded::<T>(0);
		full_ledger::<T>(ORDER, &owner, &funded::<T>(1), 1_000u32.into());
		let everything = rate::<T>().saturating_mul(T::MaxVestingChunks::get().into());

		#[block]
		{
			assert_eq!(Pallet::<T>::do_claw_back(ORDER, everything), Ok(everything));
		}

		assert!(!Vesting::<T>::contains_key(ORDER));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
