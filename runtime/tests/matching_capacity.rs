//! The matching figure the market and throughput issues ask for: a thousand orders with ten bids
//! each, all closing in the same block, are matched in that block within the matching share of
//! its weight (half of it). The block's hook matches as many as the benchmarked weights let fit in
//! the budget; the test prints how many that was and the share of the block they took. The count
//! follows from the weights, not from a clock, so it is the same on any machine with the same
//! `weights.rs` (measured on the production build by `scripts/benchmark.sh`).

mod common;

use ccre_primitives::{Capacity, ClearingRule, OrderTerms, Property};
use ccre_runtime::{Orders, Runtime, RuntimeEvent, RuntimeOrigin, System, CCRE};
use common::{numbered_account, preset_ext, start_block};
use frame_support::assert_ok;
use sp_genesis_builder::DEV_RUNTIME_PRESET;

const ORDERS: u32 = 1_000;
const BIDS_PER_ORDER: u32 = 10;
/// Each provider bids on a share of the orders, within its open-bid limit.
const PROVIDERS: u32 = 40;

#[test]
fn a_thousand_orders_with_ten_bids_each_are_matched_in_one_block_within_half_its_weight() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let providers: Vec<_> = (0..PROVIDERS)
			.map(|index| {
				let provider = numbered_account(1, index);
				let origin = RuntimeOrigin::signed(provider.clone());
				assert_ok!(ccre_runtime::Providers::register(
					origin.clone(),
					common::bounded(b"https://provider.example:8443".to_vec()),
					common::bounded(vec![(Capacity::CpuMillicores, 64_000)]),
					common::bounded(vec![(Property::Region, common::bounded(b"eu-west".to_vec()))]),
					Default::default(),
				));
				// Enough to back every lease it wins.
				assert_ok!(ccre_runtime::Providers::bond(origin, 10_000 * CCRE));
				provider
			})
			.collect();
		let tenant = numbered_account(2, 0);
		let terms = OrderTerms {
			duration: Some(100),
			clearing: ClearingRule::SecondPrice,
			sla: None,
			..common::one_core_orders(1, 1)
		};
		for order in 0..ORDERS {
			assert_ok!(Orders::create_order(
				RuntimeOrigin::signed(tenant.clone()),
				terms.clone(),
				10 * CCRE
			));
			for bid in 0..BIDS_PER_ORDER {
				let provider = &providers[((order + bid * 4) % PROVIDERS) as usize];
				assert_ok!(Orders::place_bid(
					RuntimeOrigin::signed(provider.clone()),
					u64::from(order),
					CCRE / 2 + u128::from(bid),
				));
			}
		}

		start_block(2);
		let matched = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::Orders(pallet_orders::Event::OrderMatched { .. })
				)
			})
			.count();
		let budget = <ccre_runtime::parameters::MatchingBudget as frame_support::traits::Get<
			frame_support::weights::Weight,
		>>::get();
		let max_block =
			<Runtime as frame_system::Config>::BlockWeights::get().max_block.ref_time() as f64;
		let per_order = ccre_runtime::Orders::match_order_weight(BIDS_PER_ORDER, 0);
		println!(
			"matching: {matched} of {ORDERS} orders with {BIDS_PER_ORDER} bids matched in one block \
			 ({:.3} ms per order, {:.1}% of the block; budget {:.1}%)",
			per_order.ref_time() as f64 / 1e9,
			100.0 * (u64::from(ORDERS) * per_order.ref_time()) as f64 / max_block,
			100.0 * budget.ref_time() as f64 / max_block,
		);
		assert!(
			budget.ref_time() as f64 <= max_block / 2.0,
			"matching may use at most half a block"
		);
		assert_eq!(matched, ORDERS as usize, "every order is matched in the block it closes");
		assert_eq!(Orders::open_order_views(None, 100).len(), 0);
	});
}

/// The worst-case weights of the calls whose work grows with an order's auditors, as the
/// runtime charges them: eight auditors, all of whom must have signed (`AllOf`), every standing
/// offer scanned, every bid matched. Figures from the checked-in `weights.rs`, which
/// `scripts/benchmark.sh` generates.
#[test]
fn the_worst_case_weights_of_audited_orders() {
	use frame_support::traits::Get;
	let auditors = <Runtime as pallet_orders::Config>::MaxRequiredAuditors::get();
	let offers = <Runtime as pallet_orders::Config>::MaxOffers::get();
	let bids = <Runtime as pallet_orders::Config>::MaxBidsPerOrder::get();
	let max_block =
		<Runtime as frame_system::Config>::BlockWeights::get().max_block.ref_time() as f64;
	type Orders = ccre_runtime::Orders;
	use ccre_primitives::OrderType;
	for (call, weight) in [
		(
			format!("create_order ({offers} offers, {auditors} auditors)"),
			Orders::create_order_weight(OrderType::GoodTillWindow, offers, auditors),
		),
		(
			format!("create_order, immediate ({offers} offers, {auditors} auditors)"),
			Orders::create_order_weight(OrderType::ImmediateOrCancel, offers, auditors),
		),
		(format!("place_bid ({auditors} auditors)"), Orders::place_bid_weight(auditors)),
		(
			format!("match_order ({bids} bids, {auditors} auditors)"),
			Orders::match_order_weight(bids, auditors),
		),
	] {
		println!(
			"weight: {call}: {:.3} ms, {:.2}% of a block, proof {} bytes",
			weight.ref_time() as f64 / 1e9,
			100.0 * weight.ref_time() as f64 / max_block,
			weight.proof_size()
		);
		// Each fits many times in a block: no single order can stall one.
		assert!(weight.ref_time() as f64 * 20.0 < max_block, "{call} takes {weight:?}");
	}
}
