//! Standing offers, and the immediate orders that match against them.

use crate::{mock::*, Error, Event, HoldReason, Offers};
use ccre_primitives::{Capacity, OrderType, ResourceSet};
use frame_support::{assert_noop, assert_ok};

/// `units` units of one core at `price`, available from block 1 to 100.
fn offer(provider: AccountId, units: u32, price: Balance) -> u64 {
	let id = crate::NextOfferId::<Test>::get();
	assert_ok!(Orders::post_offer(
		RuntimeOrigin::signed(provider),
		cpu(1_000),
		units,
		price,
		1,
		100
	));
	id
}

fn immediate(order_type: OrderType) -> crate::TermsOf<Test> {
	crate::TermsOf::<Test> { order_type, bid_window: 0, ..terms() }
}

#[test]
fn posting_an_offer_holds_a_deposit_and_bad_offers_are_refused() {
	run_test(|| {
		let id = offer(PROVIDER, 4, 6);
		assert_eq!(held(HoldReason::OfferDeposit, PROVIDER), 7);
		assert_eq!(Offers::<Test>::get(id).map(|o| o.units), Some(4));
		let post = |provider, unit: ResourceSet, units, price, from, until| {
			Orders::post_offer(RuntimeOrigin::signed(provider), unit, units, price, from, until)
		};
		assert_noop!(post(PROVIDER, ResourceSet::default(), 1, 5, 1, 9), Error::<Test>::EmptySpec);
		assert_noop!(post(PROVIDER, cpu(1), 0, 5, 1, 9), Error::<Test>::ZeroUnits);
		assert_noop!(post(PROVIDER, cpu(1), 1, 0, 1, 9), Error::<Test>::ZeroPrice);
		assert_noop!(post(PROVIDER, cpu(1), 1, 5, 9, 2), Error::<Test>::InvalidAvailability);
		assert_noop!(post(UNREGISTERED, cpu(1), 1, 5, 1, 9), Error::<Test>::NotRegistered);
		assert_noop!(post(UNSTAKED, cpu(1), 1, 5, 1, 9), Error::<Test>::InsufficientStake);
		offer(PROVIDER, 1, 6);
		assert_noop!(post(PROVIDER, cpu(1), 1, 5, 1, 9), Error::<Test>::TooManyOffers);
	});
}

#[test]
fn immediate_or_cancel_takes_what_the_cheapest_offer_has() {
	run_test(|| {
		offer(PROVIDER, 1, 4);
		offer(PROVIDER + 1, 5, 6);
		let id = crate::NextOrderId::<Test>::get();
		assert_ok!(Orders::create_order(
			RuntimeOrigin::signed(TENANT),
			immediate(OrderType::ImmediateOrCancel),
			FUNDING
		));
		// The cheaper offer has one unit of the two asked for: the order takes that one.
		let lease = pallet_leases::Leases::<Test>::get(id).expect("leased at once");
		assert_eq!((lease.provider, lease.price), (PROVIDER, 4));
		assert_eq!(crate::Orders::<Test>::get(id).map(|o| o.terms.units), Some(1));
		// The used-up offer is gone and its deposit back.
		assert_eq!(Offers::<Test>::count(), 1);
		assert_eq!(held(HoldReason::OfferDeposit, PROVIDER), 0);
	});
}

#[test]
fn fill_or_kill_needs_every_unit_from_one_offer() {
	run_test(|| {
		offer(PROVIDER, 1, 4);
		assert_ok!(Orders::create_order(
			RuntimeOrigin::signed(TENANT),
			immediate(OrderType::FillOrKill),
			FUNDING
		));
		assert!(events().contains(&Event::OrderNotFilled {
			tenant: TENANT,
			order_type: OrderType::FillOrKill
		}));
		assert_eq!(held(HoldReason::OrderDeposit, TENANT), 0);
		offer(PROVIDER + 1, 3, 6);
		let id = crate::NextOrderId::<Test>::get();
		assert_ok!(Orders::create_order(
			RuntimeOrigin::signed(TENANT),
			immediate(OrderType::FillOrKill),
			FUNDING
		));
		let lease = pallet_leases::Leases::<Test>::get(id).expect("leased at once");
		assert_eq!((lease.provider, lease.price), (PROVIDER + 1, 12));
		assert_eq!(Offers::<Test>::get(1).map(|o| o.units), Some(1));
	});
}

#[test]
fn a_window_order_weighs_a_standing_offer_against_its_bids() {
	run_test(|| {
		let cheap = offer(PROVIDER, 2, 3);
		let id = place(TENANT, terms());
		assert!(events().contains(&Event::OrderCreated {
			order: id,
			tenant: TENANT,
			closes_at: 6,
			standing_offer: Some(cheap)
		}));
		bid(PROVIDER + 1, id, 5);
		run_to_block(6);
		let lease = pallet_leases::Leases::<Test>::get(id).expect("leased");
		assert_eq!((lease.provider, lease.price), (PROVIDER, 6));
		assert!(Offers::<Test>::get(cheap).is_none());
	});
}

#[test]
fn an_offer_that_does_not_meet_the_order_is_ignored() {
	run_test(|| {
		// Memory alone, where the order needs cores.
		let memory = ResourceSet::new([(Capacity::MemoryMib, 1_024)], []).expect("valid");
		assert_ok!(Orders::post_offer(RuntimeOrigin::signed(PROVIDER), memory, 4, 1, 1, 100));
		let id = place(TENANT, terms());
		assert!(events().contains(&Event::OrderCreated {
			order: id,
			tenant: TENANT,
			closes_at: 6,
			standing_offer: None
		}));
	});
}

#[test]
fn a_lapsed_offer_may_be_cleared_by_anyone() {
	run_test(|| {
		let id = offer(PROVIDER, 2, 3);
		assert_noop!(
			Orders::withdraw_offer(RuntimeOrigin::signed(TENANT), id),
			Error::<Test>::NotOfferOwner
		);
		run_to_block(101);
		assert_ok!(Orders::withdraw_offer(RuntimeOrigin::signed(TENANT), id));
		assert_eq!(held(HoldReason::OfferDeposit, PROVIDER), 0);
		assert_noop!(
			Orders::withdraw_offer(RuntimeOrigin::signed(PROVIDER), id),
			Error::<Test>::UnknownOffer
		);
	});
}
