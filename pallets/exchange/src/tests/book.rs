//! The continuous book: price-time priority, trades at resting prices, sweeps across levels,
//! cancels before new orders, and fills that open deployments.

use crate::{mock::*, Error, Removal};
use ccre_primitives::{exchange::Side, OrderState};
use frame_support::{assert_noop, assert_ok};

#[test]
fn orders_rest_until_matched_at_the_next_block() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 2);
		// Waiting, not on the book yet.
		assert_eq!(depth(Side::Sell), vec![]);
		next_block();
		assert_eq!(depth(Side::Sell), vec![(10, 2)]);
		let bid = buy(TENANT, 6, 1);
		next_block();
		assert_eq!(depth(Side::Buy), vec![(6, 1)]);
		assert_eq!(trades(), vec![]);
		assert!(crate::Orders::<Test>::get(ask).is_some_and(|order| order.resting));
		assert!(crate::Orders::<Test>::get(bid).is_some_and(|order| order.resting));
	});
}

#[test]
fn a_crossing_order_trades_at_the_resting_price_and_opens_a_deployment() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 2);
		next_block();
		let before = total_balance(TENANT);
		let bid = buy(TENANT, 14, 2);
		// Held: 14 × 2 × 100 blocks, and the deposit.
		assert_eq!(held(crate::HoldReason::Purchase, TENANT), 2_800);
		next_block();
		assert_eq!(trades(), vec![(bid, ask, 10, 2)]);
		let deployment = events()
			.into_iter()
			.find_map(|event| match event {
				crate::Event::Traded { deployment, .. } => Some(deployment),
				_ => None,
			})
			.expect("a trade");
		let order = pallet_orders::Orders::<Test>::get(deployment).expect("the deployment");
		assert_eq!(order.tenant, TENANT);
		assert_eq!(order.state, OrderState::Leased { provider: PROVIDER });
		assert_eq!((order.terms.units, order.terms.max_price), (2, 10));
		assert_eq!(order.terms.manifest_hash, MANIFEST);
		assert_eq!(order.terms.duration, Some(DURATION));
		// The lease streams 20 per block from 2 000 in escrow; the 800 above the trade price
		// and both orders' deposits are back.
		assert_eq!(
			<Escrow as ccre_primitives::Escrow<AccountId, Balance, u64>>::balance(deployment),
			Some(2_000)
		);
		assert_eq!(held(crate::HoldReason::Purchase, TENANT), 0);
		assert_eq!(held(crate::HoldReason::OrderDeposit, TENANT), 0);
		assert_eq!(held(crate::HoldReason::OrderDeposit, PROVIDER), 0);
		assert_eq!(total_balance(TENANT), before);
		assert_eq!(depth(Side::Sell), vec![]);
		assert_eq!(crate::Orders::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_best_price_trades_first_and_the_oldest_at_a_price() {
	run_test(|| {
		let late_cheap = sell(OTHER_PROVIDER, 8, 1);
		let first_dear = sell(PROVIDER, 10, 1);
		let second_dear = sell(12, 10, 1);
		next_block();
		let early = sell(13, 8, 1);
		next_block();
		// At 8: OTHER_PROVIDER's then 13's; then PROVIDER's at 10, then 12's.
		let bid = buy(TENANT, 10, 4);
		next_block();
		// Three fills per round of matching: the fourth lot takes a second round.
		assert_eq!(
			trades(),
			vec![
				(bid, late_cheap, 8, 1),
				(bid, early, 8, 1),
				(bid, first_dear, 10, 1),
				(bid, second_dear, 10, 1)
			]
		);
		assert_eq!((depth(Side::Buy), depth(Side::Sell)), (vec![], vec![]));
	});
}

#[test]
fn a_partial_fill_leaves_the_rest_resting_with_its_time_priority() {
	run_test(|| {
		let big = sell(PROVIDER, 10, 5);
		let small = sell(OTHER_PROVIDER, 10, 1);
		next_block();
		let bid = buy(TENANT, 10, 2);
		next_block();
		assert_eq!(trades(), vec![(bid, big, 10, 2)]);
		assert_eq!(depth(Side::Sell), vec![(10, 4)]);
		assert_eq!(crate::Orders::<Test>::get(big).map(|order| order.lots), Some(3));
		let next = buy(OTHER_TENANT, 10, 4);
		next_block();
		assert_eq!(trades()[1..], [(next, big, 10, 3), (next, small, 10, 1)]);
	});
}

#[test]
fn a_cancel_in_the_same_block_comes_before_any_new_order() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 1);
		next_block();
		// The crossing buy comes first in the block, the cancel after: the cancel wins.
		let bid = buy(TENANT, 10, 1);
		assert_ok!(Exchange::cancel(RuntimeOrigin::signed(PROVIDER), ask));
		next_block();
		assert_eq!(trades(), vec![]);
		assert!(removals().contains(&(ask, Removal::Cancelled)));
		assert_eq!(depth(Side::Buy), vec![(10, 1)]);
		// And a cancelled order is gone for good.
		assert_noop!(
			Exchange::cancel(RuntimeOrigin::signed(PROVIDER), ask),
			Error::<Test>::UnknownOrder
		);
		assert_noop!(
			Exchange::cancel(RuntimeOrigin::signed(PROVIDER), bid),
			Error::<Test>::NotOwner
		);
	});
}

#[test]
fn a_waiting_order_can_be_cancelled_before_it_is_matched() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 1);
		next_block();
		let bid = buy(TENANT, 10, 1);
		assert_ok!(Exchange::cancel(RuntimeOrigin::signed(TENANT), bid));
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(depth(Side::Sell), vec![(10, 1)]);
		assert!(crate::Orders::<Test>::get(ask).is_some());
		assert_eq!(held(crate::HoldReason::Purchase, TENANT), 0);
	});
}

#[test]
fn matching_carries_over_what_its_budget_does_not_cover() {
	run_test(|| {
		for price in [10, 12, 14, 16] {
			sell(PROVIDER, price, 1);
		}
		// The base, then two orders that rest without a fill (1 unit each), each needing
		// room for one fill (2 units) to start: the third does not fit.
		MatchingBudget::set(frame_support::weights::Weight::from_parts(4_000_000, 0));
		next_block();
		assert_eq!(depth(Side::Sell), vec![(10, 1), (12, 1)]);
		assert!(events().contains(&crate::Event::MatchingDeferred { remaining: 2 }));
		next_block();
		assert_eq!(depth(Side::Sell), vec![(10, 1), (12, 1), (14, 1), (16, 1)]);
	});
}

#[test]
fn an_order_trades_as_many_fills_as_the_budget_has_room_for_and_goes_on_next_block() {
	run_test(|| {
		for price in [10, 12, 14, 16] {
			sell(PROVIDER, price, 1);
		}
		next_block();
		// The base and a round of two fills (3 units): not three.
		MatchingBudget::set(frame_support::weights::Weight::from_parts(4_000_000, 0));
		let bid = buy(TENANT, 20, 4);
		next_block();
		assert_eq!(trades().iter().map(|trade| trade.2).collect::<Vec<_>>(), vec![10, 12]);
		assert!(events().contains(&crate::Event::MatchingDeferred { remaining: 1 }));
		assert_eq!(crate::Orders::<Test>::get(bid).map(|order| order.lots), Some(2));
		next_block();
		assert_eq!(trades().iter().map(|trade| trade.2).collect::<Vec<_>>(), vec![10, 12, 14, 16]);
		assert!(crate::Orders::<Test>::get(bid).is_none());
	});
}
