//! Token-holder governance: referenda submitted, voted on with conviction, passed and enacted
//! by the scheduler. One on the root track changes the take rate and the next settlement takes
//! the new rate; one on the market track changes the SLA defaults of later orders; the market
//! track's origin governs the market and cannot do what only root may.

mod common;

use ccre_primitives::Escrow as _;
use ccre_runtime::{
	origins::Origin,
	parameters::{
		dynamic_params::{market, sla},
		RuntimeParameters,
	},
	Balances, ConvictionVoting, Escrow, InsurancePoolAccount, Orders, OriginCaller, Preimage,
	Referenda, RuntimeCall, RuntimeOrigin, TreasuryAccount, CCRE,
};
use codec::Encode;
use common::{preset_ext, start_block};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, schedule::DispatchTime, Bounded, Get},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Hash as _, DispatchError, Perbill};

/// Submits `call` as a referendum dispatched as `origin` (which picks its track), has four
/// token holders vote for it with most of their balance, and runs blocks from block 2 until
/// `enacted` says it took effect; returns that block.
fn pass_referendum(origin: OriginCaller, call: RuntimeCall, enacted: impl Fn() -> bool) -> u32 {
	let proposal = call.encode();
	let hash = <ccre_runtime::Runtime as frame_system::Config>::Hashing::hash(&proposal);
	let proposer = RuntimeOrigin::signed(Alice.to_account_id());
	let index = pallet_referenda::ReferendumCount::<ccre_runtime::Runtime>::get();
	assert_ok!(Preimage::note_preimage(proposer.clone(), proposal.clone()));
	assert_ok!(Referenda::submit(
		proposer.clone(),
		Box::new(origin),
		Bounded::Lookup { hash, len: proposal.len() as u32 },
		DispatchTime::After(0),
	));
	assert_ok!(Referenda::place_decision_deposit(proposer, index));
	// Four token holders lock most of their balance behind it for a week each.
	for voter in [Bob, Charlie, Dave, Eve] {
		assert_ok!(ConvictionVoting::vote(
			RuntimeOrigin::signed(voter.to_account_id()),
			index,
			AccountVote::Standard {
				vote: Vote { aye: true, conviction: Conviction::Locked1x },
				balance: 900_000 * CCRE,
			},
		));
	}
	for block in 2..=1_000 {
		start_block(block);
		if enacted() {
			return block;
		}
	}
	panic!("the referendum was not enacted within 1 000 blocks");
}

#[test]
fn a_referendum_changes_the_take_rate_and_the_next_settlement_uses_it() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		assert_eq!(market::TakeRate::get(), Perbill::from_percent(2));
		let call =
			RuntimeCall::MarketParameters(ccre_runtime::market_parameters::Call::set_parameter {
				key_value: RuntimeParameters::Market(market::Parameters::TakeRate(
					market::TakeRate,
					Some(Perbill::from_percent(5)),
				)),
			});
		// Ten minutes of preparation, an hour of confirmation, ten minutes to enactment.
		let enacted_at =
			pass_referendum(OriginCaller::system(frame_system::RawOrigin::Root), call, || {
				market::TakeRate::get() == Perbill::from_percent(5)
			});
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

#[test]
fn a_referendum_on_the_market_track_changes_the_sla_defaults_of_later_orders() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let availability = Perbill::from_percent(95);
		let call =
			RuntimeCall::MarketParameters(ccre_runtime::market_parameters::Call::set_parameter {
				key_value: RuntimeParameters::Sla(sla::Parameters::DefaultAvailability(
					sla::DefaultAvailability,
					Some(availability),
				)),
			});
		// The market track confirms in half an hour, sooner than root.
		let enacted_at = pass_referendum(OriginCaller::Origins(Origin::MarketAdmin), call, || {
			sla::DefaultAvailability::get() == availability
		});
		assert!((400..=600).contains(&enacted_at), "enacted at block {enacted_at}");

		let tenant = RuntimeOrigin::signed(Ferdie.to_account_id());
		assert_ok!(Orders::create_order(tenant, common::one_core_orders(1, 3), 100 * CCRE));
		let order = Orders::order_view(0).expect("placed");
		assert_eq!(order.terms.sla.map(|sla| sla.availability), Some(availability));
	});
}

#[test]
fn the_market_track_governs_the_market_and_nothing_else() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let market_admin: RuntimeOrigin = Origin::MarketAdmin.into();
		assert_ok!(ccre_runtime::Providers::add_auditor(market_admin.clone(), Bob.to_account_id()));
		assert_ok!(ccre_runtime::Arbitrators::set_members(
			market_admin.clone(),
			vec![Bob.to_account_id(), Charlie.to_account_id()],
			None,
			3,
		));
		// Root's powers stay root's.
		assert_noop!(
			frame_system::Pallet::<ccre_runtime::Runtime>::set_code(market_admin.clone(), vec![]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Balances::force_set_balance(market_admin, Bob.to_account_id().into(), 0),
			DispatchError::BadOrigin
		);
	});
}
