//! Standing offers, and the immediate orders that match against them.

use crate::{mock::*, Error, Event, HoldReason, OfferBook, Offers};
use ccre_primitives::{Capacity, ClearingRule, OrderType, ResourceSet};
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

/// The open order just placed.
fn last_order() -> crate::OrderOf<Test> {
	let id = crate::NextOrderId::<Test>::get() - 1;
	crate::Orders::<Test>::get(id).expect("the order")
}

#[test]
fn the_book_lists_offers_cheapest_then_oldest_through_posts_takes_and_withdrawals() {
	run_test(|| {
		let dear = offer(PROVIDER, 2, 9);
		let cheap = offer(PROVIDER + 1, 1, 4);
		let cheap_later = offer(PROVIDER + 2, 3, 4);
		let ids = || OfferBook::<Test>::get().iter().map(|entry| entry.2).collect::<Vec<_>>();
		assert_eq!(ids(), vec![cheap, cheap_later, dear]);
		// An immediate order uses up the cheapest offer: it leaves the book.
		assert_ok!(Orders::create_order(
			RuntimeOrigin::signed(TENANT),
			crate::TermsOf::<Test> { units: 1, ..immediate(OrderType::ImmediateOrCancel) },
			FUNDING
		));
		assert_eq!(ids(), vec![cheap_later, dear]);
		assert_ok!(Orders::withdraw_offer(RuntimeOrigin::signed(PROVIDER), dear));
		assert_eq!(ids(), vec![cheap_later]);
	});
}

#[test]
fn an_order_reads_offers_only_until_its_auction_rule_has_its_price() {
	run_test(|| {
		for (index, price) in [3, 4, 5, 6].into_iter().enumerate() {
			offer(PROVIDER + index as u64, 2, price);
		}
		// Pay-bid: the cheapest usable offer is the price, so one read is enough.
		assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), terms(), FUNDING));
		let (best, examined) = Orders::best_offer(&last_order(), 5, true);
		assert_eq!((best.map(|best| best.1.price), examined), (Some(3), 1));
		// Second price: the next usable offer sets the price, so two.
		let second = crate::TermsOf::<Test> { clearing: ClearingRule::SecondPrice, ..terms() };
		assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), second, FUNDING));
		let (best, examined) = Orders::best_offer(&last_order(), 5, true);
		assert_eq!((best.map(|best| best.1.price), examined), (Some(4), 2));
		// An order no offer can serve reads every offer within its price, and no other.
		let too_big = crate::TermsOf::<Test> { units: 3, ..terms() };
		assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), too_big.clone(), FUNDING));
		let (best, examined) = Orders::best_offer(&last_order(), 5, true);
		assert_eq!((best.is_none(), examined), (true, 4));
		let capped = crate::TermsOf::<Test> { max_price: 4, ..too_big };
		assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), capped, FUNDING));
		let (best, examined) = Orders::best_offer(&last_order(), 5, true);
		assert_eq!((best.is_none(), examined), (true, 2));
	});
}

#[test]
fn a_full_market_evicts_its_oldest_offer_from_the_book() {
	run_test(|| {
		let max: u32 =
			<<Test as crate::Config>::MaxOffers as frame_support::traits::Get<u32>>::get();
		let per_provider: u32 =
			<<Test as crate::Config>::MaxOffersPerProvider as frame_support::traits::Get<u32>>::get(
			);
		let mut posted = Vec::new();
		for index in 0..max {
			let provider = PROVIDER + u64::from(index / per_provider);
			posted.push(offer(provider, 1, Balance::from(100 - index)));
		}
		let provider = PROVIDER + u64::from(max / per_provider);
		let newest = offer(provider, 1, 50);
		let listed: Vec<_> = OfferBook::<Test>::get().iter().map(|entry| entry.2).collect();
		assert_eq!(listed.len() as u32, max);
		assert!(!listed.contains(&posted[0]), "the oldest offer is evicted");
		assert!(listed.contains(&newest));
		System::assert_has_event(
			Event::OfferEvicted { offer: posted[0], provider: PROVIDER }.into(),
		);
	});
}
