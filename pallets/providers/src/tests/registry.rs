use crate::{mock::*, Error, Event, HoldReason, Providers as ProvidersStorage};
use ccre_primitives::{Capacities, Capacity, Properties, Property, MAX_PROPERTY_VALUE_LEN};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok};

/// Properties as a call takes them, from plain values within their bound.
fn properties_of(properties: Vec<(Property, Vec<u8>)>) -> Properties {
	bounded(properties.into_iter().map(|(property, value)| (property, bounded(value))).collect())
}

fn register_with(
	who: AccountId,
	host_uri: &[u8],
	capacities: Capacities,
	properties: Properties,
	contact: &[u8],
) -> frame_support::dispatch::DispatchResult {
	Providers::register(
		RuntimeOrigin::signed(who),
		bounded(host_uri.to_vec()),
		capacities,
		properties,
		bounded(contact.to_vec()),
	)
}

#[test]
fn register_holds_a_deposit_for_the_record_size() {
	run_test(|| {
		register(1);
		let record = ProvidersStorage::<Test>::get(1).expect("registered");
		assert_eq!(record.deposit, 10 + record.encoded_size() as u64);
		assert_eq!(held(HoldReason::ProviderDeposit, 1), record.deposit);
		assert_eq!(record.attributes.property(Property::Region), Some(&b"eu-west"[..]));
		assert_eq!(record.registered_at, 1);
		assert_eq!(
			last_event(),
			Event::ProviderRegistered { provider: 1, deposit: record.deposit }.into()
		);
		assert_eq!(ProvidersStorage::<Test>::count(), 1);
	});
}

#[test]
fn register_rejects_bad_input_without_changing_state() {
	run_test(|| {
		let uri = b"https://p.example".as_slice();
		assert_noop!(
			register_with(1, b"", capacities(), properties("eu"), b""),
			Error::<Test>::EmptyHostUri
		);
		let duplicate = bounded(vec![(Capacity::Gpus, 1), (Capacity::Gpus, 2)]);
		assert_noop!(
			register_with(1, uri, duplicate, properties("eu"), b""),
			Error::<Test>::DuplicateAttribute
		);
		let duplicate_region = properties_of(vec![
			(Property::Region, b"eu".to_vec()),
			(Property::Region, b"us".to_vec()),
		]);
		assert_noop!(
			register_with(1, uri, capacities(), duplicate_region, b""),
			Error::<Test>::DuplicateAttribute
		);
		assert_noop!(
			register_with(
				1,
				uri,
				capacities(),
				properties_of(vec![(Property::Region, vec![])]),
				b""
			),
			Error::<Test>::EmptyAttributeValue
		);
		assert_noop!(
			register_with(
				1,
				uri,
				capacities(),
				properties_of(vec![(Property::Os, b"linux".to_vec())]),
				b""
			),
			Error::<Test>::MissingRegion
		);
		assert_noop!(
			register_with(PAUPER, uri, capacities(), properties("eu"), b""),
			Error::<Test>::InsufficientBalance
		);
		register(1);
		assert_noop!(
			register_with(1, uri, capacities(), properties("eu"), b""),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn oversized_arguments_are_refused_when_the_call_is_decoded() {
	// The arguments as a client encodes them, plain vectors: too long a URI, contact or
	// property value, or too many attributes, and the call does not decode at all.
	let call =
		|uri: Vec<u8>, capacities: Vec<(Capacity, u64)>, value: Vec<u8>, contact: Vec<u8>| {
			let mut encoded = crate::Call::<Test>::deregister {}.encode();
			encoded[0] = 0; // `register`'s call index
			encoded.truncate(1);
			(uri, capacities, vec![(Property::Region, value)], contact).encode_to(&mut encoded);
			crate::Call::<Test>::decode(&mut &encoded[..])
		};
	let fine = || (b"https://p.example".to_vec(), vec![(Capacity::Gpus, 1)], b"eu".to_vec());
	let (uri, capacities, value) = fine();
	assert!(call(uri, capacities, value, vec![]).is_ok());
	let (_, capacities, value) = fine();
	assert!(call(vec![b'x'; 65], capacities, value, vec![]).is_err(), "a URI over MaxHostUriLen");
	let (uri, capacities, value) = fine();
	assert!(call(uri, capacities, value, vec![b'c'; 65]).is_err(), "a contact over MaxContactLen");
	let (uri, capacities, _) = fine();
	let oversized = vec![b'a'; MAX_PROPERTY_VALUE_LEN as usize + 1];
	assert!(call(uri, capacities, oversized, vec![]).is_err(), "a property value too long");
	let (uri, _, value) = fine();
	assert!(call(uri, vec![(Capacity::Gpus, 1); 7], value, vec![]).is_err(), "seven capacities");
}

#[test]
fn register_rejects_a_deposit_that_overflows() {
	run_test(|| {
		DepositPerByte::set(u64::MAX);
		assert_noop!(
			register_with(1, b"https://p.example", capacities(), properties("eu"), b""),
			Error::<Test>::Overflow
		);
		DepositPerByte::set(1);
	});
}

#[test]
fn update_adjusts_the_deposit_both_ways() {
	run_test(|| {
		register(1);
		let before = ProvidersStorage::<Test>::get(1).expect("registered").deposit;
		let long_contact = vec![b'c'; 64];
		assert_ok!(Providers::update(
			RuntimeOrigin::signed(1),
			bounded(b"https://provider.example:8443".to_vec()),
			capacities(),
			properties("eu-west"),
			bounded(long_contact),
		));
		let grown = ProvidersStorage::<Test>::get(1).expect("registered");
		assert!(grown.deposit > before);
		assert_eq!(held(HoldReason::ProviderDeposit, 1), grown.deposit);
		assert_eq!(
			last_event(),
			Event::ProviderUpdated { provider: 1, deposit: grown.deposit }.into()
		);

		assert_ok!(register_update(
			1,
			b"h",
			Default::default(),
			properties_of(vec![(Property::Region, b"us".to_vec())])
		));
		let shrunk = ProvidersStorage::<Test>::get(1).expect("registered");
		assert!(shrunk.deposit < before);
		assert_eq!(held(HoldReason::ProviderDeposit, 1), shrunk.deposit);
		assert_eq!(shrunk.registered_at, 1);
		assert_eq!(Balances::free_balance(1), ENDOWMENT - shrunk.deposit);
	});
}

fn register_update(
	who: AccountId,
	host_uri: &[u8],
	capacities: Capacities,
	properties: Properties,
) -> frame_support::dispatch::DispatchResult {
	Providers::update(
		RuntimeOrigin::signed(who),
		bounded(host_uri.to_vec()),
		capacities,
		properties,
		Default::default(),
	)
}

#[test]
fn update_rejects_bad_input_without_changing_state() {
	run_test(|| {
		assert_noop!(
			register_update(1, b"h", capacities(), properties("eu")),
			Error::<Test>::NotRegistered
		);
		register(1);
		assert_noop!(
			register_update(
				1,
				b"h",
				capacities(),
				properties_of(vec![(Property::Os, b"l".to_vec())])
			),
			Error::<Test>::MissingRegion
		);
		assert_noop!(
			register_update(1, b"", capacities(), properties("eu")),
			Error::<Test>::EmptyHostUri
		);
		// A bigger record than the free balance can cover.
		RegistrationDeposit::set(ENDOWMENT);
		assert_noop!(
			register_update(1, b"h", capacities(), properties("eu")),
			Error::<Test>::InsufficientBalance
		);
		RegistrationDeposit::set(10);
	});
}

#[test]
fn deregister_releases_deposits_and_starts_unbonding() {
	run_test(|| {
		register(1);
		assert_ok!(Providers::bond(RuntimeOrigin::signed(1), 500));
		assert_ok!(Providers::add_auditor(RuntimeOrigin::root(), 7));
		assert_ok!(Providers::attest(RuntimeOrigin::signed(7), 1));
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(1)));

		assert!(ProvidersStorage::<Test>::get(1).is_none());
		assert_eq!(held(HoldReason::ProviderDeposit, 1), 0);
		assert_eq!(held(HoldReason::AttestationDeposit, 7), 0);
		assert_eq!(crate::AttestationCount::<Test>::get(1), 0);
		// The stake is still held, now unbonding.
		let ledger = crate::Stakes::<Test>::get(1).expect("ledger kept while unbonding");
		assert_eq!(ledger.active, 0);
		assert_eq!(ledger.unlocking.len(), 1);
		assert_eq!(ledger.unlocking[0].value, 500);
		assert_eq!(ledger.unlocking[0].unlock_at, 11);
		assert_eq!(held(HoldReason::Stake, 1), 500);
		assert_eq!(Balances::free_balance(1), ENDOWMENT - 500);
		let events: Vec<_> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.contains(&Event::AttestationWithdrawn { provider: 1, auditor: 7 }.into()));
		assert!(
			events.contains(&Event::Unbonded { provider: 1, amount: 500, unlock_at: 11 }.into())
		);

		run_to_block(11);
		assert_ok!(Providers::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::free_balance(1), ENDOWMENT);
		assert!(crate::Stakes::<Test>::get(1).is_none());
	});
}

#[test]
fn deregister_refuses_while_leases_are_active() {
	run_test(|| {
		assert_noop!(Providers::deregister(RuntimeOrigin::signed(1)), Error::<Test>::NotRegistered);
		register(1);
		MockLeases::set(1, 2, 10);
		assert_noop!(
			Providers::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::HasActiveLeases
		);
		MockLeases::set(1, 0, 0);
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(1)));
	});
}

#[test]
fn deregister_refuses_when_no_unbonding_chunk_is_free() {
	run_test(|| {
		register(1);
		assert_ok!(Providers::bond(RuntimeOrigin::signed(1), 500));
		for block in 2..=4 {
			run_to_block(block);
			assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 10));
		}
		run_to_block(5);
		assert_noop!(
			Providers::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::TooManyUnlockingChunks
		);
	});
}

#[test]
fn a_deregistered_provider_can_register_again() {
	run_test(|| {
		register(1);
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(1)));
		register(1);
		assert_eq!(ProvidersStorage::<Test>::count(), 1);
	});
}
