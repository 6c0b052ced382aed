//! Time in force: immediate-or-cancel, fill-or-kill, post-only and good-till-block.

use crate::{mock::*, Error, Removal};
use ccre_primitives::exchange::{Side, TimeInForce};
use frame_support::assert_noop;

#[test]
fn immediate_or_cancel_fills_what_it_can_and_drops_the_rest() {
	run_test(|| {
		let ask = sell(PROVIDER, 10, 2);
		next_block();
		let bid = buy_with(TENANT, 10, 5, TimeInForce::ImmediateOrCancel);
		next_block();
		assert_eq!(trades(), vec![(bid, ask, 10, 2)]);
		assert!(removals().contains(&(bid, Removal::Unfilled)));
		assert_eq!(depth(Side::Buy), vec![]);
		assert_eq!(held(crate::HoldReason::Purchase, TENANT), 0);
	});
}

#[test]
fn fill_or_kill_fills_whole_or_changes_nothing() {
	run_test(|| {
		let first = sell(PROVIDER, 10, 2);
		let second = sell(OTHER_PROVIDER, 12, 2);
		next_block();
		let killed = buy_with(TENANT, 12, 5, TimeInForce::FillOrKill);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(killed, Removal::Killed)]);
		assert_eq!(depth(Side::Sell), vec![(10, 2), (12, 2)]);
		assert_eq!(pallet_orders::Orders::<Test>::iter().count(), 0);
		let whole = buy_with(TENANT, 12, 4, TimeInForce::FillOrKill);
		next_block();
		assert_eq!(trades(), vec![(whole, first, 10, 2), (whole, second, 12, 2)]);
	});
}

#[test]
fn fill_or_kill_fills_against_at_most_the_fill_limit() {
	run_test(|| {
		for (provider, price) in [(PROVIDER, 10), (OTHER_PROVIDER, 10), (12, 10), (13, 12)] {
			sell(provider, price, 1);
		}
		next_block();
		// Four lots would need four resting orders; the limit is three.
		let killed = buy_with(TENANT, 12, 4, TimeInForce::FillOrKill);
		next_block();
		assert_eq!(removals(), vec![(killed, Removal::Killed)]);
		assert_eq!(depth(Side::Sell), vec![(10, 3), (12, 1)]);
	});
}

#[test]
fn post_only_rests_or_is_removed_if_it_would_take() {
	run_test(|| {
		sell(PROVIDER, 10, 1);
		next_block();
		let taking = buy_with(TENANT, 10, 1, TimeInForce::PostOnly);
		let making = buy_with(TENANT, 8, 1, TimeInForce::PostOnly);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(taking, Removal::WouldTake)]);
		assert_eq!(depth(Side::Buy), vec![(8, 1)]);
		assert!(crate::Orders::<Test>::get(making).is_some_and(|order| order.resting));
	});
}

#[test]
fn good_till_block_expires_at_the_start_of_its_block() {
	run_test(|| {
		// Placed in block 1, matched at 2: it must expire later than that.
		assert_noop!(
			crate::Pallet::<Test>::sell(
				RuntimeOrigin::signed(PROVIDER),
				CPU,
				10,
				1,
				TimeInForce::GoodTillBlock(2)
			),
			Error::<Test>::ExpiryPassed
		);
		let ask = sell_with(PROVIDER, 10, 1, TimeInForce::GoodTillBlock(4));
		next_block();
		next_block();
		assert_eq!(depth(Side::Sell), vec![(10, 1)]);
		// A buy placed in block 3 is matched at 4, after the ask expired.
		let bid = buy(TENANT, 10, 1);
		next_block();
		assert_eq!(trades(), vec![]);
		assert_eq!(removals(), vec![(ask, Removal::Expired)]);
		assert_eq!(depth(Side::Buy), vec![(10, 1)]);
		assert!(crate::Orders::<Test>::get(bid).is_some());
	});
}

#[test]
fn expiries_per_block_are_bounded() {
	run_test(|| {
		sell_with(PROVIDER, 10, 1, TimeInForce::GoodTillBlock(9));
		sell_with(PROVIDER, 10, 1, TimeInForce::GoodTillBlock(9));
		assert_noop!(
			crate::Pallet::<Test>::sell(
				RuntimeOrigin::signed(PROVIDER),
				CPU,
				10,
				1,
				TimeInForce::GoodTillBlock(9)
			),
			Error::<Test>::TooManyExpiries
		);
	});
}
