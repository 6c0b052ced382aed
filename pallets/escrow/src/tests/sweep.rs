use crate::{mock::*, Due, Event, SweepCursor};
use frame_support::traits::{Hooks, LockableCurrency, WithdrawReasons};
use sp_runtime::TokenError;

fn settled_at(order: u64) -> u64 {
	account(order).stream.map_or(0, |stream| stream.settled_at)
}

fn deferrals() -> usize {
	escrow_events().iter().filter(|event| matches!(event, Event::SweepDeferred { .. })).count()
}

#[test]
fn the_sweep_settles_every_interval_without_a_touch() {
	run_test(|| {
		// A fresh chain's sweep starts at its own block.
		assert_eq!(SweepCursor::<Test>::get(), None);
		open(1, 1, 1_000);
		start(1, 5, 10);
		run_to_block(2);
		assert_eq!(SweepCursor::<Test>::get(), Some(3));

		run_to_block(10);
		assert_eq!(account(1).paid, 0);
		run_to_block(11);
		assert_eq!(account(1).paid, 100);
		assert_eq!(settled_at(1), 11);
		assert_eq!(account(1).due_at, Some(21));
		assert_eq!(
			last_event(),
			Event::Settled {
				order: 1,
				to_provider: 90,
				to_treasury: 5,
				to_pool: 5,
				settled_to: 11
			}
			.into()
		);
		run_to_block(21);
		assert_eq!(account(1).paid, 200);
		assert_eq!(account(1).due_at, Some(31));
		assert_eq!(free(5), ENDOWMENT + 180);
	});
}

#[test]
fn a_new_interval_applies_from_the_next_settlement() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		SettlementInterval::set(5);
		// Already scheduled for 11; from there on every 5 blocks.
		run_to_block(11);
		assert_eq!(account(1).due_at, Some(16));
		run_to_block(16);
		assert_eq!(account(1).paid, 150);
	});
}

#[test]
fn a_small_budget_carries_over_in_order_and_drops_nothing() {
	run_test(|| {
		for order in 1..=5 {
			open(order, order, 1_000);
			start(order, 6, 10);
		}
		// Room for one bucket and two accounts a block.
		SweepBudget::set(budget_for(1, 2));

		run_to_block(11);
		assert_eq!((1..=5).filter(|order| settled_at(*order) == 11).count(), 2);
		assert_eq!(Due::<Test>::iter_key_prefix(11).count(), 3);
		assert_eq!(SweepCursor::<Test>::get(), Some(11));
		assert_eq!(last_event(), Event::SweepDeferred { from: 11 }.into());

		// The next block resumes at block 11, before anything newer.
		run_to_block(12);
		assert_eq!((1..=5).filter(|order| settled_at(*order) == 12).count(), 2);
		assert_eq!(Due::<Test>::iter_key_prefix(11).count(), 1);
		assert_eq!(SweepCursor::<Test>::get(), Some(11));

		run_to_block(13);
		let mut settled: Vec<u64> = (1..=5).map(settled_at).collect();
		settled.sort();
		assert_eq!(settled, vec![11, 11, 12, 12, 13]);
		assert_eq!(Due::<Test>::iter_key_prefix(11).count(), 0);
		assert_eq!(SweepCursor::<Test>::get(), Some(14));
		assert_eq!(deferrals(), 2);
		for order in 1..=5 {
			assert_eq!(account(order).paid, (settled_at(order) - 1) * 10);
			assert_eq!(account(order).due_at, Some(settled_at(order) + 10));
		}
	});
}

#[test]
fn a_budget_below_one_bucket_waits_and_then_catches_up() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		SweepBudget::set(budget_for(0, 0));
		run_to_block(15);
		assert_eq!(account(1).paid, 0);
		assert_eq!(SweepCursor::<Test>::get(), Some(2));
		assert_eq!(deferrals(), 14);

		SweepBudget::set(DEFAULT_BUDGET);
		System::set_block_number(16);
		// Blocks 2 to 16, one account among them, charged as such.
		assert_eq!(Escrow::on_initialize(16), budget_for(15, 1));
		assert_eq!(account(1).paid, 150);
		assert_eq!(account(1).due_at, Some(26));
		assert_eq!(SweepCursor::<Test>::get(), Some(17));
	});
}

#[test]
fn a_lock_the_tenant_takes_later_does_not_stop_payments() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		// A lock on the whole of account 1 covers its held funds too; they are still owed.
		<Balances as LockableCurrency<AccountId>>::set_lock(
			*b"testlock",
			&1,
			ENDOWMENT,
			WithdrawReasons::all(),
		);
		run_to_block(11);
		assert_eq!(account(1).paid, 100);
		assert_eq!(account(1).due_at, Some(21));
	});
}

#[test]
fn a_failed_payment_is_reported_and_retried_without_stopping_the_sweep() {
	run_test(|| {
		// Account 50 does not exist: a payment to it below the existential deposit fails.
		open(1, 1, 1_000);
		start(1, 50, 10);
		open(2, 2, 1_000);
		start(2, 5, 10);
		// No take, so the treasury and pool (holding the old minimum) are not paid into.
		TakeRate::set(sp_runtime::Perbill::zero());
		ExistentialDeposit::set(200);
		run_to_block(11);
		assert!(escrow_events().contains(&Event::SettlementFailed {
			order: 1,
			error: TokenError::CannotCreate.into()
		}));
		assert_eq!(account(1).paid, 0);
		assert!(Due::<Test>::contains_key(21, 1));
		assert_eq!(account(2).paid, 100, "the other account is settled regardless");

		ExistentialDeposit::set(1);
		run_to_block(21);
		assert_eq!(account(1).paid, 200);
		assert_eq!(free(50), 200);
	});
}
