use crate::{mock::*, Due, Error, Event};
use ccre_primitives::{Escrow as _, Settlement};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{traits::BadOrigin, TokenError};

#[test]
fn the_owner_deposits_into_its_own_hold() {
	run_test(|| {
		open(1, 1, 100);
		assert_ok!(Escrow::deposit(RuntimeOrigin::signed(1), 1, 50));
		assert_eq!(held(1), 150);
		assert_eq!(free(1), ENDOWMENT - 150);
		assert_eq!(account(1).balance, 150);
		assert_eq!(last_event(), Event::Deposited { order: 1, from: 1, amount: 50 }.into());
	});
}

#[test]
fn a_third_party_deposit_becomes_the_owners_held_funds() {
	run_test(|| {
		open(1, 1, 100);
		assert_ok!(Escrow::deposit(RuntimeOrigin::signed(2), 1, 70));
		assert_eq!(free(2), ENDOWMENT - 70);
		assert_eq!(held(2), 0);
		assert_eq!(held(1), 170);
		assert_eq!(free(1), ENDOWMENT - 100);
		assert_eq!(account(1).balance, 170);
		assert_eq!(last_event(), Event::Deposited { order: 1, from: 2, amount: 70 }.into());
		// What is not paid out goes back to the owner, not to whoever deposited it.
		assert_eq!(Escrow::close(1), Ok(Settlement { paid: 0, refunded: 170 }));
		assert_eq!(free(1), ENDOWMENT + 70);
		assert_eq!(free(2), ENDOWMENT - 70);
	});
}

#[test]
fn a_deposit_settles_what_is_due_first() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		run_to_block(4);
		assert_ok!(Escrow::deposit(RuntimeOrigin::signed(2), 1, 100));
		// Three blocks at 10: 30, of which a 10% take of 3 splits 1 to the pool, 2 to the
		// treasury.
		let events = escrow_events();
		assert_eq!(
			&events[events.len() - 2..],
			&[
				Event::Settled {
					order: 1,
					to_provider: 27,
					to_treasury: 2,
					to_pool: 1,
					settled_to: 4
				},
				Event::Deposited { order: 1, from: 2, amount: 100 },
			]
		);
		let account = account(1);
		assert_eq!(account.balance, 1_070);
		assert_eq!(account.paid, 30);
		assert_eq!(account.stream.map(|stream| stream.settled_at), Some(4));
		// The next settlement is an interval on from the deposit.
		assert_eq!(account.due_at, Some(14));
		assert!(Due::<Test>::contains_key(14, 1));
		assert!(!Due::<Test>::contains_key(11, 1));
		assert_eq!(held(1), 1_070);
		assert_eq!(free(5), ENDOWMENT + 27);
		assert_eq!(free(TREASURY), 1 + 2);
		assert_eq!(free(INSURANCE_POOL), 1 + 1);
	});
}

#[test]
fn deposit_rejects_bad_input() {
	run_test(|| {
		assert_noop!(
			Escrow::deposit(RuntimeOrigin::signed(1), 1, 10),
			Error::<Test>::UnknownAccount
		);
		open(1, 1, 100);
		assert_noop!(Escrow::deposit(RuntimeOrigin::signed(2), 1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::deposit(RuntimeOrigin::none(), 1, 10), BadOrigin);
		// Neither the owner nor a third party can deposit more than it can spend.
		assert_noop!(
			Escrow::deposit(RuntimeOrigin::signed(1), 1, ENDOWMENT),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			Escrow::deposit(RuntimeOrigin::signed(2), 1, ENDOWMENT),
			TokenError::FundsUnavailable
		);
	});
}
