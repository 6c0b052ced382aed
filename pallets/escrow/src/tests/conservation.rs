//! Funds are conserved whatever happens: random sequences of every operation, with the sweep's
//! budget changing under them, never mint, burn or lose a unit, and the invariants hold after
//! every step.

use crate::{mock::*, Accounts, Due};
use ccre_primitives::{Escrow as _, OrderId};
use frame_support::traits::fungible::Inspect;
use proptest::prelude::*;

/// Everyone an operation can touch.
const PEOPLE: [AccountId; 6] = [1, 2, 3, 4, 5, 6];

#[derive(Clone, Debug)]
enum Op {
	Open { order: OrderId, owner: AccountId, amount: Balance },
	Deposit { order: OrderId, from: AccountId, amount: Balance },
	StartStream { order: OrderId, payee: AccountId, rate: Balance },
	Settle { order: OrderId, caller: AccountId },
	Close { order: OrderId },
	Advance { blocks: u64 },
	Budget { items: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	let order = || 0u64..4;
	let who = || 1u64..=6;
	prop_oneof![
		(order(), who(), 0u64..600).prop_map(|(order, owner, amount)| Op::Open {
			order,
			owner,
			amount
		}),
		(order(), who(), 0u64..300).prop_map(|(order, from, amount)| Op::Deposit {
			order,
			from,
			amount
		}),
		(order(), who(), 0u64..40).prop_map(|(order, payee, rate)| Op::StartStream {
			order,
			payee,
			rate
		}),
		(order(), who()).prop_map(|(order, caller)| Op::Settle { order, caller }),
		order().prop_map(|order| Op::Close { order }),
		(1u64..25).prop_map(|blocks| Op::Advance { blocks }),
		(0u64..4).prop_map(|items| Op::Budget { items }),
	]
}

/// Applies `op`, ignoring refusals: a refused operation must change nothing, which the checks
/// after it catch if not.
fn apply(op: &Op) {
	match *op {
		Op::Open { order, owner, amount } => {
			let _ = Escrow::open(order, &owner, amount);
		},
		Op::Deposit { order, from, amount } => {
			let _ = Escrow::deposit(RuntimeOrigin::signed(from), order, amount);
		},
		Op::StartStream { order, payee, rate } => {
			let _ = Escrow::start_stream(order, &payee, rate, None);
		},
		Op::Settle { order, caller } => {
			let _ = Escrow::settle(RuntimeOrigin::signed(caller), order);
		},
		Op::Close { order } => {
			let _ = Escrow::close(order);
		},
		Op::Advance { blocks } => run_to_block(System::block_number() + blocks),
		Op::Budget { items } => SweepBudget::set(budget_for(3, items)),
	}
}

/// Everything the people and the market's accounts own, free and held.
fn total_owned() -> Balance {
	PEOPLE
		.iter()
		.chain([TREASURY, INSURANCE_POOL].iter())
		.map(|who| <Balances as Inspect<AccountId>>::total_balance(who))
		.sum()
}

fn check(issuance: Balance, owned: Balance) {
	assert_eq!(Balances::total_issuance(), issuance, "issuance changed");
	assert_eq!(total_owned(), owned, "funds moved outside the accounts in play");
	Escrow::do_try_state().unwrap_or_else(|e| panic!("try_state: {e:?}"));
	// try_state checks owners with accounts; nobody else may keep an escrow hold.
	for who in PEOPLE {
		let balances: Balance = Accounts::<Test>::iter_values()
			.filter(|account| account.owner == who)
			.map(|account| account.balance)
			.sum();
		assert_eq!(held(who), balances, "account {who}'s escrow hold");
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	#[test]
	fn funds_are_conserved(ops in proptest::collection::vec(op(), 1..40)) {
		run_test(|| {
			let issuance = Balances::total_issuance();
			let owned = total_owned();
			for op in &ops {
				apply(op);
				check(issuance, owned);
			}
			// Closing everything returns every held unit.
			SweepBudget::set(DEFAULT_BUDGET);
			for order in 0..4 {
				let _ = Escrow::close(order);
			}
			check(issuance, owned);
			for who in PEOPLE {
				assert_eq!(held(who), 0);
			}
		});
	}
}

#[test]
fn try_state_catches_a_lost_schedule() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		Due::<Test>::remove(11, 1);
		assert!(Escrow::do_try_state().is_err());
		Due::<Test>::insert(12, 1, ());
		assert!(Escrow::do_try_state().is_err());
		Due::<Test>::remove(12, 1);
		Due::<Test>::insert(11, 1, ());
		assert!(Escrow::do_try_state().is_ok());
	});
}
