//! The matching figure the market issue asks for: how many orders with ten bids each the
//! runtime matches in one block within half the block's weight. The orders all close in the
//! same block; the block's hook matches as many as the benchmarked weights let fit in the
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
fn at_least_500_orders_with_ten_bids_are_matched_in_half_a_block() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let providers: Vec<_> = (0..PROVIDERS)
			.map(|index| {
				let provider = account(1, index);
				let origin = RuntimeOrigin::signed(provider.clone());
				assert_ok!(ccre_runtime::Providers::register(
					origin.clone(),
					b"https://provider.example:8443".to_vec(),
					vec![(Capacity::CpuMillicores, 64_000)],
					vec![(Property::Region, b"eu-west".to_vec())],
					Vec::new(),
				));
				assert_ok!(ccre_runtime::Providers::bond(origin, 1_000 * CCRE));
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
				matches!(record.event, RuntimeEvent::Orders(pallet_orders::Event::OrderMatched { .. }))
			})
			.count();
		let budget = <ccre_runtime::parameters::MatchingBudget as frame_support::traits::Get<
			frame_support::weights::Weight,
		>>::get();
		let per_order = <pallet_orders::weights::SubstrateWeight<Runtime> as pallet_orders::WeightInfo>::match_order(BIDS_PER_ORDER);
		println!(
			"matching: {matched} of {ORDERS} orders with {BIDS_PER_ORDER} bids matched in one block \
			 (budget {:.3} s of weight, {:.3} ms per order); the rest carry over",
			budget.ref_time() as f64 / 1e12,
			per_order.ref_time() as f64 / 1e9,
		);
		assert!(matched >= 500, "only {matched} orders matched in one block");
		// Nothing is lost: the next block matches the rest.
		start_block(3);
		let open = Orders::open_order_views(None, 100).len();
		assert_eq!(open, 0, "every order is matched by the next block");
	});
}
