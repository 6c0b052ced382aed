use crate::{mock::*, Deadlines, Error, Event, Lease, ProviderLoads};
use ccre_primitives::{ActiveLeases, CloseReason, LeaseOpener, LeaseState, OrderId};
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult};

/// Opens a lease without funding its escrow account, for checks that fail before it matters.
fn open_lease(order: OrderId, provider: AccountId, price: Balance) -> DispatchResult {
	<Leases as LeaseOpener<AccountId, Balance, u64>>::open_lease(
		order, &TENANT, &provider, price, None, SLA,
	)
}

#[test]
fn a_match_opens_an_active_lease_with_a_manifest_deadline() {
	run_test(|| {
		open(7, Some(20));
		assert_eq!(
			lease(7),
			Lease {
				tenant: TENANT,
				provider: PROVIDER,
				price: PRICE,
				created_at: 1,
				started_at: None,
				duration: Some(20),
				state: LeaseState::Active,
				deadline: Some(6),
				sla: SLA,
			}
		);
		assert!(Deadlines::<Test>::contains_key(6, 7));
		assert_eq!(ProviderLoads::<Test>::get(PROVIDER).map(|load| load.leases), Some(1));
		assert_eq!(Leases::active_leases(&PROVIDER), 1);
		assert_eq!(
			last_lease_event(),
			Event::Opened { lease: 7, tenant: TENANT, provider: PROVIDER, price: PRICE }
		);
	});
}

#[test]
fn open_lease_refuses_duplicates_and_zero_prices() {
	run_test(|| {
		open(7, None);
		assert_noop!(open_lease(7, PROVIDER, PRICE), Error::<Test>::LeaseExists);
		assert_noop!(open_lease(8, PROVIDER, 0), Error::<Test>::ZeroPrice);
	});
}

#[test]
fn a_provider_holds_at_most_max_leases_per_provider() {
	run_test(|| {
		open(1, None);
		open(2, None);
		open(3, None);
		assert_eq!(Leases::active_leases(&PROVIDER), 3);
		assert_noop!(open_lease(4, PROVIDER, PRICE), Error::<Test>::TooManyLeases);
		// The limit is per provider.
		provider(PROVIDER_2);
		assert_ok!(open_with(4, TENANT, PROVIDER_2, PRICE, FUNDS, None));
		// A closed lease frees its slot.
		assert_ok!(Leases::close(RuntimeOrigin::signed(TENANT), 1, CloseReason::Tenant));
		assert_eq!(Leases::active_leases(&PROVIDER), 2);
		assert_ok!(open_with(5, TENANT, PROVIDER, PRICE, FUNDS, None));
		assert_eq!(Leases::active_leases(&PROVIDER), 3);
	});
}
