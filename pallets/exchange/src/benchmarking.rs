//! Benchmarks for every call and every step of the matching hook, each at its worst case:
//! bounded lists full, a class naming every auditor it may under `AllOf`, books as deep as
//! they may be, and fills that open deployments.

use super::*;
use ccre_primitives::{
	exchange::{Lots, Price, Side, TimeInForce, TradeTally},
	AuditorRule, Capacity, MarketBenchmarkHelper, Property, ResourceSet, SlaTerms,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	weights::WeightMeter,
	BoundedBTreeMap, BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	Perbill,
};

fn rich<T: Config>(seed: u32) -> T::AccountId {
	T::BenchmarkHelper::funded_account(seed, BalanceOf::<T>::max_value() / 1024u32.into())
}

/// What every benchmark provider offers: plenty of every capacity, in region `r`.
fn provider_attributes() -> ResourceSet {
	ResourceSet::new(
		Capacity::ALL.iter().map(|capacity| (*capacity, u64::MAX / 2)),
		[(Property::Region, b"r".to_vec())],
	)
	.unwrap_or_default()
}

/// A provider every benchmark class accepts: signed by all its auditors.
fn provider<T: Config>(seed: u32) -> T::AccountId {
	let provider = T::BenchmarkHelper::eligible_provider(1_000 + seed, provider_attributes());
	T::BenchmarkHelper::attested_by(&provider, T::MaxClassAuditors::get());
	provider
}

/// A class of a little of every capacity in region `r`, naming every auditor it may under
/// `AllOf`: the costliest to check a seller against.
fn class_terms<T: Config>() -> ClassOf<T> {
	let signer = T::BenchmarkHelper::eligible_provider(999, provider_attributes());
	let auditors = T::BenchmarkHelper::attested_by(&signer, T::MaxClassAuditors::get());
	ResourceClass {
		name: BoundedVec::truncate_from(b"bench.std".to_vec()),
		resources: ResourceSet::new(Capacity::ALL.iter().map(|capacity| (*capacity, 1)), [])
			.unwrap_or_default(),
		placement: ResourceSet::new([], [(Property::Region, b"r".to_vec())]).unwrap_or_default(),
		auditors: BoundedVec::truncate_from(auditors),
		auditor_rule: AuditorRule::AllOf,
		tick: 1,
		max_lots: 1_000,
		sla: SlaTerms {
			availability: Perbill::from_percent(99),
			credit_rate: Perbill::from_percent(100),
		},
		trading: Trading::Open,
	}
}

fn class<T: Config>() -> ClassId {
	let id = NextClassId::<T>::get();
	let created = Pallet::<T>::do_create_class(class_terms::<T>());
	assert!(created.is_ok(), "{created:?}");
	id
}

/// Fills `account`'s open orders, the matching queue and `expiry`'s expiries to one short of
/// their bounds, with ids no order has: what a call decodes and encodes.
fn crowd<T: Config>(account: &T::AccountId, expiry: BlockNumberFor<T>) {
	let filler = |bound: u32| -> alloc::vec::Vec<BookOrderId> {
		(0..bound.saturating_sub(1)).map(|id| u64::MAX - u64::from(id)).collect()
	};
	AccountOrders::<T>::insert(
		account,
		BoundedVec::truncate_from(filler(T::MaxOpenOrdersPerAccount::get())),
	);
	Incoming::<T>::put(BoundedVec::truncate_from(filler(T::MaxIncoming::get())));
	Expiries::<T>::insert(expiry, BoundedVec::truncate_from(filler(T::MaxExpiriesPerBlock::get())));
}

/// Fills `side` of `class` with price levels up to one short of `MaxLevels`, from `from`
/// on, away from the other side: what every book operation reads and writes, with room for
/// the level a benchmark adds.
fn deepen<T: Config>(class: ClassId, side: Side, from: Price) {
	let mut depth: BoundedBTreeMap<Price, Lots, T::MaxLevels> = Depth::<T>::get((class, side));
	let mut price = Some(from);
	while let Some(at) =
		price.filter(|_| depth.len() < T::MaxLevels::get().saturating_sub(1) as usize)
	{
		let _ = depth.try_insert(at, 1);
		price = match side {
			Side::Sell => at.checked_add(1),
			Side::Buy => at.checked_sub(1),
		};
	}
	// A side that ran out of prices is shallower than the benchmark claims.
	assert_eq!(depth.len(), T::MaxLevels::get().saturating_sub(1) as usize, "{side:?} from {from}");
	Depth::<T>::insert((class, side), depth);
}

/// A resting order of `owner`, placed and matched as a user's would be.
fn resting<T: Config>(
	owner: &T::AccountId,
	class: ClassId,
	side: Side,
	price: Price,
	lots: Lots,
) -> BookOrderId {
	let id = NextOrderId::<T>::get();
	let placed = match side {
		Side::Buy => Pallet::<T>::do_buy(
			owner.clone(),
			class,
			price,
			lots,
			TimeInForce::GoodTillCancel,
			[1; 32],
			100u32.into(),
		),
		Side::Sell => {
			Pallet::<T>::do_sell(owner.clone(), class, price, lots, TimeInForce::GoodTillCancel)
		},
	};
	assert!(placed.is_ok(), "{placed:?}");
	let now = frame_system::Pallet::<T>::block_number();
	Pallet::<T>::run_matching(now);
	id
}

/// A block number that does not end an interval, so no print runs.
fn quiet_block<T: Config>() -> BlockNumberFor<T> {
	let length = Pallet::<T>::blocks_for(Rules::<T>::get().interval_ms);
	length.saturating_add(1u32.into()).max(2u32.into())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_class() -> Result<(), BenchmarkError> {
		let terms = class_terms::<T>();
		while Classes::<T>::count().saturating_add(1) < T::MaxClasses::get() {
			let created = Pallet::<T>::do_create_class(terms.clone());
			assert!(created.is_ok(), "{created:?}");
		}
		let origin =
			T::ClassOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			terms.name,
			terms.resources,
			terms.placement,
			terms.auditors,
			terms.auditor_rule,
			terms.tick,
			terms.max_lots,
			terms.sla,
		);
		assert_eq!(Classes::<T>::count(), T::MaxClasses::get());
		Ok(())
	}

	#[benchmark]
	fn retire_class() -> Result<(), BenchmarkError> {
		let class = class::<T>();
		let origin =
			T::ClassOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, class);
		assert_eq!(Classes::<T>::get(class).map(|class| class.trading), Some(Trading::Retired));
		Ok(())
	}

	#[benchmark]
	fn buy() {
		let class = class::<T>();
		let buyer = rich::<T>(0);
		frame_system::Pallet::<T>::set_block_number(quiet_block::<T>());
		let expiry = quiet_block::<T>().saturating_add(10u32.into());
		crowd::<T>(&buyer, expiry);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(buyer.clone()),
			class,
			100,
			1_000,
			TimeInForce::GoodTillBlock(expiry),
			[1; 32],
			100u32.into(),
		);
		assert_eq!(AccountOrders::<T>::get(&buyer).len() as u32, T::MaxOpenOrdersPerAccount::get());
	}

	#[benchmark]
	fn sell() {
		let class = class::<T>();
		let seller = provider::<T>(0);
		frame_system::Pallet::<T>::set_block_number(quiet_block::<T>());
		let expiry = quiet_block::<T>().saturating_add(10u32.into());
		crowd::<T>(&seller, expiry);
		#[extrinsic_call]
		_(RawOrigin::Signed(seller.clone()), class, 100, 1_000, TimeInForce::GoodTillBlock(expiry));
		assert_eq!(
			AccountOrders::<T>::get(&seller).len() as u32,
			T::MaxOpenOrdersPerAccount::get()
		);
	}

	/// A resting order last on a full level of a full side, on a full account list.
	#[benchmark]
	fn cancel() {
		let class = class::<T>();
		let seller = provider::<T>(0);
		frame_system::Pallet::<T>::set_block_number(quiet_block::<T>());
		deepen::<T>(class, Side::Sell, 1_000);
		let price = 500;
		let filler: alloc::vec::Vec<BookOrderId> =
			(0..T::MaxOrdersPerLevel::get() - 1).map(|id| u64::MAX - u64::from(id)).collect();
		Levels::<T>::insert((class, Side::Sell, price), BoundedVec::truncate_from(filler));
		let id = resting::<T>(&seller, class, Side::Sell, price, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(seller), id);
		assert!(Orders::<T>::get(id).is_none());
	}

	#[benchmark]
	fn set_rules() -> Result<(), BenchmarkError> {
		let origin =
			T::ClassOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let rules = MarketRules { band: Perbill::from_percent(10), ..Default::default() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, rules);
		assert_eq!(Rules::<T>::get(), rules);
		Ok(())
	}

	/// The hook with nothing to do.
	#[benchmark]
	fn matching_base() {
		let now = quiet_block::<T>();
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::run_matching(now);
		}
	}

	/// Expiring one resting order on a deep book.
	#[benchmark]
	fn expire() {
		let class = class::<T>();
		let seller = provider::<T>(0);
		let placed_at = quiet_block::<T>();
		frame_system::Pallet::<T>::set_block_number(placed_at);
		deepen::<T>(class, Side::Sell, 1_000);
		let expiry = placed_at.saturating_add(10u32.into());
		let id = NextOrderId::<T>::get();
		let placed =
			Pallet::<T>::do_sell(seller, class, 500, 1, TimeInForce::GoodTillBlock(expiry));
		assert!(placed.is_ok(), "{placed:?}");
		Pallet::<T>::run_matching(placed_at);
		frame_system::Pallet::<T>::set_block_number(expiry);
		#[block]
		{
			Pallet::<T>::run_matching(expiry);
		}
		assert!(Orders::<T>::get(id).is_none());
	}

	/// Matching one buy order that fills `f` resting sells, each at its own price on a side
	/// `MaxLevels` deep and each opening a deployment, against a full buy side.
	#[benchmark]
	fn match_order(f: Linear<0, { T::MaxFillsPerOrder::get() }>) {
		let class = class::<T>();
		let now = quiet_block::<T>();
		frame_system::Pallet::<T>::set_block_number(now);
		// Sells from 100 000, a full sell side beyond the buy's price, a full buy side
		// below the sells.
		for fill in 0..f {
			let seller = provider::<T>(fill);
			resting::<T>(&seller, class, Side::Sell, 100_000 + Price::from(fill), 1);
		}
		deepen::<T>(class, Side::Sell, 10_000_000);
		deepen::<T>(class, Side::Buy, 50_000);
		let buyer = rich::<T>(0);
		let placed = Pallet::<T>::do_buy(
			buyer,
			class,
			1_000_000,
			Lots::from(f).max(1),
			TimeInForce::GoodTillCancel,
			[1; 32],
			100u32.into(),
		);
		assert!(placed.is_ok(), "{placed:?}");
		#[block]
		{
			Pallet::<T>::run_matching(now);
		}
		assert!(Incoming::<T>::get().is_empty());
	}

	/// One class's print: trades to average, a full reference and a full history.
	#[benchmark]
	fn print_index() {
		let class = class::<T>();
		let mut tally = TradeTally::default();
		tally.add(100, 10);
		Tallies::<T>::insert(class, tally);
		Recent::<T>::insert(class, BoundedVec::truncate_from(alloc::vec![100; 64]));
		Averages::<T>::insert(class, ccre_primitives::exchange::Ewma::first(100));
		let kept = T::MaxPrints::get();
		for number in 0..kept {
			Prints::<T>::insert(
				class,
				number,
				Print {
					at: Zero::zero(),
					price: 100,
					source: ccre_primitives::exchange::PrintSource::Trades,
					lots: 1,
				},
			);
		}
		PrintRange::<T>::insert(class, (0, kept));
		let now = Pallet::<T>::blocks_for(Rules::<T>::get().interval_ms);
		#[block]
		{
			Pallet::<T>::print_if_due(now);
		}
		assert_eq!(PrintRange::<T>::get(class), (1, kept + 1));
	}

	/// One class's quotes against its band, halting it.
	#[benchmark]
	fn watch_band() {
		let class = class::<T>();
		Recent::<T>::insert(class, BoundedVec::truncate_from(alloc::vec![100]));
		let buyer = rich::<T>(0);
		resting::<T>(&buyer, class, Side::Buy, 200, 1);
		AtBand::<T>::insert(class, Rules::<T>::get().stuck_blocks.saturating_sub(1));
		#[block]
		{
			Pallet::<T>::watch_bands();
		}
		assert!(Halts::<T>::contains_key(class));
	}

	/// A reopening auction's price over two full sides that cross everywhere.
	#[benchmark]
	fn reopen() {
		let class = class::<T>();
		Recent::<T>::insert(class, BoundedVec::truncate_from(alloc::vec![1_000]));
		deepen::<T>(class, Side::Buy, 2_000);
		deepen::<T>(class, Side::Sell, 1);
		let now = quiet_block::<T>();
		frame_system::Pallet::<T>::set_block_number(now);
		Pallet::<T>::halt(class, HaltCause::QuoteAtBand);
		// Each side's first orders are missing, so the auction stops after its price.
		let now = Halts::<T>::get(class).map(|halt| halt.until).unwrap_or(now);
		frame_system::Pallet::<T>::set_block_number(now);
		let mut meter = WeightMeter::new();
		#[block]
		{
			Pallet::<T>::reopen_due(now, &mut meter);
		}
	}

	/// One fill of a reopening auction, opening a deployment.
	#[benchmark]
	fn auction_fill() {
		let class = class::<T>();
		Recent::<T>::insert(class, BoundedVec::truncate_from(alloc::vec![100]));
		let now = quiet_block::<T>();
		frame_system::Pallet::<T>::set_block_number(now);
		Pallet::<T>::halt(class, HaltCause::QuoteAtBand);
		let seller = provider::<T>(0);
		let buyer = rich::<T>(0);
		let ask = resting::<T>(&seller, class, Side::Sell, 100, 1);
		let bid = resting::<T>(&buyer, class, Side::Buy, 100, 1);
		let now = Halts::<T>::get(class).map(|halt| halt.until).unwrap_or(now);
		frame_system::Pallet::<T>::set_block_number(now);
		let mut meter = WeightMeter::new();
		#[block]
		{
			Pallet::<T>::reopen_due(now, &mut meter);
		}
		assert!(Orders::<T>::get(ask).is_none() && Orders::<T>::get(bid).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
