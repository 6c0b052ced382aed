use crate::{mock::*, Config, DeadlineCursor, Deadlines, Event, WeightInfo};
use ccre_primitives::{
	ActiveLeases, CloseReason, Escrow as EscrowApi, LeaseOpener, LeaseState, OnFundsExhausted,
};
use frame_support::{assert_noop, assert_ok, assert_storage_noop, traits::Hooks, weights::Weight};
use sp_runtime::Perbill;

fn bucket() -> Weight {
	<Test as Config>::WeightInfo::deadline_bucket()
}

fn item() -> Weight {
	<Test as Config>::WeightInfo::deadline_item()
}

#[test]
fn a_lease_not_started_in_time_closes_at_exactly_the_manifest_timeout() {
	run_test(|| {
		let tenant_before = free(TENANT);
		// Opened at block 1 with a timeout of 5.
		open(7, Some(20));
		run_to_block(5);
		assert_eq!(lease(7).state, LeaseState::Active);
		run_to_block(6);
		assert_eq!(
			lease(7).state,
			LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 6 }
		);
		assert_eq!(
			last_lease_event(),
			Event::Closed {
				lease: 7,
				reason: CloseReason::ManifestTimeout,
				at: 6,
				paid: 0,
				refunded: FUNDS
			}
		);
		assert_eq!(free(TENANT), tenant_before);
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
		// The chain cannot tell a manifest never sent from one never deployed: neither side's
		// word moves the provider's reputation.
		assert_eq!(score(PROVIDER), Perbill::from_percent(50));
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		assert_eq!(DeadlineCursor::<Test>::get(), Some(7));
	});
}

#[test]
fn a_lease_expires_after_its_duration_having_paid_exactly_that() {
	run_test(|| {
		open(7, Some(5));
		let provider_before = free(PROVIDER);
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		assert_eq!(lease(7).deadline, Some(7));
		run_to_block(6);
		assert_eq!(lease(7).state, LeaseState::Active);
		run_to_block(7);
		assert_eq!(lease(7).state, LeaseState::Closed { reason: CloseReason::Expired, at: 7 });
		// Five blocks at 10: 50 paid, 45 to the provider and 5 taken; the rest refunded.
		assert_eq!(
			last_lease_event(),
			Event::Closed {
				lease: 7,
				reason: CloseReason::Expired,
				at: 7,
				paid: 50,
				refunded: FUNDS - 50
			}
		);
		assert_eq!(free(PROVIDER), provider_before + 45);
		assert_eq!(free(TREASURY) + free(INSURANCE_POOL), 2 + 5);
		assert!(score(PROVIDER) > Perbill::from_percent(50));
	});
}

#[test]
fn a_lease_whose_escrow_runs_out_stops_at_that_block() {
	run_test(|| {
		provider(PROVIDER);
		// Ten blocks' worth, and a duration it will not reach.
		assert_ok!(open_with(7, TENANT, PROVIDER, PRICE, 10 * PRICE, Some(20)));
		let provider_before = free(PROVIDER);
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		run_to_block(11);
		assert_eq!(lease(7).state, LeaseState::Active);
		run_to_block(12);
		let record = lease(7);
		assert_eq!(record.state, LeaseState::InsufficientFunds { at: 12 });
		assert_eq!(record.deadline, None);
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		System::assert_has_event(Event::FundsExhausted { lease: 7, at: 12 }.into());
		assert_eq!(free(PROVIDER), provider_before + 90);
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
		// Running out of funds is the tenant's doing, not the provider's.
		assert!(score(PROVIDER) > Perbill::from_percent(50));
		assert_noop!(
			Leases::close(RuntimeOrigin::signed(TENANT), 7, CloseReason::Tenant),
			crate::Error::<Test>::NotActive
		);
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(PROVIDER)));
		// Its expiry never comes.
		run_to_block(30);
		assert_eq!(lease(7).state, LeaseState::InsufficientFunds { at: 12 });
	});
}

#[test]
fn exhaustion_of_an_unknown_or_closed_lease_changes_nothing() {
	run_test(|| {
		let exhaust =
			|order| <Leases as OnFundsExhausted<Balance, u64>>::on_funds_exhausted(order, 1, 0);
		assert_storage_noop!(exhaust(7));
		open(7, None);
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), 7, CloseReason::Tenant));
		assert_storage_noop!(exhaust(7));
	});
}

#[test]
fn deadlines_beyond_the_budget_carry_over_to_the_next_block() {
	run_test(|| {
		DeadlineBudget::set(bucket().saturating_add(item().saturating_mul(2)));
		// Three leases due at block 6; the budget fits two deadlines a block.
		open(1, None);
		open(2, None);
		open(3, None);
		let timed_out = || {
			(1..=3)
				.filter(|order| {
					lease(*order).state
						== LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 6 }
				})
				.count()
		};
		run_to_block(5);
		assert_eq!(timed_out(), 0);
		run_to_block(6);
		assert_eq!(timed_out(), 2);
		assert_eq!(last_lease_event(), Event::DeadlinesDeferred { from: 6 });
		assert_eq!(DeadlineCursor::<Test>::get(), Some(6));
		// The third closes next block, as of the block it was due.
		run_to_block(7);
		assert_eq!(timed_out(), 3);
		assert_eq!(DeadlineCursor::<Test>::get(), Some(8));
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
	});
}

#[test]
fn no_deadline_is_dropped_while_the_budget_fits_none() {
	run_test(|| {
		open(7, None);
		run_to_block(5);
		DeadlineBudget::set(Weight::zero());
		run_to_block(8);
		assert_eq!(lease(7).state, LeaseState::Active);
		assert_eq!(last_lease_event(), Event::DeadlinesDeferred { from: 6 });
		assert_eq!(DeadlineCursor::<Test>::get(), Some(6));
		DeadlineBudget::reset();
		run_to_block(9);
		assert_eq!(
			lease(7).state,
			LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 6 }
		);
		assert_eq!(DeadlineCursor::<Test>::get(), Some(10));
	});
}

#[test]
fn the_hook_reports_the_weight_it_used() {
	run_test(|| {
		run_to_block(2);
		System::set_block_number(3);
		assert_eq!(<Leases as Hooks<u64>>::on_initialize(3), bucket());
		// Opened at block 3, due at block 8.
		open(7, None);
		run_to_block(7);
		System::set_block_number(8);
		assert_eq!(<Leases as Hooks<u64>>::on_initialize(8), bucket().saturating_add(item()));
		assert_eq!(
			lease(7).state,
			LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 8 }
		);
	});
}

#[test]
fn a_deadline_is_never_booked_in_a_block_already_processed() {
	run_test(|| {
		ManifestTimeout::set(0);
		open(7, None);
		assert_eq!(lease(7).deadline, Some(2));
		run_to_block(2);
		assert_eq!(
			lease(7).state,
			LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 2 }
		);
		// The same for a lease of no duration.
		ManifestTimeout::set(5);
		open(8, Some(0));
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 8));
		assert_eq!(lease(8).deadline, Some(3));
		run_to_block(3);
		assert_eq!(lease(8).state, LeaseState::Closed { reason: CloseReason::Expired, at: 3 });
	});
}

#[test]
fn a_close_that_fails_in_the_hook_is_retried_next_block() {
	run_test(|| {
		provider(PROVIDER);
		// No escrow account: closing fails until there is one.
		assert_ok!(<Leases as LeaseOpener<AccountId, Balance, u64>>::open_lease(
			9, &TENANT, &PROVIDER, PRICE, None, SLA,
		));
		run_to_block(6);
		assert!(matches!(last_lease_event(), Event::CloseFailed { lease: 9, .. }));
		let record = lease(9);
		assert_eq!(record.state, LeaseState::Active);
		assert_eq!(record.deadline, Some(7));
		assert!(Deadlines::<Test>::contains_key(7, 9));
		assert!(!Deadlines::<Test>::contains_key(6, 9));
		assert_eq!(Leases::active_leases(&PROVIDER), 1);
		// Nothing of the failed close remains, the outcome included.
		assert_eq!(score(PROVIDER), Perbill::from_percent(50));
		run_to_block(7);
		assert!(matches!(last_lease_event(), Event::CloseFailed { lease: 9, .. }));
		assert_eq!(lease(9).deadline, Some(8));
		assert_ok!(<Escrow as EscrowApi<AccountId, Balance, u64>>::open(9, &TENANT, FUNDS));
		run_to_block(8);
		assert_eq!(
			lease(9).state,
			LeaseState::Closed { reason: CloseReason::ManifestTimeout, at: 8 }
		);
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
	});
}

#[test]
fn an_expiry_processed_late_pays_only_for_the_duration() {
	run_test(|| {
		open(7, Some(5));
		let provider_before = free(PROVIDER);
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		// Deadlines are held up from the expiry block on, while escrow keeps settling.
		run_to_block(6);
		DeadlineBudget::set(Weight::zero());
		run_to_block(10);
		assert_eq!(lease(7).state, LeaseState::Active);
		DeadlineBudget::reset();
		run_to_block(11);
		assert_eq!(lease(7).state, LeaseState::Closed { reason: CloseReason::Expired, at: 7 });
		// Five blocks at 10, not nine: the stream stopped at the end of the duration.
		assert_eq!(free(PROVIDER), provider_before + 45);
	});
}
