use crate::{mock::*, Accounts, Due, Error, EscrowAccount, Event, Stream};
use ccre_primitives::{Escrow as _, EscrowView, Settlement};
use frame_support::{assert_noop, assert_ok, assert_storage_noop};
use sp_runtime::TokenError;

#[test]
fn open_holds_the_owners_funds() {
	run_test(|| {
		assert_ok!(Escrow::open(1, &1, 100));
		assert_eq!(held(1), 100);
		assert_eq!(free(1), ENDOWMENT - 100);
		assert_eq!(
			account(1),
			EscrowAccount { owner: 1, balance: 100, paid: 0, stream: None, due_at: None }
		);
		assert_eq!(last_event(), Event::Opened { order: 1, owner: 1, amount: 100 }.into());
		// A second deployment of the same owner adds to the same hold.
		open(2, 1, 50);
		assert_eq!(held(1), 150);
	});
}

#[test]
fn open_rejects_bad_input() {
	run_test(|| {
		open(1, 1, 100);
		assert_noop!(Escrow::open(1, &2, 100), Error::<Test>::AccountExists);
		assert_noop!(Escrow::open(2, &2, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::open(2, &2, ENDOWMENT), TokenError::FundsUnavailable);
	});
}

#[test]
fn start_stream_schedules_the_first_settlement() {
	run_test(|| {
		open(1, 1, 1_000);
		assert_ok!(Escrow::start_stream(1, &5, 10, None));
		assert_eq!(
			account(1).stream,
			Some(Stream { payee: 5, rate: 10, settled_at: 1, ends_at: None })
		);
		assert_eq!(account(1).due_at, Some(11));
		assert!(Due::<Test>::contains_key(11, 1));
		assert_eq!(last_event(), Event::StreamStarted { order: 1, payee: 5, rate: 10 }.into());
		// A stream that runs out within the interval is due when it runs out.
		open(2, 2, 35);
		start(2, 5, 10);
		assert_eq!(account(2).due_at, Some(4));
	});
}

#[test]
fn start_stream_rejects_bad_input() {
	run_test(|| {
		assert_noop!(Escrow::start_stream(1, &5, 10, None), Error::<Test>::UnknownAccount);
		open(1, 1, 100);
		assert_noop!(Escrow::start_stream(1, &5, 0, None), Error::<Test>::ZeroRate);
		start(1, 5, 10);
		assert_noop!(Escrow::start_stream(1, &6, 10, None), Error::<Test>::StreamExists);
	});
}

#[test]
fn settle_pays_the_provider_and_splits_the_take_exactly() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		run_to_block(5);
		// Anyone may settle. Four blocks at 10: 40; the 10% take of 4 splits 2 and 2.
		assert_ok!(Escrow::settle(RuntimeOrigin::signed(3), 1));
		assert_eq!(
			last_event(),
			Event::Settled { order: 1, to_provider: 36, to_treasury: 2, to_pool: 2, settled_to: 5 }
				.into()
		);
		assert_eq!(free(5), ENDOWMENT + 36);
		assert_eq!(free(TREASURY), 1 + 2);
		assert_eq!(free(INSURANCE_POOL), 1 + 2);
		assert_eq!(held(1), 960);
		assert_eq!(free(1), ENDOWMENT - 1_000);
		let account = account(1);
		assert_eq!((account.balance, account.paid), (960, 40));
		assert_eq!(account.due_at, Some(15));
		assert!(!Due::<Test>::contains_key(11, 1));
		assert!(Due::<Test>::contains_key(15, 1));

		// Three more blocks: 30, a take of 3; the pool's half rounds down.
		run_to_block(8);
		assert_ok!(Escrow::settle(RuntimeOrigin::signed(3), 1));
		assert_eq!(
			last_event(),
			Event::Settled { order: 1, to_provider: 27, to_treasury: 2, to_pool: 1, settled_to: 8 }
				.into()
		);
		assert_eq!(free(5), ENDOWMENT + 63);
		assert_eq!(free(TREASURY), 1 + 4);
		assert_eq!(free(INSURANCE_POOL), 1 + 3);

		// Nothing more is due in the same block: nothing moves and nothing is reported.
		let events = System::events().len();
		assert_ok!(Escrow::settle(RuntimeOrigin::signed(3), 1));
		assert_eq!(System::events().len(), events);
	});
}

#[test]
fn the_take_follows_governance() {
	run_test(|| {
		TakeRate::set(sp_runtime::Perbill::from_percent(20));
		InsuranceShare::set(sp_runtime::Perbill::from_percent(25));
		open(1, 1, 1_000);
		start(1, 5, 10);
		run_to_block(11);
		// 100 due: a take of 20, a quarter of it to the pool.
		assert_eq!(free(5), ENDOWMENT + 80);
		assert_eq!(free(TREASURY), 1 + 15);
		assert_eq!(free(INSURANCE_POOL), 1 + 5);
	});
}

#[test]
fn settle_rejects_bad_input() {
	run_test(|| {
		assert_noop!(Escrow::settle(RuntimeOrigin::signed(1), 1), Error::<Test>::UnknownAccount);
		open(1, 1, 100);
		assert_noop!(Escrow::settle(RuntimeOrigin::signed(1), 1), Error::<Test>::NoStream);
	});
}

#[test]
fn close_settles_and_refunds_the_rest() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		run_to_block(6);
		assert_eq!(Escrow::close(1), Ok(Settlement { paid: 50, refunded: 950 }));
		assert_eq!(last_event(), Event::Closed { order: 1, paid: 50, refunded: 950 }.into());
		assert_eq!(held(1), 0);
		assert_eq!(free(1), ENDOWMENT - 50);
		assert_eq!(free(5), ENDOWMENT + 45);
		assert_eq!(free(TREASURY), 1 + 3);
		assert_eq!(free(INSURANCE_POOL), 1 + 2);
		assert!(!Accounts::<Test>::contains_key(1));
		assert_eq!(Due::<Test>::iter().count(), 0);
		// The caller closed it: the lease pallet is not told it ran out.
		assert!(exhausted().is_empty());

		// Without a stream everything goes back.
		open(2, 2, 300);
		assert_eq!(Escrow::close(2), Ok(Settlement { paid: 0, refunded: 300 }));
		assert_eq!(held(2), 0);
		assert_eq!(free(2), ENDOWMENT);

		assert_noop!(Escrow::close(3), Error::<Test>::UnknownAccount);
	});
}

#[test]
fn the_view_is_settled_to_the_current_block_without_writing() {
	run_test(|| {
		open(1, 1, 1_000);
		start(1, 5, 10);
		open(2, 2, 300);
		run_to_block(5);
		assert_storage_noop!(assert_eq!(
			Escrow::escrow_view(1),
			Some(EscrowView {
				owner: 1,
				balance: 960,
				paid: 40,
				stream: Some((5, 10)),
				blocks_left: Some(96),
				runs_out_at: Some(101),
				vesting: 0,
			})
		));
		assert_eq!(account(1).paid, 0);
		assert_eq!(Escrow::balance_of(1), Some(960));
		assert_eq!(
			Escrow::escrow_view(2),
			Some(EscrowView {
				owner: 2,
				balance: 300,
				paid: 0,
				stream: None,
				blocks_left: None,
				runs_out_at: None,
				vesting: 0,
			})
		);
		assert_eq!(Escrow::escrow_view(3), None);
		assert_eq!(Escrow::balance_of(3), None);
	});
}
