//! Earnings held until they vest: a claim can take them back meanwhile, and nothing revives an
//! account whose funds ran out.

use crate::{mock::*, Error, Event, Vesting};
use ccre_primitives::{EarningsAtRisk, Escrow as _};
use frame_support::{assert_noop, assert_ok};

/// Order 1 of account 1, 1 000 streaming 10 a block to account 5 from block 1, with earnings
/// held for 20 blocks.
fn held_for_twenty_blocks() {
	VestingPeriod::set(20);
	open(1, 1, 1_000);
	start(1, 5, 10);
}

#[test]
fn earnings_stay_held_on_the_tenant_until_they_vest() {
	run_test(|| {
		held_for_twenty_blocks();
		// Settled every 10 blocks: two settlements of 100, 90 each the provider's.
		run_to_block(21);
		assert_eq!(free(5), ENDOWMENT, "nothing has vested yet");
		assert_eq!(Escrow::vesting_of(1), 180);
		assert_eq!(held(1), 1_000 - 200 + 180);
		assert_eq!(<Escrow as EarningsAtRisk<_>>::at_risk(1).paid, 200);
		// The first settlement vests 20 blocks (rounded up to the ledger's step) after it.
		run_to_block(41);
		assert_eq!(free(5), ENDOWMENT + 90);
		assert!(escrow_events().contains(&Event::EarningsReleased {
			order: 1,
			payee: 5,
			amount: 90
		}));
	});
}

#[test]
fn a_claim_takes_back_held_earnings_and_never_more_than_is_at_risk() {
	run_test(|| {
		held_for_twenty_blocks();
		run_to_block(21);
		let tenant_before = free(1);
		assert_noop!(<Escrow as EarningsAtRisk<_>>::claw_back(1, 201), Error::<Test>::AboveAtRisk);
		// 150 of the 200 paid: the provider's 90 of each 100 first, then the take.
		assert_eq!(<Escrow as EarningsAtRisk<_>>::claw_back(1, 150), Ok(140));
		assert_eq!(free(1), tenant_before + 140);
		assert_eq!(<Escrow as EarningsAtRisk<_>>::at_risk(1).paid, 50);
		assert_eq!(Escrow::vesting_of(1), 40);
	});
}

#[test]
fn a_pending_claim_holds_earnings_back_from_vesting() {
	run_test(|| {
		held_for_twenty_blocks();
		run_to_block(21);
		<Escrow as EarningsAtRisk<_>>::set_disputed(1, true);
		run_to_block(60);
		assert_eq!(free(5), ENDOWMENT, "earnings vested during a dispute");
		assert_noop!(
			Escrow::release_vested(RuntimeOrigin::signed(7), 1),
			Error::<Test>::NothingVested
		);
		<Escrow as EarningsAtRisk<_>>::set_disputed(1, false);
		assert_ok!(Escrow::release_vested(RuntimeOrigin::signed(7), 1));
		assert!(free(5) > ENDOWMENT);
	});
}

#[test]
fn earnings_of_a_closed_account_vest_on_their_own_and_all_at_once_when_released() {
	run_test(|| {
		held_for_twenty_blocks();
		run_to_block(15);
		assert_ok!(Escrow::close(1));
		assert!(Vesting::<Test>::contains_key(1));
		assert_noop!(
			Escrow::release_vested(RuntimeOrigin::signed(7), 1),
			Error::<Test>::NothingVested
		);
		// Reaping the lease hands over everything: no claim can reach it any more.
		assert_ok!(<Escrow as ccre_primitives::Escrow<_, _, _>>::release_earnings(1));
		assert_eq!(free(5), ENDOWMENT + 126);
		assert!(!Vesting::<Test>::contains_key(1));
	});
}

#[test]
fn a_deposit_cannot_revive_an_account_whose_funds_ran_out() {
	run_test(|| {
		open(1, 1, 255);
		start(1, 5, 10);
		// The funds run out at block 26, but the sweep is held up.
		SweepBudget::set(budget_for(0, 0));
		run_to_block(30);
		assert!(crate::Accounts::<Test>::contains_key(1));
		assert_noop!(
			Escrow::deposit(RuntimeOrigin::signed(1), 1, 1_000),
			Error::<Test>::FundsRanOut
		);
		SweepBudget::set(DEFAULT_BUDGET);
		run_to_block(31);
		// Closed at the block its funds ran out, nothing charged for the gap.
		assert_eq!(exhausted(), vec![(1, 26, 250)]);
	});
}
