//! The exchange's figure: how many orders one block matches against a book 1 024 price levels
//! deep on each side, within the exchange's share of the block (40 %). A thousand buy orders,
//! each lifting the best ask (one fill, which opens a deployment), wait for one block's
//! matching; the hook matches as many as the benchmarked weights let fit in its budget. The
//! count follows from the weights, not from a clock, so it is the same on any machine with the
//! same `weights.rs` (measured on the production build by `scripts/benchmark.sh`). Also the
//! index's and the breaker's cost per class.

mod common;

use ccre_primitives::{
	exchange::{ClassId, Side, TimeInForce},
	Capacity, Property,
};
use ccre_runtime::{Exchange, Runtime, RuntimeEvent, RuntimeOrigin, System, CCRE};
use common::{bounded, numbered_account, preset_ext, start_block};
use frame_support::{assert_ok, traits::Get, weights::Weight};
use pallet_exchange::WeightInfo;
use sp_genesis_builder::DEV_RUNTIME_PRESET;

/// The dev preset's `cpu.small`: 500 millicores and 512 MiB a lot, tick 1.
const CPU_SMALL: ClassId = 1;
const LEVELS: u32 = 1_024;
const ORDERS: u32 = 1_000;
/// Accounts placing the resting orders and the buys, each within its open-order limit.
const ACCOUNTS: u32 = 4;

/// Runs blocks until every placed order has been matched; returns the exchange's events.
fn match_all() -> Vec<pallet_exchange::Event<Runtime>> {
	let mut seen = Vec::new();
	loop {
		start_block(System::block_number() + 1);
		seen.extend(System::events().into_iter().filter_map(|record| match record.event {
			RuntimeEvent::Exchange(event) => Some(event),
			_ => None,
		}));
		if pallet_exchange::Incoming::<Runtime>::get().is_empty() {
			return seen;
		}
	}
}

#[test]
fn a_thousand_orders_are_matched_against_a_book_1024_levels_deep_in_one_block() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let per_account = LEVELS / ACCOUNTS;
		let sellers: Vec<_> = (0..ACCOUNTS)
			.map(|index| {
				let seller = numbered_account(1, index);
				let origin = RuntimeOrigin::signed(seller.clone());
				// Room for every lot it asks, and stake to back every lease.
				assert_ok!(ccre_runtime::Providers::register(
					origin.clone(),
					bounded(b"https://provider.example:8443".to_vec()),
					bounded(vec![
						(Capacity::CpuMillicores, u64::from(per_account) * 500),
						(Capacity::MemoryMib, u64::from(per_account) * 512),
					]),
					bounded(vec![(Property::Region, bounded(b"eu-west".to_vec()))]),
					Default::default(),
				));
				assert_ok!(ccre_runtime::Providers::bond(origin, 10_000 * CCRE));
				seller
			})
			.collect();
		let buyers: Vec<_> = (0..ACCOUNTS).map(|index| numbered_account(2, index)).collect();
		let gtc = TimeInForce::GoodTillCancel;
		// 1 024 ask levels from 2 001 and 1 024 bid levels up to 1 024: a book that does not
		// cross, 1 024 deep on each side.
		for level in 0..LEVELS {
			let seller = &sellers[(level % ACCOUNTS) as usize];
			let ask = 2_001 + u128::from(level);
			assert_ok!(Exchange::sell(
				RuntimeOrigin::signed(seller.clone()),
				CPU_SMALL,
				ask,
				1,
				gtc
			));
		}
		match_all();
		for level in 0..LEVELS {
			let buyer = &buyers[(level % ACCOUNTS) as usize];
			let bid = 1 + u128::from(level);
			assert_ok!(Exchange::buy(
				RuntimeOrigin::signed(buyer.clone()),
				CPU_SMALL,
				bid,
				1,
				gtc,
				[1; 32],
				100
			));
		}
		match_all();
		let depth = |side| pallet_exchange::Depth::<Runtime>::get((CPU_SMALL, side)).len();
		assert_eq!((depth(Side::Buy), depth(Side::Sell)), (LEVELS as usize, LEVELS as usize));

		// A thousand buys lifting the best ask, from accounts with room for them.
		let takers: Vec<_> =
			(0..ORDERS.div_ceil(200)).map(|index| numbered_account(3, index)).collect();
		for order in 0..ORDERS {
			let taker = &takers[(order / 200) as usize];
			assert_ok!(Exchange::buy(
				RuntimeOrigin::signed(taker.clone()),
				CPU_SMALL,
				3_100,
				1,
				TimeInForce::ImmediateOrCancel,
				[2; 32],
				100
			));
		}
		start_block(System::block_number() + 1);
		let traded = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::Exchange(pallet_exchange::Event::Traded { .. })
				)
			})
			.count();
		let budget = <<Runtime as pallet_exchange::Config>::MatchingBudget as Get<Weight>>::get();
		let max_block =
			<Runtime as frame_system::Config>::BlockWeights::get().max_block.ref_time() as f64;
		type Weights = <Runtime as pallet_exchange::Config>::WeightInfo;
		// Each order is charged a round of one fill: what it made.
		let per_order = Weights::match_order(1);
		println!(
			"exchange matching: {traded} of {ORDERS} orders (one fill each, a deployment opened) \
			 matched in one block against {LEVELS} levels a side, {:.3} ms each: {:.1}% of the \
			 block for {ORDERS}; budget {:.1}%",
			per_order.ref_time() as f64 / 1e9,
			100.0 * (u64::from(ORDERS) * per_order.ref_time()) as f64 / max_block,
			100.0 * budget.ref_time() as f64 / max_block,
		);
		let per_class = |weight: Weight| weight.ref_time() as f64 / 1e9;
		println!(
			"exchange hooks per class: print {:.3} ms, band watch {:.3} ms, reopening auction \
			 over a full book {:.3} ms (+{:.3} ms a fill), expiry {:.3} ms an order",
			per_class(Weights::print_index()),
			per_class(Weights::watch_band()),
			per_class(Weights::reopen()),
			per_class(Weights::auction_fill()),
			per_class(Weights::expire()),
		);
		assert!(budget.ref_time() as f64 <= 0.4 * max_block + 1.0, "the exchange's share is 40%");
		assert!(traded > 0);
	});
}
