use crate::{mock::*, Error, Event, LastHeartbeat, Uptime, UptimeRecord};
use ccre_primitives::CloseReason;
use frame_support::{assert_noop, assert_ok, dispatch::Pays};

#[test]
fn a_valid_heartbeat_is_free_and_counts_each_named_lease_once_per_epoch() {
	run_test(|| {
		let first = started_lease(TENANT, PROVIDER);
		let second = started_lease(OTHER_TENANT, PROVIDER);
		// `second` started at the start of epoch 2; `first` at the start of epoch 1.
		let info = heartbeat(PROVIDER, &[first, second]).unwrap_or_else(|e| panic!("{e:?}"));
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(last_event(), Event::Heartbeat { provider: PROVIDER, epoch: 2, leases: 2 });
		assert_eq!(LastHeartbeat::<Test>::get(PROVIDER), Some(2));
		assert_eq!(
			Uptime::<Test>::get(first),
			Some(UptimeRecord { counted_from: 1, served: 1, last_served: Some(2) })
		);
		assert_eq!(
			Uptime::<Test>::get(second),
			Some(UptimeRecord { counted_from: 2, served: 1, last_served: Some(2) })
		);
		run_to_epoch(3);
		assert_ok!(heartbeat(PROVIDER, &[first]));
		assert_eq!(Uptime::<Test>::get(first).map(|uptime| uptime.served), Some(2));
		assert_eq!(Uptime::<Test>::get(second).map(|uptime| uptime.served), Some(1));
	});
}

#[test]
fn a_lease_started_mid_epoch_counts_from_the_next_whole_epoch() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		assert_ok!(pallet_leases::Pallet::<Test>::close(
			RuntimeOrigin::signed(TENANT),
			lease,
			CloseReason::Tenant
		));
		let late = matched_lease(TENANT, PROVIDER);
		assert_ok!(pallet_leases::Pallet::<Test>::start(RuntimeOrigin::signed(PROVIDER), late));
		assert_ok!(heartbeat(PROVIDER, &[late]));
		assert_eq!(
			Uptime::<Test>::get(late),
			Some(UptimeRecord { counted_from: 2, served: 0, last_served: None })
		);
	});
}

#[test]
fn bad_heartbeats_are_refused_and_change_nothing() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		let others = started_lease(OTHER_TENANT, PROVIDER + 1);
		assert_noop!(heartbeat(PROVIDER, &[]), Error::<Test>::NoLeases);
		// A lease of another provider, an unknown one, one named twice.
		assert_noop!(heartbeat(PROVIDER, &[lease, others]), Error::<Test>::NotServing);
		assert_noop!(heartbeat(PROVIDER, &[lease, 99]), Error::<Test>::NotServing);
		assert_noop!(heartbeat(PROVIDER, &[lease, lease]), Error::<Test>::DuplicateLease);
		assert_ok!(heartbeat(PROVIDER, &[lease]));
		assert_noop!(heartbeat(PROVIDER, &[lease]), Error::<Test>::AlreadyReported);
		// A closed lease is not served.
		run_to_epoch(3);
		assert_ok!(pallet_leases::Pallet::<Test>::close(
			RuntimeOrigin::signed(TENANT),
			lease,
			CloseReason::Tenant
		));
		assert_noop!(heartbeat(PROVIDER, &[lease]), Error::<Test>::NotServing);
	});
}

#[test]
fn a_lease_not_yet_started_is_not_served() {
	run_test(|| {
		let id = matched_lease(TENANT, PROVIDER);
		assert_noop!(heartbeat(PROVIDER, &[id]), Error::<Test>::NotServing);
	});
}

#[test]
fn reaping_a_lease_forgets_its_heartbeats() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		assert_ok!(heartbeat(PROVIDER, &[lease]));
		assert_ok!(pallet_leases::Pallet::<Test>::close(
			RuntimeOrigin::signed(TENANT),
			lease,
			CloseReason::Tenant
		));
		assert_ok!(pallet_leases::Pallet::<Test>::reap(RuntimeOrigin::signed(TENANT), lease));
		assert!(!Uptime::<Test>::contains_key(lease));
	});
}
