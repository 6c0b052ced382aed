//! The order book against dishonest users: bidders squatting an order's bids, providers that
//! cannot take the lease they win, offers claiming what the provider does not have, offers
//! squatting the market, and bids pulled after the auction is over.

use crate::{mock::*, Bids, Error, Event, Offers, Orders as OrderRecords};
use ccre_primitives::{Capacity, OrderState, OrderType, ResourceSet};
use frame_support::{assert_noop, assert_ok, weights::Weight};

fn offer(provider: AccountId, unit: ResourceSet, units: u32, price: Balance) {
	assert_ok!(Orders::post_offer(RuntimeOrigin::signed(provider), unit, units, price, 1, 100));
}

#[test]
fn a_cheaper_bid_takes_the_place_of_the_dearest_on_a_full_order() {
	run_test(|| {
		let id = place(TENANT, terms());
		// The mock takes four bids an order.
		for (provider, price) in [(10, 9), (11, 8), (12, 9), (13, 7)] {
			bid(provider, id, price);
		}
		// Not cheaper than the dearest (9): refused.
		assert_noop!(
			Orders::place_bid(RuntimeOrigin::signed(14), id, 9),
			Error::<Test>::TooManyBids
		);
		// Cheaper: the dearest goes, the latest of the two at 9 first.
		bid(14, id, 6);
		let bidders: Vec<_> = Bids::<Test>::get(id).iter().map(|bid| bid.provider).collect();
		assert_eq!(bidders, vec![10, 11, 13, 14]);
		assert!(events().contains(&Event::BidEvicted { order: id, provider: 12 }));
		// The evicted bid's deposit comes back once the order closes, like any settled bid.
		run_to_block(6);
		assert_ok!(Orders::reclaim_bid_deposits(RuntimeOrigin::signed(12)));
		assert_eq!(held(crate::HoldReason::BidDeposit, 12), 0);
	});
}

#[test]
fn a_bid_cannot_be_withdrawn_once_the_window_has_closed() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 8);
		bid(PROVIDER + 1, id, 9);
		// Matching is held up: the window is over, the order still open.
		MatchingBudget::set(Weight::zero());
		run_to_block(6);
		assert_eq!(OrderRecords::<Test>::get(id).map(|order| order.state), Some(OrderState::Open));
		assert_noop!(
			Orders::withdraw_bid(RuntimeOrigin::signed(PROVIDER), id),
			Error::<Test>::BidWindowClosed
		);
		MatchingBudget::set(Weight::MAX);
		run_to_block(7);
		assert_eq!(
			OrderRecords::<Test>::get(id).map(|order| order.state),
			Some(OrderState::Leased { provider: PROVIDER })
		);
	});
}

/// One tenth of a core, at most 10 a block, matched at once against a standing offer.
fn one_tenth_immediately() -> crate::TermsOf<Test> {
	crate::TermsOf::<Test> {
		resources: ResourceSet::new([(Capacity::CpuMillicores, 100)], []).unwrap_or_default(),
		units: 1,
		order_type: OrderType::ImmediateOrCancel,
		..terms()
	}
}

/// Another tenant fills one of `provider`'s leases through its offer, and `provider` starts
/// it, so it does not time out.
fn take_one_lease(provider: AccountId) {
	let id = crate::NextOrderId::<Test>::get();
	assert_ok!(Orders::create_order(
		RuntimeOrigin::signed(OTHER_TENANT),
		one_tenth_immediately(),
		50
	));
	assert_ok!(Leases::start(RuntimeOrigin::signed(provider), id));
}

/// Fills `provider`'s lease limit (64 in the mock) but one, with leases of tenth-core units
/// taken from its own offer.
fn fill_all_but_one_lease(provider: AccountId) {
	let tenth = ResourceSet::new([(Capacity::CpuMillicores, 100)], []).unwrap_or_default();
	offer(provider, tenth, 64, 1);
	for _ in 0..63 {
		take_one_lease(provider);
	}
	assert_eq!(
		pallet_leases::ProviderLoads::<Test>::get(provider).map(|load| load.leases),
		Some(63)
	);
}

#[test]
fn an_order_whose_winner_cannot_take_the_lease_goes_to_the_runner_up() {
	run_test(|| {
		fill_all_but_one_lease(PROVIDER);
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 1);
		bid(PROVIDER + 1, id, 9);
		// Its last free lease goes before the order closes.
		take_one_lease(PROVIDER);
		// Now full, it may not bid on anything else.
		let other = place(TENANT, terms());
		assert_noop!(
			Orders::place_bid(RuntimeOrigin::signed(PROVIDER), other, 1),
			Error::<Test>::AtCapacity
		);
		run_to_block(6);
		assert_eq!(
			OrderRecords::<Test>::get(id).map(|order| order.state),
			Some(OrderState::Leased { provider: PROVIDER + 1 })
		);
	});
}

#[test]
fn a_provider_whose_stake_cannot_back_the_lease_does_not_win_it() {
	run_test(|| {
		// Every block of a lease must be backed by a hundred of stake; the providers bonded
		// the minimum, a hundred, enough for one unit at 1 but not two at 8.
		CollateralBlocks::set(100);
		let id = place(TENANT, terms());
		assert_noop!(
			Orders::place_bid(RuntimeOrigin::signed(PROVIDER), id, 8),
			Error::<Test>::AtCapacity
		);
		assert_ok!(Providers::bond(RuntimeOrigin::signed(PROVIDER + 1), 1_500));
		bid(PROVIDER + 1, id, 8);
		run_to_block(6);
		assert_eq!(
			OrderRecords::<Test>::get(id).map(|order| order.state),
			Some(OrderState::Leased { provider: PROVIDER + 1 })
		);
		// The stake backing it cannot leave while the lease runs.
		assert_noop!(
			Providers::unbond(RuntimeOrigin::signed(PROVIDER + 1), 1),
			pallet_providers::Error::<Test>::CollateralRequired
		);
	});
}

#[test]
fn an_offer_claims_only_what_its_provider_registered() {
	run_test(|| {
		let post = |unit: ResourceSet, units| {
			Orders::post_offer(RuntimeOrigin::signed(PROVIDER), unit, units, 1, 1, 100)
		};
		let gpu = ResourceSet::new(
			[(Capacity::Gpus, 1)],
			[(ccre_primitives::Property::GpuModel, b"h100".to_vec())],
		)
		.unwrap_or_default();
		assert_noop!(post(gpu, 1), Error::<Test>::OfferExceedsRegistration);
		let elsewhere = ResourceSet::new(
			[(Capacity::CpuMillicores, 1_000)],
			[(ccre_primitives::Property::Region, b"us-east".to_vec())],
		)
		.unwrap_or_default();
		assert_noop!(post(elsewhere, 1), Error::<Test>::OfferExceedsRegistration);
		// Eight cores registered: nine are too many, eight are fine.
		assert_noop!(post(cpu(1_000), 9), Error::<Test>::OfferExceedsRegistration);
		assert_ok!(post(cpu(1_000), 8));
	});
}

#[test]
fn an_offer_lapses_within_the_longest_lifetime() {
	run_test(|| {
		// The mock's longest lifetime is a thousand blocks.
		assert_noop!(
			Orders::post_offer(RuntimeOrigin::signed(PROVIDER), cpu(1_000), 1, 1, 1, 1_002),
			Error::<Test>::InvalidAvailability
		);
		assert_ok!(Orders::post_offer(RuntimeOrigin::signed(PROVIDER), cpu(1_000), 1, 1, 1, 1_001));
	});
}

#[test]
fn a_full_market_drops_its_oldest_offer_for_a_new_one() {
	run_test(|| {
		// The mock's market holds four offers, two a provider.
		for provider in [10, 10, 11, 11] {
			offer(provider, cpu(1_000), 1, 1_000);
		}
		offer(12, cpu(1_000), 2, 1);
		assert_eq!(Offers::<Test>::count(), 4);
		assert!(Offers::<Test>::get(0).is_none(), "the oldest went");
		assert!(events().contains(&Event::OfferEvicted { offer: 0, provider: 10 }));
		assert_eq!(held(crate::HoldReason::OfferDeposit, 10), 7, "its deposit came back");
	});
}
