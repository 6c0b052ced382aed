//! Replays the fuzzer's corpus (`fuzz/corpus/runtime`) through the harness, without libFuzzer:
//! every input the fuzzer kept, and every crash it found once, checked again by the ordinary
//! tests.

use std::{fs, path::PathBuf};

#[test]
fn every_corpus_input_keeps_every_invariant() {
	let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/runtime");
	let mut inputs: Vec<_> = fs::read_dir(&corpus)
		.unwrap_or_else(|error| panic!("{}: {error}", corpus.display()))
		.map(|entry| entry.expect("a corpus entry").path())
		.collect();
	inputs.sort();
	assert!(!inputs.is_empty(), "the corpus is empty");
	let mut total = ccre_runtime_fuzz::Report::default();
	for input in &inputs {
		let data = fs::read(input).unwrap_or_else(|error| panic!("{}: {error}", input.display()));
		total.add(&ccre_runtime_fuzz::run(&data));
	}
	println!("replayed {} inputs: {total:?}", inputs.len());
}

/// A scripted market day through the harness: a tenant orders, both providers bid, the winner
/// starts the lease and stops reporting, the tenant claims for the downtime and disputes the
/// rest, the arbitrator upholds it, and the tenant closes and reaps. Every invariant holds after
/// every block, and the run gets as far as the fuzzer's inputs must be able to.
#[test]
fn a_scripted_market_day_reaches_every_stage_and_keeps_every_invariant() {
	use ccre_runtime_fuzz::{Action, Call, Tenths, Who};
	let call = |who, call| Action::Call { who, call };
	let blocks = |blocks| Action::Blocks { blocks };
	let report = ccre_runtime_fuzz::run_actions(vec![
		call(
			Who::Charlie,
			Call::CreateOrder {
				units: 1,
				cores: 2,
				max_price: Tenths(10),
				funding: Tenths(600),
				duration: None,
				bid_window: 2,
				order_type: 0,
				second_price: false,
				audited: false,
				availability: 100,
				credit_rate: 100,
			},
		),
		call(Who::Alice, Call::PlaceBid { order: 0, price: Tenths(10) }),
		call(Who::Bob, Call::PlaceBid { order: 0, price: Tenths(9) }),
		blocks(3),
		call(Who::Bob, Call::Start { lease: 0 }),
		blocks(199),
		blocks(199),
		call(Who::Charlie, Call::ClaimDowntime { lease: 0 }),
		blocks(50),
		call(Who::Charlie, Call::FileClaim { lease: 0, amount: Tenths(20) }),
		call(Who::Bob, Call::AnswerClaim { claim: 0 }),
		blocks(1),
		Action::Decide { claim: 0, award: Some(Tenths(20)) },
		blocks(1),
		call(Who::Charlie, Call::Close { lease: 0, reason: 0 }),
		call(Who::Charlie, Call::Reap { lease: 0 }),
		blocks(1),
	]);
	println!("{report:?}");
	assert_eq!((report.leases_opened, report.leases_started, report.leases_closed), (1, 1, 1));
	assert_eq!(report.compensations, 2, "the downtime claim and the upheld dispute");
	assert_eq!(report.failed, 0, "every scripted call went through");
}
