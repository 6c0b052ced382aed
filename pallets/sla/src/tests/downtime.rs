use crate::{mock::*, Error, Event, Uptime, UptimeRecord};
use ccre_primitives::{CloseReason, Downtime, ProviderInspect, StakeSlashing};
use ccre_primitives::{OrderTerms, SlaTerms};
use frame_support::{assert_noop, assert_ok};
use proptest::prelude::*;
use sp_runtime::Perbill;

/// The pool holds `amount` an underwriter put in.
fn fund_pool(amount: Balance) {
	assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), amount));
}

/// `PROVIDER` reports `lease` in each epoch of `epochs`.
fn report(lease: ccre_primitives::OrderId, epochs: core::ops::Range<u32>) {
	for epoch in epochs {
		run_to_epoch(epoch);
		assert_ok!(heartbeat(PROVIDER, &[lease]));
	}
}

#[test]
fn a_provider_that_stops_heartbeats_pays_the_tenant_back_from_its_earnings() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		// Served in epochs 1 to 3, then silent until epoch 11.
		report(lease, 1..4);
		run_to_epoch(11);
		assert_eq!(Sla::pending_downtime(lease), Some(Downtime { epochs: 10, served: 3 }));
		let reputation = Providers::reputation(&PROVIDER);
		let tenant_before = free(TENANT);
		let pool_before = Sla::pool_value();

		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		// 7 missed epochs × 10 blocks × 10 a block × 50%: 350, from the 1 000 the lease paid
		// since it started, of which the provider's 90% is still held: its earnings pay it.
		assert_eq!(
			last_event(),
			Event::DowntimeCompensated {
				lease,
				tenant: TENANT,
				provider: PROVIDER,
				epochs: 10,
				served: 3,
				credit: 350,
				clawed_back: 350,
				paid: 0,
				slashed: 0,
			}
		);
		assert_eq!(free(TENANT), tenant_before + 350);
		assert_eq!(Sla::pool_value(), pool_before);
		assert_eq!(Providers::slashable(&PROVIDER), 100);
		assert!(Providers::reputation(&PROVIDER) < reputation);
		assert_eq!(
			Uptime::<Test>::get(lease),
			Some(UptimeRecord { counted_from: 11, served: 0, last_served: Some(3) })
		);
	});
}

#[test]
fn the_pool_never_pays_more_than_it_holds() {
	run_test(|| {
		// Every missed epoch credited in full, thirty of them: 3 000, all of it at risk. The
		// provider's earnings pay 2 700; the take on them, 300, is more than its stake (100)
		// and the pool (nothing underwritten: the take's insurance share so far) hold.
		let strict = SlaTerms {
			availability: Perbill::from_percent(100),
			credit_rate: Perbill::from_percent(100),
		};
		let id = matched_lease_with(TENANT, PROVIDER, OrderTerms { sla: Some(strict), ..terms() });
		let lease = start_next_epoch(PROVIDER, id);
		run_to_epoch(31);
		let tenant_before = free(TENANT);
		assert_ok!(pallet_escrow::Pallet::<Test>::settle(RuntimeOrigin::signed(TENANT), lease));
		let holds = Sla::pool_value() + 100;
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		let Event::DowntimeCompensated { credit, clawed_back, paid, slashed, .. } = last_event()
		else {
			panic!("no compensation")
		};
		assert_eq!((credit, clawed_back, slashed), (3_000, 2_700, 100));
		assert_eq!(paid, holds);
		assert!(clawed_back + paid < credit);
		assert_eq!(Sla::pool_value(), 0);
		assert_eq!(free(INSURANCE_POOL), 1, "the pool account stays alive");
		assert!(free(TENANT) > tenant_before);
	});
}

#[test]
fn a_second_claim_for_the_same_period_is_refused() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		run_to_epoch(3);
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease),
			Error::<Test>::PeriodAlreadyClaimed
		);
		// The next epoch is a new period.
		run_to_epoch(4);
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		assert!(matches!(last_event(), Event::DowntimeCompensated { epochs: 1, served: 0, .. }));
	});
}

#[test]
fn a_heartbeat_in_the_current_epoch_counts_toward_the_next_claim() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		// Down in epochs 1 and 2, reported in epoch 3 before the claim.
		run_to_epoch(3);
		assert_ok!(heartbeat(PROVIDER, &[lease]));
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		assert!(matches!(last_event(), Event::DowntimeCompensated { epochs: 2, served: 0, .. }));
		assert_eq!(
			Uptime::<Test>::get(lease),
			Some(UptimeRecord { counted_from: 3, served: 1, last_served: Some(3) })
		);
		run_to_epoch(4);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease),
			Error::<Test>::SlaMet
		);
	});
}

#[test]
fn a_closed_lease_is_claimed_for_its_whole_epochs_up_to_the_close() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		report(lease, 1..2);
		// Closed in the middle of epoch 4: epochs 1 to 3 count.
		run_to_block(45);
		assert_ok!(pallet_leases::Pallet::<Test>::close(
			RuntimeOrigin::signed(TENANT),
			lease,
			CloseReason::Tenant
		));
		run_to_epoch(9);
		assert_ok!(Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease));
		assert!(matches!(
			last_event(),
			Event::DowntimeCompensated { epochs: 3, served: 1, credit: 100, .. }
		));
	});
}

#[test]
fn a_lease_served_as_promised_is_owed_nothing() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		report(lease, 1..11);
		run_to_epoch(11);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease),
			Error::<Test>::SlaMet
		);
	});
}

#[test]
fn bad_downtime_claims_are_refused_and_change_nothing() {
	run_test(|| {
		fund_pool(1_000);
		let lease = started_lease(TENANT, PROVIDER);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease),
			Error::<Test>::NoWholeEpoch
		);
		run_to_epoch(3);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(OTHER_TENANT), lease),
			Error::<Test>::NotTenant
		);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(PROVIDER), lease),
			Error::<Test>::NotTenant
		);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), 99),
			Error::<Test>::UnknownLease
		);
		// Matched, never started.
		let unstarted = matched_lease(TENANT, PROVIDER);
		assert_noop!(
			Sla::claim_downtime(RuntimeOrigin::signed(TENANT), unstarted),
			Error::<Test>::NotStarted
		);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(48))]

	/// However the provider reports and whenever the tenant claims, the claims cover each
	/// whole epoch once, and the epochs they pay for are exactly the ones not reported.
	#[test]
	fn claims_cover_every_epoch_once_and_pay_for_exactly_the_missed_ones(
		epochs in prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>()), 1..25),
	) {
		run_test(|| {
			fund_pool(10_000);
			// Any missed epoch breaches it.
			let strict = SlaTerms { availability: Perbill::one(), credit_rate: SLA.credit_rate };
			let lease = start_next_epoch(
				PROVIDER,
				matched_lease_with(TENANT, PROVIDER, OrderTerms { sla: Some(strict), ..terms() }),
			);
			let mut reported = Vec::new();
			let mut claimed_to = 1;
			let (mut covered, mut paid_for) = (0, 0);
			for (epoch, (report, claim, claim_first)) in (1u32..).zip(epochs) {
				run_to_epoch(epoch);
				let mut try_claim = || {
					if Sla::claim_downtime(RuntimeOrigin::signed(TENANT), lease).is_ok() {
						let Event::DowntimeCompensated { epochs, served, .. } = last_event() else {
							panic!("a claim without its event")
						};
						covered += epochs;
						paid_for += epochs - served;
						claimed_to = epoch;
					}
				};
				if claim && claim_first {
					try_claim();
				}
				if report {
					assert_ok!(heartbeat(PROVIDER, &[lease]));
					reported.push(epoch);
				}
				if claim && !claim_first {
					try_claim();
				}
			}
			let missed = (1..claimed_to).filter(|epoch| !reported.contains(epoch)).count();
			assert_eq!(covered, claimed_to - 1);
			assert_eq!(paid_for as usize, missed);
		});
	}
}
