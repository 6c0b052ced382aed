//! The SLA against a provider and a tenant acting together, and against underwriters leaving
//! ahead of a payout: claims are paid from what the lease put at risk, first from the
//! provider's held earnings, so no pair ever takes out more than it paid in.

use crate::{mock::*, Error, LastHeartbeat, PendingExposure, Ruling};
use ccre_primitives::{CloseReason, OrderId};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use proptest::prelude::*;

/// Everything `who` owns: free and held (stake, escrow, deposits).
fn wealth(who: AccountId) -> Balance {
	Balances::total_balance(&who)
}

fn decide(claim: u64, ruling: Ruling<Balance>) -> frame_support::dispatch::DispatchResult {
	Sla::decide_claim(RuntimeOrigin::signed(ARBITRATOR), claim, ruling)
}

/// Closes and reaps `lease` as its tenant, so every earning still held goes to the provider.
fn close_and_reap(lease: OrderId) {
	assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), lease, CloseReason::Tenant));
	assert_ok!(Leases::reap(RuntimeOrigin::signed(TENANT), lease));
}

#[test]
fn a_breach_is_paid_back_from_the_providers_earnings_for_it_before_the_pool() {
	run_test(|| {
		assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), 10_000));
		let pair_before = wealth(TENANT) + wealth(PROVIDER);
		let pool_before = Sla::pool_value();
		// The provider starts the lease and sends no heartbeat: ten epochs missed.
		let lease = started_lease(TENANT, PROVIDER);
		run_to_epoch(11);
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		close_and_reap(lease);
		assert!(wealth(TENANT) + wealth(PROVIDER) < pair_before, "the pair gained");
		assert!(Sla::pool_value() >= pool_before, "the pool paid the pair");
	});
}

#[test]
fn a_claim_is_bounded_by_what_the_lease_put_at_risk() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_epoch(2);
		// Ten blocks at 10 are at risk.
		let at_risk = pallet_escrow::Pallet::<Test>::at_risk_of(lease).paid;
		assert_eq!(at_risk, 100);
		assert_noop!(
			Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, at_risk + 1, [1; 32]),
			Error::<Test>::AboveAtRisk
		);
		assert_ok!(Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, at_risk, [1; 32]));
		// A pending claim holds the lease's earnings back, however long it takes.
		run_to_block(System::block_number() + 2_000);
		assert!(pallet_escrow::Pallet::<Test>::at_risk_of(lease).paid >= at_risk);
		assert_ok!(decide(0, Ruling::Uphold { award: at_risk }));
		// Once decided, what vested is the provider's again.
		assert_eq!(pallet_escrow::Pallet::<Test>::at_risk_of(lease).paid, 0);
	});
}

#[test]
fn earnings_that_vested_are_out_of_reach_of_claims() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		// A hundred epochs on, the first earnings have vested: the claim is capped by what
		// has not.
		run_to_epoch(150);
		let at_risk = pallet_escrow::Pallet::<Test>::at_risk_of(lease).paid;
		assert!(at_risk < 149 * 10 * 10, "vested earnings still at risk");
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		let crate::Event::DowntimeCompensated { credit, .. } = last_event() else {
			panic!("no compensation")
		};
		assert!(credit <= at_risk + 10 * 10, "paid {credit} with {at_risk} at risk");
	});
}

#[test]
fn underwriters_leaving_while_a_claim_is_pending_bear_their_part_of_it() {
	run_test(|| {
		assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), 1_000));
		let lease = started_lease(TENANT, PROVIDER);
		run_to_epoch(3);
		assert_ok!(Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, 200, [1; 32]));
		// The held earnings (90%) cover all but the take on what is claimed.
		let exposure = PendingExposure::<Test>::get();
		assert!(exposure > 0 && exposure <= 200);
		run_to_block(100);
		let value = Sla::pool_value();
		let before = free(UNDERWRITER);
		let shares =
			crate::Underwriters::<Test>::get(UNDERWRITER).map_or(0, |record| record.shares);
		assert_ok!(Sla::withdraw_underwriting(RuntimeOrigin::signed(UNDERWRITER), shares));
		let total = crate::TotalShares::<Test>::get() + shares;
		let net = (value - exposure) * shares / total;
		assert_eq!(free(UNDERWRITER) - before, net, "redeemed net of the pending claim");
	});
}

#[test]
fn a_provider_serving_nothing_keeps_no_heartbeat_record() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_epoch(2);
		assert_ok!(heartbeat(PROVIDER, &[lease]));
		assert!(LastHeartbeat::<Test>::contains_key(PROVIDER));
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), lease, CloseReason::Tenant));
		assert!(!LastHeartbeat::<Test>::contains_key(PROVIDER));
	});
}

/// What the arbitrators do with the pair's disputed claim.
#[derive(Clone, Copy, Debug)]
enum Arbitration {
	None,
	Reject,
	/// Uphold with this share of what was claimed, in percent.
	Uphold(u8),
}

fn arbitration() -> impl Strategy<Value = Arbitration> {
	prop_oneof![
		Just(Arbitration::None),
		Just(Arbitration::Reject),
		(1u8..=100).prop_map(Arbitration::Uphold),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(128))]

	/// A provider and a tenant acting together, whatever the lease's price and SLA, whatever
	/// epochs the provider reports, however often the tenant claims, and whatever the
	/// arbitrators award on a disputed claim, never end richer than they started, and the pool
	/// never ends poorer than before the lease.
	#[test]
	fn no_provider_and_tenant_together_take_out_more_than_they_put_in(
		price in 1u64..200,
		credit_rate in 1u32..=100,
		reported in proptest::collection::vec(any::<bool>(), 1..30),
		claim_every in 1usize..10,
		claimed_share in 1u8..=100,
		ruling in arbitration(),
	) {
		run_test(|| {
			assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), 10_000));
			assert_ok!(Providers::bond(RuntimeOrigin::signed(PROVIDER), 50_000));
			let pair_before = wealth(TENANT) + wealth(PROVIDER);
			let pool_before = Sla::pool_value();
			let sla = ccre_primitives::SlaTerms {
				availability: sp_runtime::Perbill::from_percent(100),
				credit_rate: sp_runtime::Perbill::from_percent(credit_rate),
			};
			let terms = pallet_orders::TermsOf::<Test> {
				max_price: price,
				sla: Some(sla),
				..terms()
			};
			let id = pallet_orders::NextOrderId::<Test>::get();
			assert_ok!(Orders::create_order(RuntimeOrigin::signed(TENANT), terms, price * 300));
			assert_ok!(Orders::place_bid(RuntimeOrigin::signed(PROVIDER), id, price));
			run_to_block(System::block_number() + 3);
			let lease = start_next_epoch(PROVIDER, id);
			let first = (System::block_number() / u64::from(EPOCH)) as u32;
			for (offset, report) in reported.iter().enumerate() {
				run_to_epoch(first + 1 + offset as u32);
				if *report {
					let _ = heartbeat(PROVIDER, &[lease]);
				}
				if offset % claim_every == 0 {
					let _ = Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease);
				}
			}
			let at_risk = pallet_escrow::Pallet::<Test>::at_risk_of(lease).paid;
			let claimed = at_risk * u64::from(claimed_share) / 100;
			if claimed > 0 &&
				Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, claimed, [1; 32]).is_ok()
			{
				run_to_block(System::block_number() + 5);
				let _ = match ruling {
					Arbitration::None => Sla::withdraw_claim(RuntimeOrigin::signed(TENANT), 0),
					Arbitration::Reject => decide(0, Ruling::Reject),
					Arbitration::Uphold(share) => decide(
						0,
						Ruling::Uphold { award: (claimed * u64::from(share) / 100).max(1) },
					),
				};
			}
			let _ = Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease);
			close_and_reap(lease);
			let pair_after = wealth(TENANT) + wealth(PROVIDER);
			prop_assert!(pair_after <= pair_before, "the pair gained {}", pair_after - pair_before);
			prop_assert!(Sla::pool_value() >= pool_before, "the pool lost to the pair");
			Ok(())
		})?;
	}
}
