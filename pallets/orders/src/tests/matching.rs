//! Matching in the block hook: who wins, at what price, what happens without a winner, and
//! carrying work over when the budget runs out.

use crate::{mock::*, Bids, ClosingAt, Event, MatchingCursor, Orders as OrdersStorage};
use ccre_primitives::{ClearingRule, CloseReason, LeaseState, OrderState};
use frame_support::{assert_ok, weights::Weight};
use proptest::prelude::*;

fn lease(id: u64) -> pallet_leases::LeaseOf<Test> {
	pallet_leases::Leases::<Test>::get(id).expect("a lease")
}

#[test]
fn the_lowest_price_wins_and_pays_per_unit() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 9);
		bid(PROVIDER + 1, id, 6);
		bid(PROVIDER + 2, id, 7);
		run_to_block(5);
		assert_eq!(OrdersStorage::<Test>::get(id).map(|o| o.state), Some(OrderState::Open));
		run_to_block(6);
		assert_eq!(
			OrdersStorage::<Test>::get(id).map(|o| o.state),
			Some(OrderState::Leased { provider: PROVIDER + 1 })
		);
		let lease = lease(id);
		assert_eq!((lease.tenant, lease.provider, lease.price), (TENANT, PROVIDER + 1, 12));
		assert!(Bids::<Test>::get(id).is_empty());
		assert!(events().contains(&Event::OrderMatched {
			order: id,
			provider: PROVIDER + 1,
			unit_price: 6,
			units: 2,
			lease_price: 12,
			offer: None,
		}));
	});
}

#[test]
fn ties_go_to_the_earliest_bid() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER + 3, id, 7);
		bid(PROVIDER, id, 7);
		run_to_block(6);
		assert_eq!(lease(id).provider, PROVIDER + 3);
	});
}

#[test]
fn second_price_pays_the_runner_up_capped_by_the_maximum() {
	run_test(|| {
		let vickrey = crate::TermsOf::<Test> { clearing: ClearingRule::SecondPrice, ..terms() };
		let contested = place(TENANT, vickrey.clone());
		bid(PROVIDER, contested, 4);
		bid(PROVIDER + 1, contested, 9);
		let alone = place(TENANT, vickrey);
		bid(PROVIDER, alone, 4);
		run_to_block(6);
		assert_eq!((lease(contested).provider, lease(contested).price), (PROVIDER, 18));
		// A lone bidder is paid the maximum, 10 per unit.
		assert_eq!(lease(alone).price, 20);
	});
}

#[test]
fn a_bidder_no_longer_eligible_at_the_close_is_passed_over() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 5);
		bid(PROVIDER + 1, id, 8);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(PROVIDER), 50));
		run_to_block(6);
		assert_eq!(lease(id).provider, PROVIDER + 1);
	});
}

#[test]
fn an_order_without_eligible_bids_expires_and_gives_everything_back() {
	run_test(|| {
		let before = Balances::free_balance(TENANT);
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 5);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(PROVIDER), 100));
		run_to_block(6);
		assert!(events().contains(&Event::OrderExpired { order: id }));
		assert!(OrdersStorage::<Test>::get(id).is_none());
		assert_eq!(Balances::free_balance(TENANT), before);
	});
}

#[test]
fn matching_that_does_not_fit_carries_over_in_order() {
	run_test(|| {
		let ids: Vec<_> = (0..5).map(|_| place(TENANT, terms())).collect();
		for (index, id) in ids.iter().enumerate() {
			bid(PROVIDER + index as u64, *id, 5);
		}
		use crate::WeightInfo;
		let weights = Orders::match_order_weight(1, 0);
		let bucket = crate::weights::SubstrateWeight::<Test>::match_bucket();
		// Room for the bucket and two orders a block.
		MatchingBudget::set(bucket.saturating_add(weights.saturating_mul(2)));
		run_to_block(6);
		assert!(events().contains(&Event::MatchingDeferred { block: 6, remaining: 3 }));
		assert_eq!(ClosingAt::<Test>::get(6).into_inner(), ids[2..].to_vec());
		assert_eq!(MatchingCursor::<Test>::get(), Some(6));
		run_to_block(8);
		assert!(ClosingAt::<Test>::get(6).is_empty());
		// Empty blocks cost a bucket each, so the cursor catches up a block later.
		run_to_block(9);
		assert_eq!(MatchingCursor::<Test>::get(), Some(10));
		let matched: Vec<_> = events()
			.into_iter()
			.filter_map(|event| match event {
				Event::OrderMatched { order, .. } => Some(order),
				_ => None,
			})
			.collect();
		assert_eq!(matched, ids, "every order matched, oldest first");
	});
}

#[test]
fn a_whole_deployment_from_order_to_reaping() {
	run_test(|| {
		let tenant_before = Balances::free_balance(TENANT);
		let provider_before = Balances::free_balance(PROVIDER);
		let issuance = Balances::total_issuance();
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 5);
		run_to_block(6);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), id));
		// 100 blocks at 10 a block: 1 000, of which the market takes 10%.
		run_to_block(106);
		assert_eq!(lease(id).state, LeaseState::Closed { reason: CloseReason::Expired, at: 106 });
		assert_ok!(Leases::reap(RuntimeOrigin::signed(TENANT), id));
		assert!(OrdersStorage::<Test>::get(id).is_none());
		assert_eq!(Balances::free_balance(TENANT), tenant_before - 1_000);
		assert_ok!(Orders::reclaim_bid_deposits(RuntimeOrigin::signed(PROVIDER)));
		assert_eq!(Balances::free_balance(PROVIDER), provider_before + 900);
		assert_eq!(Balances::free_balance(TREASURY), 1 + 50);
		assert_eq!(Balances::free_balance(INSURANCE_POOL), 1 + 50);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(32))]

	#[test]
	fn the_winner_does_not_depend_on_the_order_bids_arrive_in(
		prices in proptest::sample::subsequence((1u64..=10).collect::<Vec<_>>(), 1..=4),
		rotation in 0usize..4,
	) {
		let outcome = |prices: &[u64]| {
			let mut result = None;
			run_test(|| {
				let id = place(TENANT, terms());
				for price in prices {
					// The provider is tied to the price, not to the arrival order.
					bid(PROVIDER + *price - 1, id, *price);
				}
				run_to_block(6);
				result = Some((lease(id).provider, lease(id).price));
			});
			result
		};
		let mut rotated = prices.clone();
		rotated.rotate_left(rotation % prices.len());
		rotated.reverse();
		prop_assert_eq!(outcome(&prices), outcome(&rotated));
	}

	#[test]
	fn funds_are_conserved_whatever_happens(
		steps in proptest::collection::vec((0u8..6, 0u64..4, 1u64..=10), 1..40),
	) {
		run_test(|| {
			let issuance = Balances::total_issuance();
			for (action, pick, price) in steps {
				let order = crate::NextOrderId::<Test>::get().saturating_sub(1 + pick % 3);
				let provider = PROVIDER + pick;
				let tenant = if pick % 2 == 0 { TENANT } else { OTHER_TENANT };
				// Refusals are fine here: the point is that nothing leaks either way.
				let _ = match action {
					0 => Orders::create_order(RuntimeOrigin::signed(tenant), terms(), FUNDING)
						.map(|_| ()).map_err(|e| e.error),
					1 => Orders::place_bid(RuntimeOrigin::signed(provider), order, price)
						.map(|_| ()).map_err(|e| e.error),
					2 => Orders::cancel_order(RuntimeOrigin::signed(tenant), order),
					3 => Leases::start(RuntimeOrigin::signed(provider), order),
					4 => Leases::close(RuntimeOrigin::signed(tenant), order, CloseReason::Tenant),
					_ => {
						run_to_block(System::block_number() + price * 3);
						Ok(())
					},
				};
				assert_eq!(Balances::total_issuance(), issuance);
			}
		});
	}
}

#[test]
fn a_zero_budget_matches_nothing_and_loses_nothing() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 5);
		MatchingBudget::set(Weight::zero());
		run_to_block(10);
		assert_eq!(OrdersStorage::<Test>::get(id).map(|o| o.state), Some(OrderState::Open));
		MatchingBudget::set(Weight::MAX);
		run_to_block(11);
		assert_eq!(lease(id).provider, PROVIDER);
	});
}
