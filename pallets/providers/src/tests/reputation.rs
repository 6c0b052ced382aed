use crate::{mock::*, Error, Event, Reputations};
use ccre_primitives::{LeaseOutcome, ProviderInspect, ReputationRecorder};
use frame_support::{assert_ok, assert_storage_noop};
use sp_runtime::{FixedU128, Perbill};

#[test]
fn outcomes_move_the_score_by_lease_value() {
	run_test(|| {
		register(1);
		assert_eq!(Providers::reputation(&1), Perbill::from_percent(50));
		// 800 at a unit of 100 counts as 8 successes: (8 + 1) / (8 + 2).
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Success, 800));
		assert_eq!(Providers::reputation(&1), Perbill::from_percent(90));
		assert_eq!(
			last_event(),
			Event::OutcomeRecorded {
				provider: 1,
				outcome: LeaseOutcome::Success,
				value: 800,
				score: Perbill::from_percent(90),
			}
			.into()
		);
		// A huge failed lease counts at most MaxOutcomeWeight (10): 9 / 20.
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Failure, 1_000_000));
		assert_eq!(Providers::reputation(&1), Perbill::from_rational(9u32, 20));
	});
}

#[test]
fn reputation_fades_toward_one_half() {
	run_test(|| {
		register(1);
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Success, 800));
		run_to_block(101);
		// One period at 50 %: 4 successes, (4 + 1) / (4 + 2).
		assert_eq!(Providers::reputation(&1), Perbill::from_rational(5u32, 6));
		// Reading does not write: storage still holds the undiscounted record.
		assert_eq!(Reputations::<Test>::get(1).successes, FixedU128::from_u32(8));
		ReputationPeriod::set(0);
		assert_eq!(Providers::reputation(&1), Perbill::from_percent(90));
		ReputationPeriod::set(100);
	});
}

#[test]
fn reputation_survives_deregistration() {
	run_test(|| {
		register(1);
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Failure, 800));
		assert_ok!(Providers::deregister(RuntimeOrigin::signed(1)));
		// A late outcome (an arbitration decided after deregistering) still counts.
		assert_ok!(Providers::record_outcome(&1, LeaseOutcome::Failure, 100));
		register(1);
		assert_eq!(Providers::reputation(&1), Perbill::from_rational(1u32, 11));
	});
}

#[test]
fn outcomes_for_unknown_accounts_are_refused() {
	run_test(|| {
		assert_storage_noop!(assert_eq!(
			Providers::record_outcome(&3, LeaseOutcome::Success, 100),
			Err(Error::<Test>::NotRegistered.into())
		));
	});
}
