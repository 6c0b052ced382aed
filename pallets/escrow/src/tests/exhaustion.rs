use crate::{mock::*, Accounts, Due, Error, Event};
use ccre_primitives::{Escrow as _, Settlement};
use frame_support::{assert_noop, assert_ok};

/// Opens order 1 for account 1 with 255 and streams 10 a block to account 5 from block 1: it
/// pays 25 blocks and runs out at block 26 with 5 left over.
fn twenty_five_blocks() {
	open(1, 1, 255);
	start(1, 5, 10);
}

#[test]
fn a_stream_that_runs_out_closes_at_exactly_that_block() {
	run_test(|| {
		twenty_five_blocks();
		run_to_block(25);
		assert_eq!(account(1).paid, 200);
		assert_eq!(account(1).due_at, Some(26));
		assert!(exhausted().is_empty());

		run_to_block(26);
		assert!(!Accounts::<Test>::contains_key(1));
		assert_eq!(Due::<Test>::iter().count(), 0);
		assert_eq!(exhausted(), vec![(1, 26, 250)]);
		let events = escrow_events();
		assert_eq!(
			&events[events.len() - 2..],
			&[
				Event::Settled {
					order: 1,
					to_provider: 45,
					to_treasury: 3,
					to_pool: 2,
					settled_to: 26
				},
				Event::FundsExhausted { order: 1, at: 26, paid: 250, refunded: 5 },
			]
		);
		// 25 blocks at 10, less a 10% take; the 5 left over goes back.
		assert_eq!(free(5), ENDOWMENT + 225);
		assert_eq!(free(TREASURY) + free(INSURANCE_POOL), 2 + 25);
		assert_eq!(free(TREASURY), 1 + 13);
		assert_eq!(held(1), 0);
		assert_eq!(free(1), ENDOWMENT - 250);
	});
}

#[test]
fn a_late_sweep_still_closes_at_the_block_the_funds_ran_out() {
	run_test(|| {
		twenty_five_blocks();
		run_to_block(25);
		SweepBudget::set(budget_for(0, 0));
		run_to_block(27);
		assert!(Accounts::<Test>::contains_key(1));
		// The view already stops at block 26.
		assert_eq!(Escrow::balance_of(1), Some(5));

		SweepBudget::set(DEFAULT_BUDGET);
		run_to_block(28);
		assert_eq!(exhausted(), vec![(1, 26, 250)]);
		assert!(escrow_events().contains(&Event::FundsExhausted {
			order: 1,
			at: 26,
			paid: 250,
			refunded: 5
		}));
		assert_eq!(free(5), ENDOWMENT + 225);
		assert_eq!(free(1), ENDOWMENT - 250);
	});
}

#[test]
fn settle_closes_an_account_that_has_run_out() {
	run_test(|| {
		twenty_five_blocks();
		SweepBudget::set(budget_for(0, 0));
		run_to_block(30);
		assert_eq!(account(1).paid, 0);

		assert_ok!(Escrow::settle(RuntimeOrigin::signed(3), 1));
		assert_eq!(exhausted(), vec![(1, 26, 250)]);
		assert_eq!(
			last_event(),
			Event::FundsExhausted { order: 1, at: 26, paid: 250, refunded: 5 }.into()
		);
		// One settlement of 250: a take of 25, the pool's half rounded down.
		assert_eq!(free(5), ENDOWMENT + 225);
		assert_eq!(free(TREASURY), 1 + 13);
		assert_eq!(free(INSURANCE_POOL), 1 + 12);
		assert_eq!(Due::<Test>::iter().count(), 0);
		assert_noop!(Escrow::settle(RuntimeOrigin::signed(3), 1), Error::<Test>::UnknownAccount);

		// The sweep catching up finds nothing left to do.
		SweepBudget::set(DEFAULT_BUDGET);
		run_to_block(31);
		assert_eq!(exhausted().len(), 1);
	});
}

#[test]
fn less_than_one_block_of_funds_runs_out_at_once() {
	run_test(|| {
		open(1, 1, 5);
		start(1, 5, 10);
		// It runs out at block 1, where it started; the next block's sweep closes it.
		assert_eq!(account(1).due_at, Some(2));
		run_to_block(2);
		assert_eq!(exhausted(), vec![(1, 1, 0)]);
		assert_eq!(
			last_event(),
			Event::FundsExhausted { order: 1, at: 1, paid: 0, refunded: 5 }.into()
		);
		assert!(!escrow_events().iter().any(|event| matches!(event, Event::Settled { .. })));
		assert_eq!(free(1), ENDOWMENT);
		assert_eq!(free(5), ENDOWMENT);
	});
}

#[test]
fn a_deposit_before_the_funds_run_out_extends_the_stream() {
	run_test(|| {
		twenty_five_blocks();
		run_to_block(20);
		assert_ok!(Escrow::deposit(RuntimeOrigin::signed(2), 1, 100));
		// Settled to 20 (190 paid), 165 left: runs out at 36, due first at 30.
		assert_eq!(account(1).paid, 190);
		assert_eq!(account(1).balance, 165);
		assert_eq!(account(1).due_at, Some(30));
		run_to_block(35);
		assert!(exhausted().is_empty());
		run_to_block(36);
		assert_eq!(exhausted(), vec![(1, 36, 350)]);
		assert_eq!(free(1), ENDOWMENT - 255 + 5);
	});
}

#[test]
fn closing_after_the_funds_ran_out_pays_only_to_that_block() {
	run_test(|| {
		twenty_five_blocks();
		SweepBudget::set(budget_for(0, 0));
		run_to_block(30);
		assert_eq!(Escrow::close(1), Ok(Settlement { paid: 250, refunded: 5 }));
		assert_eq!(last_event(), Event::Closed { order: 1, paid: 250, refunded: 5 }.into());
		assert!(exhausted().is_empty());
		SweepBudget::set(DEFAULT_BUDGET);
		run_to_block(31);
		assert!(exhausted().is_empty());
	});
}
