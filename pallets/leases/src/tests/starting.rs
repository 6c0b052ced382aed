use crate::{mock::*, Deadlines, Error, Event};
use ccre_primitives::{CloseReason, LeaseOpener, LeaseState};
use frame_support::{assert_noop, assert_ok, assert_storage_noop};
use sp_runtime::DispatchError;

#[test]
fn the_provider_starts_a_lease_and_its_expiry_replaces_the_manifest_deadline() {
	run_test(|| {
		open(7, Some(20));
		run_to_block(3);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		let record = lease(7);
		assert_eq!(record.started_at, Some(3));
		assert_eq!(record.deadline, Some(23));
		assert!(!Deadlines::<Test>::contains_key(6, 7));
		assert!(Deadlines::<Test>::contains_key(23, 7));
		assert_eq!(last_lease_event(), Event::Started { lease: 7, at: 3 });
		// Started, it outlives the manifest timeout.
		run_to_block(10);
		assert_eq!(lease(7).state, LeaseState::Active);
	});
}

#[test]
fn an_open_ended_lease_has_no_deadline_once_started() {
	run_test(|| {
		open(7, None);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		assert_eq!(lease(7).deadline, None);
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		run_to_block(50);
		assert_eq!(lease(7).state, LeaseState::Active);
	});
}

#[test]
fn only_the_provider_starts_an_active_lease_and_only_once() {
	run_test(|| {
		assert_noop!(
			Leases::start(RuntimeOrigin::signed(PROVIDER), 7),
			Error::<Test>::UnknownLease
		);
		open(7, None);
		assert_noop!(Leases::start(RuntimeOrigin::signed(TENANT), 7), Error::<Test>::NotProvider);
		assert_noop!(Leases::start(RuntimeOrigin::signed(OTHER), 7), Error::<Test>::NotProvider);
		assert_noop!(Leases::start(RuntimeOrigin::none(), 7), DispatchError::BadOrigin);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		assert_noop!(
			Leases::start(RuntimeOrigin::signed(PROVIDER), 7),
			Error::<Test>::AlreadyStarted
		);
		open(8, None);
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), 8, CloseReason::Tenant));
		assert_noop!(Leases::start(RuntimeOrigin::signed(PROVIDER), 8), Error::<Test>::NotActive);
	});
}

#[test]
fn a_start_the_escrow_refuses_changes_nothing() {
	run_test(|| {
		provider(PROVIDER);
		// No escrow account, so there is no stream to start.
		assert_ok!(<Leases as LeaseOpener<AccountId, Balance, u64>>::open_lease(
			9, &TENANT, &PROVIDER, PRICE, None, SLA,
		));
		assert_storage_noop!(assert!(Leases::start(RuntimeOrigin::signed(PROVIDER), 9).is_err()));
		assert_eq!(lease(9).started_at, None);
		assert_eq!(lease(9).deadline, Some(6));
	});
}
