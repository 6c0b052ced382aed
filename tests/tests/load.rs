//! Bursts of presigned transactions through `ccre bench` against a dev node: what the pool
//! accepts is included, or the node says why not. Counts only; the rates the same command
//! prints on a release node are in the README.

use ccre_e2e::{ccre, deployment::dev_node};
use serde_json::Value;

/// Runs `ccre bench` as Alice with `args` and returns its JSON figures.
fn bench(url: &str, args: &[&str]) -> Value {
	let mut command = vec!["bench", "--json"];
	command.extend_from_slice(args);
	let (ok, stdout, stderr) = ccre(url, Some("//Alice"), &command);
	assert!(ok, "ccre bench failed:\n{stderr}\n{stdout}");
	serde_json::from_str(stdout.trim())
		.unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

/// Every transaction of every workload was accepted and finalized, and none failed.
fn assert_all_included(figures: &Value) {
	let workloads = figures["workloads"].as_array().expect("the workloads' figures");
	assert!(!workloads.is_empty(), "no workload ran: {figures}");
	for workload in workloads {
		let count = |field: &str| workload[field].as_u64().expect(field);
		assert_eq!(
			count("included") + count("dropped"),
			count("accepted"),
			"accepted transactions neither included nor reported dropped: {workload}"
		);
		assert_eq!(count("lost") + count("unwatched"), 0, "{workload}");
		assert_eq!(count("accepted"), count("submitted"), "the pool refused some: {workload}");
		assert_eq!(count("included"), count("submitted"), "some were dropped: {workload}");
		assert_eq!(count("failed"), 0, "some failed in their blocks: {workload}");
	}
}

/// On one dev node, in turn: ten thousand transfers from ten accounts at once, more than
/// sc-cli's default pool held (8 192), whose overflow the node used to drop after accepting it;
/// two thousand orders from eight accounts; then ten bids on each of a hundred orders that
/// close together. Every one is included, and every order with bids is matched.
#[test]
fn bursts_of_transfers_orders_and_bids_are_included_whole() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let (_node, url) = dev_node(dir.path());
	let transfers =
		bench(&url, &["--workload", "transfer", "--count", "10000", "--accounts", "10"]);
	assert_all_included(&transfers);
	let orders = bench(&url, &["--workload", "order", "--count", "2000", "--accounts", "8"]);
	assert_all_included(&orders);
	let bids = bench(
		&url,
		&["--workload", "bid", "--count", "1000", "--accounts", "8", "--bid-window", "10"],
	);
	assert_all_included(&bids);
	let matched: u64 = bids["matching"]
		.as_array()
		.expect("the matching's figures")
		.iter()
		.map(|block| block["matched"].as_u64().expect("matched"))
		.sum();
	assert_eq!(matched, 100, "every order with bids is matched: {bids}");
}
