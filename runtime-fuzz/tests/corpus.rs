//! Replays the fuzzer's corpus (`fuzz/corpus/runtime`, or the directory `CCRE_FUZZ_CORPUS`
//! names) through the harness, without libFuzzer: every input the fuzzer kept, and every crash
//! it found once, checked again by the ordinary tests.

use std::{fs, path::PathBuf};

#[test]
fn every_corpus_input_keeps_every_invariant() {
	let corpus = std::env::var_os("CCRE_FUZZ_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/runtime")
	});
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
	// A step the block goes on after, and one the block ends after, with 0, 3 or 255 empty
	// blocks going by (see `Action::then`).
	let call = |who, call| Action { who, call, then: 0 };
	let end = |who, call, then| Action { who, call, then };
	let (next, three, many) = (192, 203, 236);
	// One unit of a core (`units` and `cores` count from one and half a core), up to 1 CCRE a
	// block, 600 CCRE in escrow.
	let report = ccre_runtime_fuzz::run_actions(vec![
		call(
			Who::Charlie,
			Call::CreateOrder {
				units: 0,
				cores: 1,
				max_price: Tenths(10),
				funding: Tenths(60),
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
		// The window closes and Bob wins.
		end(Who::Bob, Call::PlaceBid { order: 0, price: Tenths(9) }, three),
		// Bob starts and goes silent for four whole epochs.
		end(Who::Bob, Call::Start { lease: 0 }, many),
		end(Who::Bob, Call::Settle { order: 0 }, many),
		call(Who::Charlie, Call::ClaimDowntime { lease: 0 }),
		end(Who::Charlie, Call::FileClaim { lease: 0, amount: Tenths(20) }, next),
		end(Who::Bob, Call::AnswerClaim { claim: 0 }, next),
		end(Who::Alice, Call::Decide { claim: 0, award: Some(Tenths(20)) }, next),
		call(Who::Charlie, Call::Close { lease: 0, reason: 0 }),
		end(Who::Charlie, Call::Reap { lease: 0 }, next),
	]);
	println!("{report:?}");
	assert_eq!((report.leases_opened, report.leases_started, report.leases_closed), (1, 1, 1));
	assert_eq!(report.compensations, 2, "the downtime claim and the upheld dispute");
	assert_eq!(report.failed, 0, "every scripted call went through");
}
