//! Token-holder governance: a referendum to change the market's take rate is submitted,
//! voted on with conviction, passes on the root track, is enacted by the scheduler, and the
//! next settlement takes the new rate.

mod common;

use ccre_primitives::Escrow as _;
use ccre_runtime::{
	parameters::{dynamic_params::market, RuntimeParameters},
	Balances, ConvictionVoting, Escrow, InsurancePoolAccount, OriginCaller, Preimage, Referenda,
	RuntimeCall, RuntimeOrigin, TreasuryAccount, CCRE,
};
use codec::Encode;
use common::{preset_ext, start_block};
use frame_support::{
	assert_ok,
	traits::{fungible::Inspect, schedule::DispatchTime, Bounded, Get},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Hash as _, Perbill};

#[test]
fn a_referendum_changes_the_take_rate_and_the_next_settlement_uses_it() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		assert_eq!(market::TakeRate::get(), Perbill::from_percent(2));

		let proposal = RuntimeCall::Parameters(pallet_parameters::Call::set_parameter {
			key_value: RuntimeParameters::Market(market::Parameters::TakeRate(
				market::TakeRate,
				Some(Perbill::from_percent(5)),
			)),
		})
		.encode();
		let hash = <ccre_runtime::Runtime as frame_system::Config>::Hashing::hash(&proposal);
		let proposer = RuntimeOrigin::signed(Alice.to_account_id());
		assert_ok!(Preimage::note_preimage(proposer.clone(), proposal.clone()));
		assert_ok!(Referenda::submit(
			proposer.clone(),
			Box::new(OriginCaller::system(frame_system::RawOrigin::Root)),
			Bounded::Lookup { hash, len: proposal.len() as u32 },
			DispatchTime::After(0),
		));
		assert_ok!(Referenda::place_decision_deposit(proposer, 0));
		// Four token holders lock most of their balance behind it for a week each.
		for voter in [Bob, Charlie, Dave, Eve] {
			assert_ok!(ConvictionVoting::vote(
				RuntimeOrigin::signed(voter.to_account_id()),
				0,
				AccountVote::Standard {
					vote: Vote { aye: true, conviction: Conviction::Locked1x },
					balance: 900_000 * CCRE,
				},
			));
		}

		// Ten minutes of preparation, an hour of confirmation, ten minutes to enactment.
		let mut enacted_at = None;
		for block in 2..=1_000 {
			start_block(block);
			if market::TakeRate::get() == Perbill::from_percent(5) {
				enacted_at = Some(block);
				break;
			}
		}
		let enacted_at = enacted_at.expect("the referendum passed and was enacted");
		assert!((700..=900).contains(&enacted_at), "enacted at block {enacted_at}");

		// The next settlement takes 5%, half of it to the pool.
		let tenant = Ferdie.to_account_id();
		let payee = Bob.to_account_id();
		let pool_before = Balances::balance(&InsurancePoolAccount::get());
		let treasury_before = Balances::balance(&TreasuryAccount::get());
		assert_ok!(Escrow::open(1_000, &tenant, 1_000 * CCRE));
		assert_ok!(Escrow::start_stream(1_000, &payee, CCRE, None));
		for block in enacted_at + 1..=enacted_at + 10 {
			start_block(block);
		}
		let settled = Escrow::close(1_000).expect("closes");
		assert_eq!(settled.paid, 10 * CCRE);
		assert_eq!(Balances::balance(&InsurancePoolAccount::get()) - pool_before, CCRE / 4);
		assert_eq!(Balances::balance(&TreasuryAccount::get()) - treasury_before, CCRE / 4);
	});
}
