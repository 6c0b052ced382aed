use crate::{mock::*, AttestationCount, Attestations, Auditors, Error, Event, HoldReason};
use ccre_primitives::{Property, ProviderInspect};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const AUDITOR: AccountId = 7;

fn approved(auditor: AccountId) {
	assert_ok!(Providers::add_auditor(RuntimeOrigin::root(), auditor));
}

#[test]
fn governance_approves_and_removes_auditors() {
	run_test(|| {
		assert_noop!(
			Providers::add_auditor(RuntimeOrigin::signed(1), AUDITOR),
			DispatchError::BadOrigin
		);
		approved(AUDITOR);
		assert_eq!(last_event(), Event::AuditorAdded { auditor: AUDITOR }.into());
		assert_eq!(Auditors::<Test>::get(AUDITOR), Some(1));
		assert_noop!(
			Providers::add_auditor(RuntimeOrigin::root(), AUDITOR),
			Error::<Test>::AlreadyAuditor
		);
		approved(8);
		approved(9);
		assert_noop!(
			Providers::add_auditor(RuntimeOrigin::root(), 6),
			Error::<Test>::TooManyAuditors
		);

		assert_noop!(
			Providers::remove_auditor(RuntimeOrigin::signed(1), AUDITOR),
			DispatchError::BadOrigin
		);
		assert_ok!(Providers::remove_auditor(RuntimeOrigin::root(), AUDITOR));
		assert_eq!(last_event(), Event::AuditorRemoved { auditor: AUDITOR }.into());
		assert_noop!(
			Providers::remove_auditor(RuntimeOrigin::root(), AUDITOR),
			Error::<Test>::NotAuditor
		);
	});
}

#[test]
fn attestation_covers_the_current_attributes_only() {
	run_test(|| {
		register(1);
		approved(AUDITOR);
		assert!(!Providers::is_attested_by(&1, &AUDITOR));
		assert_ok!(Providers::attest(RuntimeOrigin::signed(AUDITOR), 1));
		assert_eq!(last_event(), Event::Attested { provider: 1, auditor: AUDITOR }.into());
		assert!(Providers::is_attested_by(&1, &AUDITOR));
		assert_eq!(held(HoldReason::AttestationDeposit, AUDITOR), 5);
		assert_noop!(
			Providers::attest(RuntimeOrigin::signed(AUDITOR), 1),
			Error::<Test>::AlreadyAttested
		);

		// The provider changes its attributes: the signature lapses until renewed.
		assert_ok!(Providers::update(
			RuntimeOrigin::signed(1),
			bounded(b"https://provider.example:8443".to_vec()),
			capacities(),
			bounded(vec![(Property::Region, bounded(b"us-east".to_vec()))]),
			Default::default(),
		));
		assert!(!Providers::is_attested_by(&1, &AUDITOR));
		// Changing only the URI or contact does not.
		assert_ok!(Providers::attest(RuntimeOrigin::signed(AUDITOR), 1));
		assert!(Providers::is_attested_by(&1, &AUDITOR));
		assert_eq!(held(HoldReason::AttestationDeposit, AUDITOR), 5);
		assert_eq!(AttestationCount::<Test>::get(1), 1);
		assert_ok!(Providers::update(
			RuntimeOrigin::signed(1),
			bounded(b"https://elsewhere.example".to_vec()),
			capacities(),
			bounded(vec![(Property::Region, bounded(b"us-east".to_vec()))]),
			bounded(b"new contact".to_vec()),
		));
		assert!(Providers::is_attested_by(&1, &AUDITOR));

		// A removed auditor's signature stops counting at once.
		assert_ok!(Providers::remove_auditor(RuntimeOrigin::root(), AUDITOR));
		assert!(!Providers::is_attested_by(&1, &AUDITOR));
	});
}

#[test]
fn attest_rejects_bad_input() {
	run_test(|| {
		register(1);
		assert_noop!(
			Providers::attest(RuntimeOrigin::signed(AUDITOR), 1),
			Error::<Test>::NotAuditor
		);
		approved(AUDITOR);
		assert_noop!(
			Providers::attest(RuntimeOrigin::signed(AUDITOR), 2),
			Error::<Test>::NotRegistered
		);
		approved(PAUPER);
		assert_noop!(
			Providers::attest(RuntimeOrigin::signed(PAUPER), 1),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn a_provider_carries_at_most_max_auditors_attestations() {
	run_test(|| {
		register(1);
		for auditor in [6, 7, 8] {
			approved(auditor);
			assert_ok!(Providers::attest(RuntimeOrigin::signed(auditor), 1));
		}
		// Auditor 6 is replaced by 9; 6's attestation still occupies a slot until withdrawn.
		assert_ok!(Providers::remove_auditor(RuntimeOrigin::root(), 6));
		approved(9);
		assert_noop!(
			Providers::attest(RuntimeOrigin::signed(9), 1),
			Error::<Test>::TooManyAttestations
		);
		assert_ok!(Providers::withdraw_attestation(RuntimeOrigin::signed(6), 1));
		assert_ok!(Providers::attest(RuntimeOrigin::signed(9), 1));
		assert_eq!(AttestationCount::<Test>::get(1), 3);
	});
}

#[test]
fn withdraw_attestation_releases_the_deposit() {
	run_test(|| {
		register(1);
		approved(AUDITOR);
		assert_noop!(
			Providers::withdraw_attestation(RuntimeOrigin::signed(AUDITOR), 1),
			Error::<Test>::NotAttested
		);
		assert_ok!(Providers::attest(RuntimeOrigin::signed(AUDITOR), 1));
		assert_ok!(Providers::withdraw_attestation(RuntimeOrigin::signed(AUDITOR), 1));
		assert_eq!(
			last_event(),
			Event::AttestationWithdrawn { provider: 1, auditor: AUDITOR }.into()
		);
		assert_eq!(held(HoldReason::AttestationDeposit, AUDITOR), 0);
		assert!(Attestations::<Test>::get(1, AUDITOR).is_none());
		assert_eq!(AttestationCount::<Test>::get(1), 0);
		assert!(!AttestationCount::<Test>::contains_key(1));
	});
}
