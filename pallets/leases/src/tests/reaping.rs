use crate::{mock::*, Error, Event};
use ccre_primitives::{CloseReason, LeaseState};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn reap(who: AccountId, lease: u64) -> frame_support::dispatch::DispatchResult {
	Leases::reap(RuntimeOrigin::signed(who), lease)
}

#[test]
fn the_tenant_reaps_its_closed_lease_at_once() {
	run_test(|| {
		open(7, None);
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), 7, CloseReason::Tenant));
		assert_ok!(reap(TENANT, 7));
		assert!(Leases::lease_view(7).is_none());
		assert_eq!(MockDeployments::removed(), vec![7]);
		assert_eq!(last_lease_event(), Event::Reaped { lease: 7 });
	});
}

#[test]
fn anyone_else_reaps_once_the_retention_is_over() {
	run_test(|| {
		open(7, None);
		run_to_block(5);
		assert_ok!(Leases::close(
			RuntimeOrigin::signed(PROVIDER),
			7,
			CloseReason::ProviderDecommission
		));
		// Closed at 5 with a retention of 10: the claim window runs to block 14.
		run_to_block(14);
		assert_noop!(reap(OTHER, 7), Error::<Test>::RetentionNotOver);
		assert_noop!(reap(PROVIDER, 7), Error::<Test>::RetentionNotOver);
		run_to_block(15);
		assert_ok!(reap(OTHER, 7));
		assert!(Leases::lease_view(7).is_none());
		assert_eq!(MockDeployments::removed(), vec![7]);
		assert_eq!(last_lease_event(), Event::Reaped { lease: 7 });
	});
}

#[test]
fn a_lease_out_of_funds_is_reaped_counting_from_when_it_ran_out() {
	run_test(|| {
		provider(PROVIDER);
		assert_ok!(open_with(7, TENANT, PROVIDER, PRICE, 10 * PRICE, None));
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		run_to_block(12);
		assert_eq!(lease(7).state, LeaseState::InsufficientFunds { at: 12 });
		run_to_block(21);
		assert_noop!(reap(OTHER, 7), Error::<Test>::RetentionNotOver);
		run_to_block(22);
		assert_ok!(reap(OTHER, 7));
		assert_eq!(MockDeployments::removed(), vec![7]);
	});
}

#[test]
fn active_and_unknown_leases_are_not_reaped() {
	run_test(|| {
		assert_noop!(reap(TENANT, 7), Error::<Test>::UnknownLease);
		open(7, None);
		assert_noop!(reap(TENANT, 7), Error::<Test>::StillActive);
		assert_noop!(reap(OTHER, 7), Error::<Test>::StillActive);
		assert_noop!(Leases::reap(RuntimeOrigin::none(), 7), DispatchError::BadOrigin);
		assert!(MockDeployments::removed().is_empty());
	});
}

#[test]
fn a_lease_whose_order_cannot_be_removed_stays() {
	run_test(|| {
		open(7, None);
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), 7, CloseReason::Tenant));
		MockDeployments::refuse(true);
		assert_noop!(reap(TENANT, 7), REMOVAL_REFUSED);
		MockDeployments::refuse(false);
		assert_ok!(reap(TENANT, 7));
		assert_noop!(reap(TENANT, 7), Error::<Test>::UnknownLease);
	});
}
