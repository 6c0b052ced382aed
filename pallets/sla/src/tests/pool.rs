use crate::{mock::*, Error, Event, TotalShares, Underwriters, Underwriting};
use frame_support::{assert_noop, assert_ok, traits::fungible::Mutate};
use proptest::prelude::*;

fn underwrite(who: AccountId, amount: Balance) -> frame_support::dispatch::DispatchResult {
	Sla::underwrite(RuntimeOrigin::signed(who), amount)
}

fn withdraw(who: AccountId, shares: Balance) -> frame_support::dispatch::DispatchResult {
	Sla::withdraw_underwriting(RuntimeOrigin::signed(who), shares)
}

fn shares(who: AccountId) -> Balance {
	Underwriters::<Test>::get(who).map_or(0, |record| record.shares)
}

#[test]
fn an_underwriter_earns_its_share_of_the_take_and_withdraws_after_the_lock_up() {
	run_test(|| {
		assert_ok!(underwrite(UNDERWRITER, 1_000));
		assert_eq!(
			last_event(),
			Event::Underwritten {
				underwriter: UNDERWRITER,
				amount: 1_000,
				shares: 1_000,
				unlocks_at: 21
			}
		);
		// A lease pays for 100 blocks; 5% of each payment reaches the pool.
		let lease = started_lease(TENANT, PROVIDER);
		run_to_block(110);
		assert_ok!(pallet_escrow::Pallet::<Test>::settle(RuntimeOrigin::signed(TENANT), lease));
		let earned = Sla::pool_value() - 1_000;
		assert_eq!(earned, 50);
		// A later underwriter buys in at the higher price and does not share the earlier take.
		assert_ok!(underwrite(OTHER_UNDERWRITER, 1_050));
		assert_eq!(shares(OTHER_UNDERWRITER), 1_000);
		assert_noop!(withdraw(OTHER_UNDERWRITER, 1_000), Error::<Test>::StillLocked);

		let before = free(UNDERWRITER);
		assert_ok!(withdraw(UNDERWRITER, 1_000));
		assert_eq!(
			last_event(),
			Event::UnderwritingWithdrawn { underwriter: UNDERWRITER, shares: 1_000, amount: 1_050 }
		);
		assert_eq!(free(UNDERWRITER), before + 1_050);
		assert!(!Underwriters::<Test>::contains_key(UNDERWRITER));
		assert_eq!(TotalShares::<Test>::get(), 1_000);
	});
}

#[test]
fn what_the_pool_held_before_its_first_underwriter_stays_the_markets() {
	run_test(|| {
		assert_ok!(Balances::mint_into(&INSURANCE_POOL, 500));
		assert_ok!(underwrite(UNDERWRITER, 1_000));
		assert_eq!(shares(UNDERWRITER), 1_000);
		assert_eq!(TotalShares::<Test>::get(), 1_500);
		run_to_block(21);
		assert_ok!(withdraw(UNDERWRITER, 1_000));
		assert_eq!(Sla::pool_value(), 500);
	});
}

#[test]
fn a_top_up_locks_all_of_an_underwriters_shares_again() {
	run_test(|| {
		assert_ok!(underwrite(UNDERWRITER, 100));
		run_to_block(15);
		assert_ok!(underwrite(UNDERWRITER, 100));
		assert_eq!(
			Underwriters::<Test>::get(UNDERWRITER),
			Some(Underwriting { shares: 200, unlocks_at: 35 })
		);
		run_to_block(34);
		assert_noop!(withdraw(UNDERWRITER, 100), Error::<Test>::StillLocked);
		run_to_block(35);
		assert_ok!(withdraw(UNDERWRITER, 100));
		assert_eq!(shares(UNDERWRITER), 100);
	});
}

#[test]
fn bad_underwriting_is_refused_and_changes_nothing() {
	run_test(|| {
		assert_noop!(underwrite(UNDERWRITER, 9), Error::<Test>::BelowMinimum);
		assert!(underwrite(UNDERWRITER, ENDOWMENT * 2).is_err());
		assert_noop!(withdraw(UNDERWRITER, 1), Error::<Test>::NotUnderwriter);
		assert_ok!(underwrite(UNDERWRITER, 100));
		assert_noop!(withdraw(UNDERWRITER, 0), Error::<Test>::ZeroShares);
		assert_noop!(withdraw(UNDERWRITER, 101), Error::<Test>::InsufficientShares);
		assert_noop!(withdraw(UNDERWRITER, 100), Error::<Test>::StillLocked);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Whatever the deposits, donations and withdrawals, no one takes out more than was put
	/// in plus what was donated, and rounding never favours the one leaving.
	#[test]
	fn the_pool_pays_out_no_more_than_came_in(
		steps in prop::collection::vec((0u8..3, 0usize..2, 10u64..5_000), 1..20),
	) {
		run_test(|| {
			let underwriters = [UNDERWRITER, OTHER_UNDERWRITER];
			let mut put_in = 0u64;
			let mut taken_out = 0u64;
			for (kind, who, amount) in steps {
				let who = underwriters[who];
				match kind {
					0 => if underwrite(who, amount).is_ok() { put_in += amount },
					1 => { let _ = Balances::mint_into(&INSURANCE_POOL, amount); put_in += amount },
					_ => {
						run_to_block(System::block_number() + 20);
						let before = free(who);
						if withdraw(who, shares(who).min(amount)).is_ok() {
							taken_out += free(who) - before;
						}
					},
				}
				assert!(taken_out <= put_in);
				assert_eq!(Sla::pool_value(), put_in - taken_out);
			}
		});
	}
}
