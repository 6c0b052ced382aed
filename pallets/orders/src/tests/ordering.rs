//! Placing, re-versioning and cancelling orders, and every refusal of bad terms.

use crate::{mock::*, Error, Event, HoldReason, Orders as OrdersStorage};
use ccre_primitives::{Capacity, OrderState, OrderType, Property, ResourceSet};
use frame_support::{assert_noop, assert_ok};

#[test]
fn an_order_holds_its_deposit_and_funds_its_escrow() {
	run_test(|| {
		let id = place(TENANT, terms());
		let order = OrdersStorage::<Test>::get(id).expect("stored");
		assert_eq!(order.state, OrderState::Open);
		assert_eq!(order.closes_at, 6);
		assert_eq!(held(HoldReason::OrderDeposit, TENANT), order.deposit);
		assert_eq!(pallet_escrow::Pallet::<Test>::balance_of(id), Some(FUNDING));
		assert!(crate::ClosingAt::<Test>::get(6).contains(&id));
		assert_eq!(
			events(),
			vec![Event::OrderCreated {
				order: id,
				tenant: TENANT,
				closes_at: 6,
				standing_offer: None
			}]
		);
	});
}

#[test]
fn bad_terms_are_refused_with_nothing_changed() {
	run_test(|| {
		let spec_too_large =
			ResourceSet::new([(Capacity::MemoryMib, u64::MAX / 2 + 1)], []).expect("valid");
		let cases: Vec<(crate::TermsOf<Test>, Error<Test>)> = vec![
			(
				crate::TermsOf::<Test> { resources: ResourceSet::default(), ..terms() },
				Error::EmptySpec,
			),
			(crate::TermsOf::<Test> { units: 0, ..terms() }, Error::ZeroUnits),
			(crate::TermsOf::<Test> { units: 17, ..terms() }, Error::TooManyUnits),
			(crate::TermsOf::<Test> { resources: spec_too_large, ..terms() }, Error::SpecTooLarge),
			(
				crate::TermsOf::<Test> {
					resources: ResourceSet::new([], [(Property::Region, b"us".to_vec())])
						.expect("valid"),
					..terms()
				},
				Error::InvalidSpec,
			),
			(
				crate::TermsOf::<Test> { auditors: bounded(vec![AUDITOR, AUDITOR]), ..terms() },
				Error::DuplicateAuditor,
			),
			(crate::TermsOf::<Test> { max_price: 0, ..terms() }, Error::ZeroPrice),
			(crate::TermsOf::<Test> { duration: Some(0), ..terms() }, Error::ZeroDuration),
			(crate::TermsOf::<Test> { bid_window: 0, ..terms() }, Error::ZeroBidWindow),
			(crate::TermsOf::<Test> { bid_window: 51, ..terms() }, Error::BidWindowTooLong),
			(crate::TermsOf::<Test> { max_price: u64::MAX, ..terms() }, Error::PriceOverflow),
		];
		for (bad, error) in cases {
			assert_noop!(Orders::create_order(RuntimeOrigin::signed(TENANT), bad, FUNDING), error);
		}
		// Two units at 10 need 20 for one block.
		assert_noop!(
			Orders::create_order(RuntimeOrigin::signed(TENANT), terms(), 19),
			Error::<Test>::InsufficientFunding
		);
	});
}

#[test]
fn a_full_closing_block_is_refused() {
	run_test(|| {
		for _ in 0..8 {
			place(TENANT, terms());
		}
		assert_noop!(
			Orders::create_order(RuntimeOrigin::signed(TENANT), terms(), FUNDING),
			Error::<Test>::TooManyOrdersClosing
		);
		assert_ok!(Orders::create_order(
			RuntimeOrigin::signed(TENANT),
			crate::TermsOf::<Test> { bid_window: 6, ..terms() },
			FUNDING
		));
	});
}

#[test]
fn the_tenant_sets_a_new_manifest_version() {
	run_test(|| {
		let id = place(TENANT, terms());
		assert_noop!(
			Orders::update_manifest(RuntimeOrigin::signed(OTHER_TENANT), id, [8; 32]),
			Error::<Test>::NotTenant
		);
		assert_noop!(
			Orders::update_manifest(RuntimeOrigin::signed(TENANT), id, [7; 32]),
			Error::<Test>::SameManifest
		);
		assert_noop!(
			Orders::update_manifest(RuntimeOrigin::signed(TENANT), 99, [8; 32]),
			Error::<Test>::UnknownOrder
		);
		assert_ok!(Orders::update_manifest(RuntimeOrigin::signed(TENANT), id, [8; 32]));
		assert_eq!(Orders::manifest_hash(id), Some([8; 32]));
	});
}

#[test]
fn cancelling_returns_the_deposit_and_the_funds() {
	run_test(|| {
		let before = Balances::free_balance(TENANT);
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 8);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(OTHER_TENANT), id),
			Error::<Test>::NotTenant
		);
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(TENANT), id));
		assert_eq!(Balances::free_balance(TENANT), before);
		assert!(OrdersStorage::<Test>::get(id).is_none());
		assert!(crate::ClosingAt::<Test>::get(6).is_empty());
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(TENANT), id),
			Error::<Test>::UnknownOrder
		);
		// The bidder's deposit is reclaimable now.
		assert_ok!(Orders::reclaim_bid_deposits(RuntimeOrigin::signed(PROVIDER)));
		assert_eq!(held(HoldReason::BidDeposit, PROVIDER), 0);
	});
}

#[test]
fn a_leased_order_cannot_be_cancelled() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 8);
		run_to_block(6);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(TENANT), id),
			Error::<Test>::OrderNotOpen
		);
		// A leased order still takes a new manifest version.
		assert_ok!(Orders::update_manifest(RuntimeOrigin::signed(TENANT), id, [9; 32]));
	});
}

#[test]
fn immediate_orders_need_no_bid_window() {
	run_test(|| {
		let ioc = crate::TermsOf::<Test> {
			order_type: OrderType::ImmediateOrCancel,
			bid_window: 0,
			..terms()
		};
		assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), ioc, FUNDING));
		assert_eq!(
			events(),
			vec![Event::OrderNotFilled {
				tenant: TENANT,
				order_type: OrderType::ImmediateOrCancel
			}]
		);
		assert_eq!(held(HoldReason::OrderDeposit, TENANT), 0);
	});
}

#[test]
fn an_order_naming_too_many_auditors_does_not_decode() {
	use codec::{Decode, Encode};
	// The terms as a client encodes them, with a plain list: three auditors where the mock
	// takes two, and the call is refused before any work is done on it.
	let plain = |auditors: Vec<AccountId>| {
		terms().try_map_auditors(|_| Ok::<_, ()>(auditors)).expect("a plain list")
	};
	let call = |auditors| {
		let mut encoded = crate::Call::<Test>::cancel_order { order: 0 }.encode();
		encoded.truncate(1);
		encoded[0] = 0; // `create_order`'s call index
		(plain(auditors), FUNDING).encode_to(&mut encoded);
		crate::Call::<Test>::decode(&mut &encoded[..])
	};
	assert!(call(vec![1, 2]).is_ok());
	assert!(call(vec![1, 2, 3]).is_err());
}
