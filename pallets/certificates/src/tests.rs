//! Tests of every call's success and error paths and of the gateway's check. Each test runs in
//! [`run_test`], which checks the pallet's invariants afterwards.

use crate::{
	mock::*, CertificateRecord, CertificateRecordOf, CertificatesOf, Error, Event, HoldReason,
};
use ccre_primitives::{
	certificate::prove_ownership, fingerprint, parse_certificate, CertificateRefusal, Validity,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
};
use sp_runtime::DispatchResult;

/// The key of a fixture the tests publish, if it was kept.
fn key_of(der: &[u8]) -> Option<&'static [u8; 32]> {
	[(TENANT, TENANT_KEY), (PROVIDER, PROVIDER_KEY), (LARGE, LARGE_KEY)]
		.into_iter()
		.find_map(|(fixture, key)| (fixture == der).then_some(key))
}

/// The proof that `who` may publish `der`, signed with `der`'s key, or garbage for a fixture
/// whose key is gone.
fn proof_for(who: AccountId, der: &[u8]) -> Vec<u8> {
	key_of(der)
		.and_then(|key| who.using_encoded(|owner| prove_ownership(key, owner, der)))
		.unwrap_or_else(|| vec![0; 64])
}

fn publish_with(who: AccountId, der: &[u8], proof: Vec<u8>) -> DispatchResult {
	Certificates::publish(
		RuntimeOrigin::signed(who),
		der.to_vec().try_into().unwrap_or_else(|_| panic!("within MaxCertificateLen")),
		proof.try_into().unwrap_or_else(|_| panic!("within the proof bound")),
	)
}

fn publish(who: AccountId, der: &[u8]) -> DispatchResult {
	publish_with(who, der, proof_for(who, der))
}

fn revoke(who: AccountId, der: &[u8]) -> DispatchResult {
	Certificates::revoke(RuntimeOrigin::signed(who), fingerprint(der))
}

fn remove(who: AccountId, der: &[u8]) -> DispatchResult {
	Certificates::remove(RuntimeOrigin::signed(who), fingerprint(der))
}

fn held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&HoldReason::CertificateDeposit.into(),
		&who,
	)
}

fn deposit_of(der: &[u8]) -> Balance {
	DepositBase::get() + DepositPerByte::get() * der.len() as Balance
}

fn validity(der: &[u8]) -> Validity {
	parse_certificate(der).unwrap_or_else(|e| panic!("fixture does not parse: {e:?}"))
}

fn check(owner: AccountId, der: &[u8]) -> Result<(), CertificateRefusal> {
	Certificates::check_presented(&owner, fingerprint(der))
}

mod publish {
	use super::*;

	#[test]
	fn stores_the_record_holds_the_deposit_and_emits_an_event() {
		run_test(|| {
			let fp = fingerprint(TENANT);
			assert_eq!(deposit_of(TENANT), 1_000 + 10 * 391);

			assert_ok!(publish(ALICE, TENANT));

			let expected: CertificateRecordOf<Test> = CertificateRecord {
				owner: ALICE,
				der: TENANT.to_vec().try_into().unwrap_or_else(|_| panic!("fits")),
				validity: validity(TENANT),
				published_at: 1,
				revoked_at: None,
				deposit: deposit_of(TENANT),
			};
			assert_eq!(Certificates::certificate(fp), Some(expected.clone()));
			assert_eq!(CertificatesOf::<Test>::get(ALICE).to_vec(), vec![fp]);
			assert_eq!(Certificates::certificates_of(&ALICE), vec![(fp, expected)]);
			assert_eq!(held(ALICE), deposit_of(TENANT));
			assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - deposit_of(TENANT));
			System::assert_last_event(
				Event::<Test>::CertificatePublished {
					owner: ALICE,
					fingerprint: fp,
					not_after: validity(TENANT).not_after,
				}
				.into(),
			);
		});
	}

	#[test]
	fn deposits_add_up_over_several_certificates() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(publish(ALICE, LARGE));
			assert_eq!(held(ALICE), deposit_of(TENANT) + deposit_of(LARGE));
			assert_eq!(
				CertificatesOf::<Test>::get(ALICE).to_vec(),
				vec![fingerprint(TENANT), fingerprint(LARGE)]
			);
			let listed: Vec<_> =
				Certificates::certificates_of(&ALICE).into_iter().map(|(fp, _)| fp).collect();
			assert_eq!(listed, vec![fingerprint(TENANT), fingerprint(LARGE)]);
		});
	}

	#[test]
	fn a_certificate_not_yet_valid_is_accepted() {
		run_test(|| {
			// The chain's clock at genesis (and in benchmarks) is 0, long before any notBefore.
			set_now_millis(0);
			assert_ok!(publish(ALICE, TENANT));
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::NotYetValid));
		});
	}

	#[test]
	fn an_oversized_certificate_is_refused_when_the_call_is_decoded() {
		run_test(|| {
			// The call's arguments as a client encodes them: a vector's encoding is a bounded
			// vector's.
			let call = |der_len: usize, proof_len: usize| {
				let mut encoded = crate::Call::<Test>::publish {
					der: Default::default(),
					proof: Default::default(),
				}
				.encode();
				encoded.truncate(1);
				(vec![0u8; der_len], vec![0u8; proof_len]).encode_to(&mut encoded);
				crate::Call::<Test>::decode(&mut &encoded[..])
			};
			let limit = MAX_CERTIFICATE_LEN as usize;
			let proof_limit = ccre_primitives::certificate::MAX_OWNERSHIP_PROOF_LEN as usize;
			assert!(call(limit + 1, 64).is_err());
			assert!(call(limit, proof_limit + 1).is_err());
			assert!(call(limit, proof_limit).is_ok());
			// At the limit the size passes and the parser has its say.
			let at_limit = vec![0u8; limit];
			assert_noop!(publish(ALICE, &at_limit), Error::<Test>::MalformedCertificate);
		});
	}

	#[test]
	fn only_who_holds_the_key_publishes_a_certificate() {
		run_test(|| {
			// Bob copied Alice's certificate: neither her proof nor one of his own will do.
			assert_noop!(
				publish_with(BOB, TENANT, proof_for(ALICE, TENANT)),
				Error::<Test>::BadOwnershipProof
			);
			let own_key = BOB.using_encoded(|owner| prove_ownership(&[3; 32], owner, TENANT));
			assert_noop!(
				publish_with(BOB, TENANT, own_key.unwrap_or_default()),
				Error::<Test>::BadOwnershipProof
			);
			assert_ok!(publish(ALICE, TENANT));
			// A key the chain cannot check ownership of is refused.
			assert_noop!(publish(ALICE, RSA), Error::<Test>::UnsupportedKey);
		});
	}

	#[test]
	fn malformed_certificates_are_refused() {
		run_test(|| {
			let truncated = &TENANT[..TENANT.len() - 1];
			assert_noop!(publish(ALICE, truncated), Error::<Test>::MalformedCertificate);

			let mut trailing = TENANT.to_vec();
			trailing.extend_from_slice(b"garbage");
			assert_noop!(publish(ALICE, &trailing), Error::<Test>::MalformedCertificate);

			let random: Vec<u8> =
				(0u16..512).map(|i| (i.wrapping_mul(151).wrapping_add(7) % 256) as u8).collect();
			assert_noop!(publish(ALICE, &random), Error::<Test>::MalformedCertificate);

			assert_noop!(publish(ALICE, &[]), Error::<Test>::MalformedCertificate);
		});
	}

	#[test]
	fn a_certificate_that_is_never_valid_is_refused() {
		run_test(|| {
			assert_noop!(publish(ALICE, INVERTED), Error::<Test>::InvalidValidity);
		});
	}

	#[test]
	fn an_expired_certificate_is_refused() {
		run_test(|| {
			assert_noop!(publish(ALICE, EXPIRED), Error::<Test>::CertificateExpired);
		});
	}

	#[test]
	fn a_certificate_is_expired_for_publishing_from_its_not_after() {
		run_test(|| {
			let not_after = validity(TENANT).not_after;
			set_now_secs(not_after);
			assert_noop!(publish(ALICE, TENANT), Error::<Test>::CertificateExpired);
			set_now_secs(not_after - 1);
			assert_ok!(publish(ALICE, TENANT));
		});
	}

	#[test]
	fn a_certificate_can_be_published_only_once() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_noop!(publish(ALICE, TENANT), Error::<Test>::AlreadyPublished);
		});
	}

	#[test]
	fn a_revoked_certificate_cannot_be_published_again_until_removed() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));
			assert_noop!(publish(ALICE, TENANT), Error::<Test>::AlreadyPublished);
			assert_ok!(remove(ALICE, TENANT));
			assert_ok!(publish(BOB, TENANT));
			assert_eq!(check(BOB, TENANT), Ok(()));
		});
	}

	#[test]
	fn an_account_has_a_quota() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(publish(ALICE, PROVIDER));
			assert_noop!(publish(ALICE, LARGE), Error::<Test>::TooManyCertificates);
			// Another account's quota is its own.
			assert_ok!(publish(BOB, LARGE));
		});
	}

	#[test]
	fn removing_a_certificate_frees_quota() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(publish(ALICE, PROVIDER));
			// Revoked certificates still count.
			assert_ok!(revoke(ALICE, TENANT));
			assert_noop!(publish(ALICE, LARGE), Error::<Test>::TooManyCertificates);
			assert_ok!(remove(ALICE, TENANT));
			assert_ok!(publish(ALICE, LARGE));
		});
	}

	#[test]
	fn the_deposit_must_be_holdable() {
		run_test(|| {
			assert!(PAUPER_ENDOWMENT < deposit_of(TENANT));
			assert_noop!(publish(PAUPER, TENANT), Error::<Test>::InsufficientBalance);
			assert_noop!(publish(NOBODY, TENANT), Error::<Test>::InsufficientBalance);
		});
	}

	#[test]
	fn a_deposit_that_overflows_is_a_typed_error() {
		run_test(|| {
			DepositPerByte::set(Balance::MAX);
			assert_noop!(publish(ALICE, TENANT), Error::<Test>::Overflow);
			DepositPerByte::reset();
			DepositBase::set(Balance::MAX);
			assert_noop!(publish(ALICE, TENANT), Error::<Test>::Overflow);
			DepositBase::reset();
		});
	}

	#[test]
	fn an_unsigned_origin_is_refused() {
		run_test(|| {
			assert_noop!(
				Certificates::publish(
					RuntimeOrigin::none(),
					TENANT.to_vec().try_into().unwrap_or_default(),
					Default::default()
				),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}
}

mod revoke {
	use super::*;

	#[test]
	fn marks_the_record_revoked_and_keeps_it_and_its_deposit() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			System::set_block_number(5);

			assert_ok!(revoke(ALICE, TENANT));

			let record = Certificates::certificate(fingerprint(TENANT))
				.unwrap_or_else(|| panic!("the record stays"));
			assert_eq!(record.revoked_at, Some(5));
			assert_eq!(record.published_at, 1);
			assert_eq!(held(ALICE), deposit_of(TENANT));
			assert_eq!(CertificatesOf::<Test>::get(ALICE).to_vec(), vec![fingerprint(TENANT)]);
			System::assert_last_event(
				Event::<Test>::CertificateRevoked {
					owner: ALICE,
					fingerprint: fingerprint(TENANT),
				}
				.into(),
			);
		});
	}

	#[test]
	fn an_unknown_certificate_is_not_found() {
		run_test(|| {
			assert_noop!(revoke(ALICE, TENANT), Error::<Test>::NotFound);
		});
	}

	#[test]
	fn only_the_owner_may_revoke() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_noop!(revoke(BOB, TENANT), Error::<Test>::NotOwner);
		});
	}

	#[test]
	fn a_certificate_is_revoked_once() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));
			assert_noop!(revoke(ALICE, TENANT), Error::<Test>::AlreadyRevoked);
		});
	}
}

mod remove {
	use super::*;

	#[test]
	fn a_revoked_certificate_is_removed_and_its_deposit_released() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));

			assert_ok!(remove(ALICE, TENANT));

			assert_eq!(Certificates::certificate(fingerprint(TENANT)), None);
			assert!(!CertificatesOf::<Test>::contains_key(ALICE));
			assert!(Certificates::certificates_of(&ALICE).is_empty());
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
			System::assert_last_event(
				Event::<Test>::CertificateRemoved {
					owner: ALICE,
					fingerprint: fingerprint(TENANT),
					deposit: deposit_of(TENANT),
				}
				.into(),
			);
		});
	}

	#[test]
	fn an_expired_certificate_is_removed_without_revoking() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			let not_after = validity(TENANT).not_after;
			// Still usable at its notAfter, so not removable yet.
			set_now_secs(not_after);
			assert_noop!(remove(ALICE, TENANT), Error::<Test>::StillValid);
			set_now_secs(not_after + 1);
			assert_ok!(remove(ALICE, TENANT));
			assert_eq!(held(ALICE), 0);
		});
	}

	#[test]
	fn the_other_certificates_stay_listed() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(publish(ALICE, PROVIDER));
			assert_ok!(revoke(ALICE, TENANT));
			assert_ok!(remove(ALICE, TENANT));
			assert_eq!(CertificatesOf::<Test>::get(ALICE).to_vec(), vec![fingerprint(PROVIDER)]);
			assert_eq!(held(ALICE), deposit_of(PROVIDER));
		});
	}

	#[test]
	fn a_valid_certificate_must_be_revoked_first() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_noop!(remove(ALICE, TENANT), Error::<Test>::StillValid);
		});
	}

	#[test]
	fn a_certificate_not_yet_valid_must_be_revoked_first() {
		run_test(|| {
			set_now_millis(0);
			assert_ok!(publish(ALICE, TENANT));
			assert_noop!(remove(ALICE, TENANT), Error::<Test>::StillValid);
		});
	}

	#[test]
	fn only_the_owner_may_remove() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));
			assert_noop!(remove(BOB, TENANT), Error::<Test>::NotOwner);
		});
	}

	#[test]
	fn an_unknown_certificate_is_not_found() {
		run_test(|| {
			assert_noop!(remove(ALICE, TENANT), Error::<Test>::NotFound);
		});
	}
}

mod check_presented {
	use super::*;

	#[test]
	fn a_published_certificate_is_accepted_for_its_owner() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_eq!(check(ALICE, TENANT), Ok(()));
		});
	}

	#[test]
	fn an_unpublished_certificate_is_refused() {
		run_test(|| {
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::NotPublished));
		});
	}

	#[test]
	fn another_accounts_certificate_is_refused() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_eq!(check(BOB, TENANT), Err(CertificateRefusal::WrongOwner));
		});
	}

	#[test]
	fn a_revoked_certificate_is_refused() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::Revoked));
		});
	}

	#[test]
	fn a_certificate_is_refused_once_it_expires() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			let not_after = validity(TENANT).not_after;
			set_now_secs(not_after);
			assert_eq!(check(ALICE, TENANT), Ok(()));
			set_now_secs(not_after + 1);
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::Expired));
		});
	}

	#[test]
	fn a_certificate_is_refused_before_its_not_before() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			let not_before = validity(TENANT).not_before;
			set_now_secs(not_before - 1);
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::NotYetValid));
			set_now_secs(not_before);
			assert_eq!(check(ALICE, TENANT), Ok(()));
		});
	}

	#[test]
	fn a_removed_certificate_is_unpublished() {
		run_test(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(revoke(ALICE, TENANT));
			assert_ok!(remove(ALICE, TENANT));
			assert_eq!(check(ALICE, TENANT), Err(CertificateRefusal::NotPublished));
		});
	}
}

mod try_state {
	use super::*;

	#[test]
	fn detects_a_record_missing_from_its_owners_index() {
		new_test_ext().execute_with(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(Certificates::do_try_state());
			CertificatesOf::<Test>::remove(ALICE);
			assert!(Certificates::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_a_hold_that_differs_from_the_deposits() {
		new_test_ext().execute_with(|| {
			assert_ok!(publish(ALICE, TENANT));
			assert_ok!(<Balances as MutateHold<AccountId>>::release(
				&HoldReason::CertificateDeposit.into(),
				&ALICE,
				1,
				Precision::Exact,
			));
			assert!(Certificates::do_try_state().is_err());
		});
	}

	#[test]
	fn detects_an_index_entry_without_a_record() {
		new_test_ext().execute_with(|| {
			assert_ok!(publish(ALICE, TENANT));
			crate::Certificates::<Test>::remove(fingerprint(TENANT));
			assert!(Certificates::do_try_state().is_err());
		});
	}
}
