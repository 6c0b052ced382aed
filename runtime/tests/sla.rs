//! Runtime integration test of the SLA: heartbeats, the insurance pool, a downtime claim paid
//! from heartbeats, and disputed claims decided by a motion of the arbitrators' council, all
//! through signed extrinsics and `Executive`.

mod common;

use ccre_primitives::{Downtime, StakeSlashing};
use ccre_runtime::{
	Balances, Executive, Providers, Runtime, RuntimeCall, RuntimeEvent, Sla, System, CCRE,
};
use codec::Encode;
use common::{become_provider, one_core_orders, preset_ext, signed, start_block, submit};
use frame_support::{traits::fungible::Inspect, weights::Weight};
use pallet_sla::{Event as SlaEvent, Ruling};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Charlie, Dave, Eve, Ferdie};
use sp_runtime::traits::Hash;

/// Blocks per SLA epoch in the runtime.
const EPOCH: u32 = 100;

fn sla_events() -> Vec<SlaEvent<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Sla(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn run_to(block: u32) {
	for number in System::block_number() + 1..=block {
		start_block(number);
	}
}

fn free(who: Sr25519Keyring) -> u128 {
	Balances::balance(&who.to_account_id())
}

/// Alice, a provider, wins Charlie's one-core order at 1 CCRE a block with the default SLA
/// (99%, fully credited) and starts it at block 5; Ferdie underwrites the pool with 10 000
/// CCRE. Returns the lease.
fn started_lease() -> u64 {
	start_block(1);
	become_provider(Alice);
	submit(pallet_sla::Call::underwrite { amount: 10_000 * CCRE }.into(), Ferdie);
	let terms = one_core_orders(1, 3);
	submit(pallet_orders::Call::create_order { terms, funding: 5_000 * CCRE }.into(), Charlie);
	submit(pallet_orders::Call::place_bid { order: 0, price: CCRE }.into(), Alice);
	run_to(5);
	submit(pallet_leases::Call::start { lease: 0 }.into(), Alice);
	0
}

#[test]
fn a_provider_that_stops_heartbeats_pays_the_tenant_back_from_its_earnings() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let lease = started_lease();
		// Epoch 1 is the lease's first whole epoch. A valid heartbeat costs nothing.
		run_to(EPOCH);
		let before = free(Alice);
		submit(
			pallet_sla::Call::heartbeat { leases: vec![lease].try_into().unwrap() }.into(),
			Alice,
		);
		assert_eq!(free(Alice), before, "a valid heartbeat is free");
		// A second one in the same epoch is refused, and pays its fee.
		let nonce = System::account_nonce(Alice.to_account_id());
		let call: RuntimeCall =
			pallet_sla::Call::heartbeat { leases: vec![lease].try_into().unwrap() }.into();
		let outcome = Executive::apply_extrinsic(signed(call, Alice, nonce, 0));
		assert!(matches!(outcome, Ok(Err(_))), "{outcome:?}");
		assert!(free(Alice) < before, "a refused heartbeat pays its fee");

		// Alice stops reporting. In epoch 4, epochs 1 to 3 are whole: served in one.
		run_to(4 * EPOCH);
		assert_eq!(Sla::pending_downtime(lease), Some(Downtime { epochs: 3, served: 1 }));
		let stake = Providers::slashable(&Alice.to_account_id());
		submit(pallet_sla::Call::claim_downtime { lease }.into(), Charlie);
		// Two missed epochs of 100 blocks at 1 CCRE, credited in full, from what Alice was paid
		// for them and still has held: neither her stake nor the pool pays.
		let credit = 200 * CCRE;
		assert!(sla_events().contains(&SlaEvent::DowntimeCompensated {
			lease,
			tenant: Charlie.to_account_id(),
			provider: Alice.to_account_id(),
			epochs: 3,
			served: 1,
			credit,
			clawed_back: credit,
			paid: 0,
			slashed: 0,
		}));
		assert_eq!(Providers::slashable(&Alice.to_account_id()), stake);
		assert_eq!(Sla::do_try_state(), Ok(()));
	});
}

/// Dave proposes `call` to the arbitrators, Dave and Eve vote for it, and Dave closes the
/// motion, which dispatches `call` with the origin of two of three arbitrators.
fn arbitrators_pass(call: RuntimeCall) {
	let length_bound = call.encoded_size() as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	submit(
		pallet_collective::Call::<Runtime, pallet_collective::Instance1>::propose {
			threshold: 2,
			proposal: Box::new(call),
			length_bound,
		}
		.into(),
		Dave,
	);
	for arbitrator in [Dave, Eve] {
		submit(
			pallet_collective::Call::<Runtime, pallet_collective::Instance1>::vote {
				proposal: hash,
				index,
				approve: true,
			}
			.into(),
			arbitrator,
		);
	}
	submit(
		pallet_collective::Call::<Runtime, pallet_collective::Instance1>::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: Weight::from_parts(10_000_000_000, 1_000_000),
			length_bound,
		}
		.into(),
		Dave,
	);
}

#[test]
fn disputed_claims_are_upheld_or_rejected_by_a_majority_of_the_arbitrators() {
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let lease = started_lease();
		// 95 blocks at 1 CCRE paid, and at risk.
		run_to(100);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
		submit(
			pallet_sla::Call::file_claim { lease, amount: 50 * CCRE, evidence: [1; 32] }.into(),
			Charlie,
		);
		submit(pallet_sla::Call::answer_claim { claim: 0, evidence: [2; 32] }.into(), Alice);
		let uphold: RuntimeCall = pallet_sla::Call::decide_claim {
			claim: 0,
			ruling: Ruling::Uphold { award: 40 * CCRE },
		}
		.into();

		// One arbitrator alone is not a majority: the motion runs, the decision is refused.
		submit(
			pallet_collective::Call::<Runtime, pallet_collective::Instance1>::propose {
				threshold: 1,
				proposal: Box::new(uphold.clone()),
				length_bound: uphold.encoded_size() as u32,
			}
			.into(),
			Dave,
		);
		assert!(pallet_sla::Claims::<Runtime>::contains_key(0));

		let charlie_before = free(Charlie);
		arbitrators_pass(uphold);
		assert!(sla_events().contains(&SlaEvent::ClaimUpheld {
			claim: 0,
			award: 40 * CCRE,
			clawed_back: 40 * CCRE,
			paid: 0,
			slashed: 0,
		}));
		// The award and the deposit back (10 CCRE), less the fees of nothing Charlie sent.
		assert_eq!(free(Charlie), charlie_before + 40 * CCRE + 10 * CCRE);

		submit(
			pallet_sla::Call::file_claim { lease, amount: 50 * CCRE, evidence: [3; 32] }.into(),
			Charlie,
		);
		submit(pallet_sla::Call::answer_claim { claim: 1, evidence: [4; 32] }.into(), Alice);
		arbitrators_pass(
			pallet_sla::Call::decide_claim { claim: 1, ruling: Ruling::Reject }.into(),
		);
		assert!(sla_events().contains(&SlaEvent::ClaimRejected { claim: 1, forfeited: 10 * CCRE }));
		assert!(!pallet_sla::Claims::<Runtime>::contains_key(1));
		assert_eq!(Sla::do_try_state(), Ok(()));
	});
}
