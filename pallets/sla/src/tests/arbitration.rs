use crate::{mock::*, Claims, Error, Event, PendingClaim, Ruling};
use ccre_primitives::{ProviderInspect, StakeSlashing};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const EVIDENCE: [u8; 32] = [1; 32];
const ANSWER: [u8; 32] = [2; 32];

fn file(lease: ccre_primitives::OrderId, amount: Balance) -> crate::ClaimId {
	let id = crate::NextClaimId::<Test>::get();
	assert_ok!(Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, amount, EVIDENCE));
	id
}

fn decide(
	claim: crate::ClaimId,
	ruling: Ruling<Balance>,
) -> frame_support::dispatch::DispatchResult {
	Sla::decide_claim(RuntimeOrigin::signed(ARBITRATOR), claim, ruling)
}

#[test]
fn a_disputed_claim_upheld_by_the_arbitrators_pays_the_award_from_the_providers_earnings() {
	run_test(|| {
		assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), 1_000));
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		// Forty blocks at 10 are paid, 90% of it the provider's earnings, still held.
		run_to_block(System::block_number() + 40);
		let tenant_before = free(TENANT);
		let claim = file(lease, 300);
		assert_eq!(claim_deposit_held(TENANT), 50);
		assert_eq!(PendingClaim::<Test>::get(lease), Some(claim));
		assert_ok!(Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim, ANSWER));
		assert_eq!(last_event(), Event::ClaimAnswered { claim, evidence: ANSWER });
		let reputation = Providers::reputation(&PROVIDER);
		let pool_before = Sla::pool_value();

		// Answered: the arbitrators need not wait for the answer period. The award comes
		// back from what the provider was paid; neither its stake nor the pool is touched.
		assert_ok!(decide(claim, Ruling::Uphold { award: 200 }));
		assert_eq!(
			last_event(),
			Event::ClaimUpheld { claim, award: 200, clawed_back: 200, paid: 0, slashed: 0 }
		);
		assert_eq!(free(TENANT), tenant_before + 200);
		assert_eq!(claim_deposit_held(TENANT), 0);
		assert_eq!(Sla::pool_value(), pool_before);
		assert_eq!(Providers::slashable(&PROVIDER), 100);
		assert!(Providers::reputation(&PROVIDER) < reputation);
		assert!(!Claims::<Test>::contains_key(claim));
		assert!(!PendingClaim::<Test>::contains_key(lease));
	});
}

#[test]
fn an_award_beyond_the_providers_earnings_is_slashed_from_its_stake_into_the_pool() {
	run_test(|| {
		assert_ok!(Sla::underwrite(RuntimeOrigin::signed(UNDERWRITER), 1_000));
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		// All 400 paid: 360 of it the provider's earnings, 40 the market's take.
		let claim = file(lease, 400);
		assert_ok!(Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim, ANSWER));
		let pool_before = Sla::pool_value();
		assert_ok!(decide(claim, Ruling::Uphold { award: 400 }));
		assert_eq!(
			last_event(),
			Event::ClaimUpheld { claim, award: 400, clawed_back: 360, paid: 40, slashed: 40 }
		);
		assert_eq!(Sla::pool_value(), pool_before, "the slash paid what the pool did");
		assert_eq!(Providers::slashable(&PROVIDER), 60);
	});
}

#[test]
fn a_disputed_claim_rejected_by_the_arbitrators_forfeits_its_deposit_to_the_pool() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		let tenant_before = free(TENANT);
		let claim = file(lease, 300);
		// Unanswered: the provider has `AnswerPeriod` blocks first.
		assert_noop!(decide(claim, Ruling::Reject), Error::<Test>::AnswerPeriodOpen);
		run_to_block(System::block_number() + 5);
		let pool_before = Sla::pool_value();
		let reputation = Providers::reputation(&PROVIDER);
		assert_ok!(decide(claim, Ruling::Reject));
		assert_eq!(last_event(), Event::ClaimRejected { claim, forfeited: 50 });
		assert_eq!(free(TENANT), tenant_before - 50);
		assert_eq!(claim_deposit_held(TENANT), 0);
		assert_eq!(Sla::pool_value(), pool_before + 50);
		assert_eq!(Providers::slashable(&PROVIDER), 100, "nothing slashed");
		assert_eq!(Providers::reputation(&PROVIDER), reputation);
		// The lease may be disputed again.
		assert_ok!(Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, 10, EVIDENCE));
	});
}

#[test]
fn only_the_arbitrators_decide_within_the_claim() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		let claim = file(lease, 300);
		assert_ok!(Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim, ANSWER));
		assert_noop!(
			Sla::decide_claim(RuntimeOrigin::signed(TENANT), claim, Ruling::Uphold { award: 1 }),
			DispatchError::BadOrigin
		);
		assert_noop!(decide(claim, Ruling::Uphold { award: 301 }), Error::<Test>::AwardAboveClaim);
		assert_noop!(decide(claim, Ruling::Uphold { award: 0 }), Error::<Test>::ZeroAmount);
		assert_noop!(decide(claim + 1, Ruling::Reject), Error::<Test>::UnknownClaim);
	});
}

#[test]
fn bad_claims_and_answers_are_refused_and_change_nothing() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		assert_noop!(
			Sla::file_claim(RuntimeOrigin::signed(OTHER_TENANT), lease, 10, EVIDENCE),
			Error::<Test>::NotTenant
		);
		assert_noop!(
			Sla::file_claim(RuntimeOrigin::signed(TENANT), 99, 10, EVIDENCE),
			Error::<Test>::UnknownLease
		);
		assert_noop!(
			Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, 0, EVIDENCE),
			Error::<Test>::ZeroAmount
		);
		ClaimDeposit::set(ENDOWMENT * 10);
		assert!(Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, 10, EVIDENCE).is_err());
		ClaimDeposit::set(50);
		let claim = file(lease, 300);
		assert_noop!(
			Sla::file_claim(RuntimeOrigin::signed(TENANT), lease, 10, EVIDENCE),
			Error::<Test>::ClaimPending
		);
		assert_noop!(
			Sla::answer_claim(RuntimeOrigin::signed(PROVIDER + 1), claim, ANSWER),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim + 1, ANSWER),
			Error::<Test>::UnknownClaim
		);
		assert_ok!(Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim, ANSWER));
		assert_noop!(
			Sla::answer_claim(RuntimeOrigin::signed(PROVIDER), claim, ANSWER),
			Error::<Test>::AlreadyAnswered
		);
		assert_noop!(
			Sla::withdraw_claim(RuntimeOrigin::signed(PROVIDER), claim),
			Error::<Test>::NotTenant
		);
	});
}

#[test]
fn a_tenant_withdraws_its_claim_and_gets_its_deposit_back() {
	run_test(|| {
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(System::block_number() + 40);
		let tenant_before = free(TENANT);
		let claim = file(lease, 300);
		assert_ok!(Sla::withdraw_claim(RuntimeOrigin::signed(TENANT), claim));
		assert_eq!(last_event(), Event::ClaimWithdrawn { claim });
		assert_eq!(free(TENANT), tenant_before);
		assert!(!PendingClaim::<Test>::contains_key(lease));
	});
}
