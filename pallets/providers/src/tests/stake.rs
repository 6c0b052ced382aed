use crate::{mock::*, Error, Event, HoldReason, Stakes, UnlockChunk};
use ccre_primitives::{ProviderInspect, SlashReason, StakeSlashing};
use frame_support::{assert_noop, assert_ok, assert_storage_noop, traits::fungible::Inspect};

fn bonded(who: AccountId, amount: Balance) {
	register(who);
	assert_ok!(Providers::bond(RuntimeOrigin::signed(who), amount));
}

#[test]
fn bond_holds_stake_and_meets_the_minimum() {
	run_test(|| {
		register(1);
		assert!(!Providers::can_bid(&1));
		assert_ok!(Providers::bond(RuntimeOrigin::signed(1), 60));
		assert!(!Providers::can_bid(&1));
		assert_ok!(Providers::bond(RuntimeOrigin::signed(1), 40));
		assert!(Providers::can_bid(&1));
		assert_eq!(Providers::active_stake(&1), 100);
		assert_eq!(held(HoldReason::Stake, 1), 100);
		assert_eq!(last_event(), Event::Bonded { provider: 1, amount: 40 }.into());
		// Governance raising the minimum takes effect at once.
		MinimumStake::set(101);
		assert!(!Providers::can_bid(&1));
		MinimumStake::set(100);
	});
}

#[test]
fn bond_rejects_bad_input() {
	run_test(|| {
		assert_noop!(Providers::bond(RuntimeOrigin::signed(1), 10), Error::<Test>::NotRegistered);
		register(1);
		assert_noop!(Providers::bond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Providers::bond(RuntimeOrigin::signed(1), ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn unbond_then_withdraw_after_the_period() {
	run_test(|| {
		bonded(1, 300);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 100));
		assert_eq!(
			last_event(),
			Event::Unbonded { provider: 1, amount: 100, unlock_at: 11 }.into()
		);
		// A second unbond in the same block merges into the same chunk.
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 50));
		run_to_block(5);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 50));
		let ledger = Stakes::<Test>::get(1).expect("ledger");
		assert_eq!(ledger.active, 100);
		assert_eq!(
			ledger.unlocking.to_vec(),
			vec![
				UnlockChunk { value: 150, unlock_at: 11 },
				UnlockChunk { value: 50, unlock_at: 15 }
			]
		);
		// Unbonding stake no longer counts toward bidding.
		assert_eq!(Providers::active_stake(&1), 100);

		run_to_block(10);
		assert_noop!(
			Providers::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(11);
		let free = Balances::free_balance(1);
		assert_ok!(Providers::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::free_balance(1), free + 150);
		assert_eq!(last_event(), Event::Withdrawn { provider: 1, amount: 150 }.into());
		assert_eq!(held(HoldReason::Stake, 1), 150);
		run_to_block(20);
		assert_ok!(Providers::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held(HoldReason::Stake, 1), 100);
	});
}

#[test]
fn unbond_rejects_bad_input() {
	run_test(|| {
		assert_noop!(
			Providers::unbond(RuntimeOrigin::signed(1), 10),
			Error::<Test>::InsufficientActiveStake
		);
		bonded(1, 100);
		assert_noop!(Providers::unbond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Providers::unbond(RuntimeOrigin::signed(1), 101),
			Error::<Test>::InsufficientActiveStake
		);
		for block in 2..=4 {
			run_to_block(block);
			assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 1));
		}
		run_to_block(5);
		assert_noop!(
			Providers::unbond(RuntimeOrigin::signed(1), 1),
			Error::<Test>::TooManyUnlockingChunks
		);
		assert_noop!(
			Providers::withdraw_unbonded(RuntimeOrigin::signed(2)),
			Error::<Test>::NothingToWithdraw
		);
	});
}

#[test]
fn slash_takes_active_then_latest_unbonding_into_the_beneficiary() {
	run_test(|| {
		bonded(1, 300);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 100));
		run_to_block(2);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 100));
		// 100 active, chunks 100 @ 11 and 100 @ 12.
		assert_ok!(Providers::slash(&1, 150, &INSURANCE_POOL, SlashReason::UpheldClaim));
		let ledger = Stakes::<Test>::get(1).expect("ledger");
		assert_eq!(ledger.active, 0);
		assert_eq!(
			ledger.unlocking.to_vec(),
			vec![
				UnlockChunk { value: 100, unlock_at: 11 },
				UnlockChunk { value: 50, unlock_at: 12 }
			]
		);
		assert_eq!(held(HoldReason::Stake, 1), 150);
		assert_eq!(Balances::free_balance(INSURANCE_POOL), 1 + 150);
		assert_eq!(
			last_event(),
			Event::Slashed {
				provider: 1,
				amount: 150,
				beneficiary: INSURANCE_POOL,
				reason: SlashReason::UpheldClaim,
			}
			.into()
		);
		// Slashing everything left removes the ledger.
		assert_ok!(Providers::slash(&1, 150, &INSURANCE_POOL, SlashReason::MissedHeartbeats));
		assert!(Stakes::<Test>::get(1).is_none());
		assert_eq!(held(HoldReason::Stake, 1), 0);
		assert_eq!(
			<Balances as Inspect<AccountId>>::total_balance(&1)
				+ Balances::free_balance(INSURANCE_POOL),
			ENDOWMENT + 1
		);
	});
}

#[test]
fn slash_more_than_staked_changes_nothing() {
	run_test(|| {
		assert_storage_noop!(assert_eq!(
			Providers::slash(&1, 1, &INSURANCE_POOL, SlashReason::UpheldClaim),
			Err(Error::<Test>::InsufficientStake.into())
		));
		bonded(1, 100);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 40));
		assert_storage_noop!(assert_eq!(
			Providers::slash(&1, 101, &INSURANCE_POOL, SlashReason::UpheldClaim),
			Err(Error::<Test>::InsufficientStake.into())
		));
		assert_storage_noop!(assert_eq!(
			Providers::slash(&1, 0, &INSURANCE_POOL, SlashReason::UpheldClaim),
			Err(Error::<Test>::ZeroAmount.into())
		));
	});
}

#[test]
fn slash_can_fund_a_beneficiary_that_did_not_exist() {
	run_test(|| {
		bonded(1, 100);
		assert_ok!(Providers::slash(&1, 1, &77, SlashReason::UpheldClaim));
		assert_eq!(Balances::free_balance(77), 1);
	});
}

#[test]
fn stake_backing_active_leases_cannot_be_unbonded() {
	run_test(|| {
		bonded(1, 250);
		// Two leases paying 10 a block together, backed by 20 blocks of it: 200.
		MockLeases::set(1, 2, 10);
		assert_noop!(
			Providers::unbond(RuntimeOrigin::signed(1), 51),
			Error::<Test>::CollateralRequired
		);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 50));
		// Without leases, all of it may go.
		MockLeases::set(1, 0, 0);
		assert_ok!(Providers::unbond(RuntimeOrigin::signed(1), 200));
	});
}

#[test]
fn a_provider_takes_a_lease_only_with_room_and_stake_to_back_it() {
	run_test(|| {
		bonded(1, 250);
		MockLeases::set(1, 1, 10);
		// 10 + 2 a block, 20 blocks of it: 240 of 250.
		assert!(Providers::can_take_lease(&1, 2));
		assert!(!Providers::can_take_lease(&1, 3));
		// At its lease limit it takes no more, whatever its stake.
		MockLeases::set(1, MAX_LEASES, 0);
		assert!(!Providers::can_take_lease(&1, 1));
		// An unregistered account takes none.
		assert!(!Providers::can_take_lease(&2, 1));
	});
}
