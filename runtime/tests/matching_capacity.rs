//! The matching figure the market issue asks for: how many orders with ten bids each the
//! runtime matches in one block within the matching share of the block's weight. The orders all
//! close in the same block; the block's hook matches as many as the benchmarked weights let fit in the
//! matching budget, and the test prints how many that was. The count follows from the weights,
//! not from a clock, so it is the same on any machine with the same `weights.rs`.

mod common;

use ccre_primitives::{Capacity, ClearingRule, OrderTerms, Property};
use ccre_runtime::{
	AccountId, Balances, Orders, Runtime, RuntimeEvent, RuntimeOrigin, System, CCRE,
};
use common::{preset_ext, start_block};
use frame_support::{assert_ok, traits::fungible::Mutate};
use sp_genesis_builder::DEV_RUNTIME_PRESET;

const ORDERS: u32 = 800;
const BIDS_PER_ORDER: u32 = 10;
/// Each provider bids on a share of the orders, within its open-bid limit.
const PROVIDERS: u32 = 40;

fn account(kind: u8, index: u32) -> AccountId {
	let mut seed = [kind; 32];
	seed[..4].copy_from_slice(&index.to_le_bytes());
	let who = AccountId::from(seed);
	Balances::set_balance(&who, 1_000_000 * CCRE);
	who
}

#[test]
fn as_many_orders_with_ten_bids_as_the_matching_share_holds_are_matched_in_a_block() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let providers: Vec<_> = (0..PROVIDERS)
			.map(|index| {
				let provider = account(1, index);
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
		let tenant = account(2, 0);
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
		let per_order = ccre_runtime::Orders::match_order_weight(BIDS_PER_ORDER, 0);
		println!(
			"matching: {matched} of {ORDERS} orders with {BIDS_PER_ORDER} bids matched in one block \
			 (budget {:.3} s of weight, {:.3} ms per order); the rest carry over",
			budget.ref_time() as f64 / 1e12,
			per_order.ref_time() as f64 / 1e9,
		);
		// As many as the budget holds at the benchmarked weight, every one of them.
		let fit = (budget.ref_time() / per_order.ref_time().max(1)).min(u64::from(ORDERS));
		assert!(matched as u64 + 1 >= fit, "{matched} orders matched where {fit} fit");
		// Nothing is lost: the following blocks match the rest, as many each.
		let blocks = u64::from(ORDERS).div_ceil(fit.max(1)) as u32;
		for block in 3..=2 + blocks {
			start_block(block);
		}
		let open = Orders::open_order_views(None, 100).len();
		assert_eq!(open, 0, "every order is matched within {blocks} blocks");
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
