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
		let report = ccre_runtime_fuzz::run(&data);
		total.blocks += report.blocks;
		total.extrinsics += report.extrinsics;
		total.failed += report.failed;
		total.worst_time_to_weight = total.worst_time_to_weight.max(report.worst_time_to_weight);
	}
	println!(
		"replayed {} inputs: {} blocks, {} extrinsics ({} refused by the runtime), worst \
		 time to weight {:.2}",
		inputs.len(),
		total.blocks,
		total.extrinsics,
		total.failed,
		total.worst_time_to_weight
	);
}
