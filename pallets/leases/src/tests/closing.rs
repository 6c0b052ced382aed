use crate::{mock::*, Error, Event, ProviderLoads};
use ccre_primitives::{ActiveLeases, CloseReason, LeaseOutcome, LeaseState};
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult};
use sp_runtime::{DispatchError, Perbill};

fn close(who: AccountId, lease: u64, reason: CloseReason) -> DispatchResult {
	Leases::close(RuntimeOrigin::signed(who), lease, reason)
}

#[test]
fn the_tenant_closes_a_started_lease_and_gets_the_rest_back() {
	run_test(|| {
		open(7, None);
		let provider_before = free(PROVIDER);
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		run_to_block(5);
		let tenant_before = free(TENANT);
		assert_ok!(close(TENANT, 7, CloseReason::Tenant));
		// Three blocks at 10: 30 paid, 27 to the provider and 3 taken.
		assert_eq!(
			last_lease_event(),
			Event::Closed {
				lease: 7,
				reason: CloseReason::Tenant,
				at: 5,
				paid: 30,
				refunded: FUNDS - 30
			}
		);
		assert_eq!(free(TENANT), tenant_before + FUNDS - 30);
		assert_eq!(free(PROVIDER), provider_before + 27);
		assert_eq!(free(TREASURY) + free(INSURANCE_POOL), 2 + 3);
		let record = lease(7);
		assert_eq!(record.state, LeaseState::Closed { reason: CloseReason::Tenant, at: 5 });
		assert_eq!(record.deadline, None);
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
		assert!(!ProviderLoads::<Test>::contains_key(PROVIDER));
		// A lease the tenant closed was served.
		assert!(score(PROVIDER) > Perbill::from_percent(50));
	});
}

#[test]
fn a_lease_the_tenant_closes_before_it_starts_counts_for_nothing() {
	run_test(|| {
		// A provider and a tenant acting together cannot farm reputation with unpaid leases.
		for id in 7..12 {
			open(id, None);
			assert_ok!(close(TENANT, id, CloseReason::Tenant));
			assert_ok!(Leases::reap(RuntimeOrigin::signed(TENANT), id));
		}
		assert_eq!(score(PROVIDER), Perbill::from_percent(50));
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Providers(pallet_providers::Event::OutcomeRecorded { .. })
		)));
	});
}

#[test]
fn a_provider_walking_away_is_a_failure_even_with_nothing_paid() {
	run_test(|| {
		open(7, None);
		let tenant_before = free(TENANT);
		assert_ok!(close(PROVIDER, 7, CloseReason::ProviderUnstable));
		assert_eq!(
			last_lease_event(),
			Event::Closed {
				lease: 7,
				reason: CloseReason::ProviderUnstable,
				at: 1,
				paid: 0,
				refunded: FUNDS
			}
		);
		assert_eq!(free(TENANT), tenant_before + FUNDS);
		// Nothing was paid, yet the failure weighs one block's price.
		let reputation = score(PROVIDER);
		assert!(reputation < Perbill::from_percent(50));
		System::assert_has_event(
			pallet_providers::Event::<Test>::OutcomeRecorded {
				provider: PROVIDER,
				outcome: LeaseOutcome::Failure,
				value: PRICE,
				score: reputation,
			}
			.into(),
		);
	});
}

#[test]
fn a_provider_decommissioning_is_a_failure_too() {
	run_test(|| {
		open(7, None);
		run_to_block(2);
		assert_ok!(Leases::start(RuntimeOrigin::signed(PROVIDER), 7));
		run_to_block(4);
		assert_ok!(close(PROVIDER, 7, CloseReason::ProviderDecommission));
		assert_eq!(
			lease(7).state,
			LeaseState::Closed { reason: CloseReason::ProviderDecommission, at: 4 }
		);
		assert!(score(PROVIDER) < Perbill::from_percent(50));
	});
}

#[test]
fn only_the_parties_close_and_each_with_its_own_reasons() {
	run_test(|| {
		assert_noop!(close(TENANT, 7, CloseReason::Tenant), Error::<Test>::UnknownLease);
		open(7, None);
		assert_noop!(
			Leases::close(RuntimeOrigin::none(), 7, CloseReason::Tenant),
			DispatchError::BadOrigin
		);
		assert_noop!(close(OTHER, 7, CloseReason::Tenant), Error::<Test>::NotParticipant);
		for reason in [
			CloseReason::ProviderUnstable,
			CloseReason::ProviderDecommission,
			CloseReason::ManifestTimeout,
			CloseReason::InsufficientFunds,
			CloseReason::Expired,
		] {
			assert_noop!(close(TENANT, 7, reason), Error::<Test>::NotAllowed);
		}
		for reason in [
			CloseReason::Tenant,
			CloseReason::ManifestTimeout,
			CloseReason::InsufficientFunds,
			CloseReason::Expired,
		] {
			assert_noop!(close(PROVIDER, 7, reason), Error::<Test>::NotAllowed);
		}
		assert_ok!(close(PROVIDER, 7, CloseReason::ProviderDecommission));
		assert_noop!(close(TENANT, 7, CloseReason::Tenant), Error::<Test>::NotActive);
		assert_noop!(close(PROVIDER, 7, CloseReason::ProviderUnstable), Error::<Test>::NotActive);
	});
}

#[test]
fn a_provider_deregisters_once_its_leases_are_closed() {
	run_test(|| {
		open(7, None);
		open(8, None);
		assert_eq!(Leases::active_leases(&PROVIDER), 2);
		assert_noop!(
			Providers::deregister(RuntimeOrigin::signed(PROVIDER)),
			pallet_providers::Error::<Test>::HasActiveLeases
		);
		assert_ok!(close(TENANT, 7, CloseReason::Tenant));
		assert_eq!(Leases::active_leases(&PROVIDER), 1);
		assert_noop!(
			Providers::deregister(RuntimeOrigin::signed(PROVIDER)),
			pallet_providers::Error::<Test>::HasActiveLeases
		);
		assert_ok!(close(PROVIDER, 8, CloseReason::ProviderDecommission));
		assert_eq!(Leases::active_leases(&PROVIDER), 0);
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(PROVIDER)));
	});
}
