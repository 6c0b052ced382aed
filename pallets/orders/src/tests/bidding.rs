//! Bids: who may bid, on what, and the deposits.

use crate::{mock::*, Bids, Error, Event, HoldReason};
use frame_support::{assert_noop, assert_ok};

#[test]
fn an_eligible_provider_bids_with_a_deposit() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 8);
		assert_eq!(held(HoldReason::BidDeposit, PROVIDER), 5);
		let bids = Bids::<Test>::get(id);
		assert_eq!(bids.len(), 1);
		assert_eq!((bids[0].provider, bids[0].price, bids[0].placed_at), (PROVIDER, 8, 1));
		assert!(events().contains(&Event::BidPlaced { order: id, provider: PROVIDER, price: 8 }));
	});
}

#[test]
fn bad_bids_are_refused_with_nothing_changed() {
	run_test(|| {
		let id = place(TENANT, terms());
		let attempt = |provider, order, price| {
			Orders::place_bid(RuntimeOrigin::signed(provider), order, price)
		};
		assert_noop!(attempt(PROVIDER, 99, 8), Error::<Test>::UnknownOrder);
		assert_noop!(attempt(PROVIDER, id, 0), Error::<Test>::ZeroPrice);
		assert_noop!(attempt(PROVIDER, id, 11), Error::<Test>::PriceAboveMaximum);
		assert_noop!(attempt(UNREGISTERED, id, 8), Error::<Test>::NotRegistered);
		assert_noop!(attempt(UNSTAKED, id, 8), Error::<Test>::InsufficientStake);
		// Nine cores is more than any provider has.
		let big = place(TENANT, crate::TermsOf::<Test> { resources: cpu(4_500), ..terms() });
		assert_noop!(attempt(PROVIDER, big, 8), Error::<Test>::RequirementNotMet);
		let elsewhere =
			place(TENANT, crate::TermsOf::<Test> { placement: region("us-east"), ..terms() });
		assert_noop!(attempt(PROVIDER, elsewhere, 8), Error::<Test>::RequirementNotMet);
		let audited =
			place(TENANT, crate::TermsOf::<Test> { auditors: bounded(vec![AUDITOR]), ..terms() });
		assert_noop!(attempt(PROVIDER, audited, 8), Error::<Test>::MissingAttestation);
		let reputable = place(
			TENANT,
			crate::TermsOf::<Test> {
				min_reputation: sp_runtime::Perbill::from_percent(60),
				..terms()
			},
		);
		assert_noop!(attempt(PROVIDER, reputable, 8), Error::<Test>::ReputationTooLow);
		bid(PROVIDER, id, 8);
		assert_noop!(attempt(PROVIDER, id, 7), Error::<Test>::AlreadyBid);
		// With matching held up, the window is still over once its last block is reached.
		MatchingBudget::set(frame_support::weights::Weight::zero());
		run_to_block(6);
		assert_noop!(attempt(PROVIDER + 1, id, 8), Error::<Test>::BidWindowClosed);
	});
}

#[test]
fn an_attested_provider_meets_an_audited_order() {
	run_test(|| {
		assert_ok!(Providers::add_auditor(RuntimeOrigin::root(), AUDITOR));
		assert_ok!(Providers::attest(RuntimeOrigin::signed(AUDITOR), PROVIDER));
		let audited =
			place(TENANT, crate::TermsOf::<Test> { auditors: bounded(vec![AUDITOR]), ..terms() });
		bid(PROVIDER, audited, 8);
	});
}

#[test]
fn bids_per_order_and_open_bids_per_provider_are_bounded() {
	run_test(|| {
		let id = place(TENANT, terms());
		for provider in PROVIDER..PROVIDER + 4 {
			bid(provider, id, 8);
		}
		assert_noop!(
			Orders::place_bid(RuntimeOrigin::signed(PROVIDER + 4), id, 8),
			Error::<Test>::TooManyBids
		);
		let more: Vec<_> = (0..3).map(|_| place(OTHER_TENANT, terms())).collect();
		bid(PROVIDER + 5, more[0], 8);
		bid(PROVIDER + 5, more[1], 8);
		bid(PROVIDER + 5, more[2], 8);
		let fourth = place(OTHER_TENANT, crate::TermsOf::<Test> { bid_window: 7, ..terms() });
		assert_noop!(
			Orders::place_bid(RuntimeOrigin::signed(PROVIDER + 5), fourth, 8),
			Error::<Test>::TooManyOpenBids
		);
		// Once the orders close, the deposits come back and the provider bids again.
		run_to_block(6);
		assert_ok!(Orders::reclaim_bid_deposits(RuntimeOrigin::signed(PROVIDER + 5)));
		assert!(events().contains(&Event::BidDepositsReclaimed {
			provider: PROVIDER + 5,
			bids: 3,
			amount: 15
		}));
		bid(PROVIDER + 5, fourth, 8);
		assert_noop!(
			Orders::reclaim_bid_deposits(RuntimeOrigin::signed(PROVIDER + 5)),
			Error::<Test>::NothingToReclaim
		);
	});
}

#[test]
fn withdrawing_a_bid_releases_its_deposit() {
	run_test(|| {
		let id = place(TENANT, terms());
		bid(PROVIDER, id, 8);
		assert_noop!(
			Orders::withdraw_bid(RuntimeOrigin::signed(PROVIDER + 1), id),
			Error::<Test>::NoBid
		);
		assert_ok!(Orders::withdraw_bid(RuntimeOrigin::signed(PROVIDER), id));
		assert_eq!(held(HoldReason::BidDeposit, PROVIDER), 0);
		assert!(Bids::<Test>::get(id).is_empty());
		// With no bid left, the order expires at its close.
		run_to_block(6);
		assert!(events().contains(&Event::OrderExpired { order: id }));
	});
}
